package io.flowsentry.app.ops;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** docker/Dockerfile as a list of instructions (continuations joined, comments dropped). */
final class Dockerfile {
  static final String FILE = "docker/Dockerfile";
  static final String IGNORE_FILE = "docker/Dockerfile.dockerignore";

  record Instruction(String keyword, String arguments) {}

  private final List<Instruction> instructions = new ArrayList<>();

  Dockerfile() {
    StringBuilder logical = new StringBuilder();
    for (String line : OpsFiles.text(OpsFiles.path(FILE)).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String[] parts = logical.toString().strip().split("\\s+", 2);
      instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
      logical.setLength(0);
    }
  }

  List<Instruction> all() {
    return instructions;
  }

  List<String> arguments(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
  }

  /** Instructions of the last stage (the image that runs). */
  List<Instruction> runtimeStage() {
    int lastFrom = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) lastFrom = i;
    }
    return instructions.subList(lastFrom, instructions.size());
  }

  /** Whether docker/Dockerfile.dockerignore keeps a context-relative path out of the build context. */
  static boolean ignored(String relativePath) {
    boolean ignored = false;
    for (String line : OpsFiles.text(OpsFiles.path(IGNORE_FILE)).split("\n")) {
      String pattern = line.strip();
      if (pattern.isEmpty() || pattern.startsWith("#")) continue;
      boolean negated = pattern.startsWith("!");
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + (negated ? pattern.substring(1) : pattern));
      // A pattern that matches a folder excludes everything in it.
      for (Path p = Path.of(relativePath); p != null; p = p.getParent()) {
        if (matcher.matches(p)) {
          ignored = !negated;
          break;
        }
      }
    }
    return ignored;
  }
}
