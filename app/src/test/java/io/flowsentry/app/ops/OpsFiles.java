package io.flowsentry.app.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The repository's deployment files (docker/, grafana/, it/, config/) and ../shared, read the
 * way the structure tests need them. What lies outside the repository (../shared, external tools)
 * skips a test with a reason when missing, unless FLOWSENTRY_REQUIRE_INTEGRATION=1 (CI).
 */
final class OpsFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = findRoot();

  private OpsFiles() {}

  /** A path relative to the repository root, e.g. {@code "docker/alerts.yml"}. */
  static Path path(String relative) {
    return ROOT.resolve(relative).normalize();
  }

  static JsonNode json(String relative) {
    return read(JSON, path(relative));
  }

  static JsonNode yaml(String relative) {
    return yaml(path(relative));
  }

  static JsonNode yaml(Path file) {
    return read(YAML, file);
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file under ../shared (design documents, test data): skips or fails when it is missing. */
  static Path shared(String relative) {
    Path p = Path.of(System.getProperty("flowsentry.shared", ROOT.resolve("../shared").toString()))
        .resolve(relative).normalize();
    requireOrSkip(Files.isRegularFile(p), "shared file not found: " + p + " (a fresh clone has no ../shared)");
    return p;
  }

  static boolean integrationRequired() {
    return "1".equals(System.getenv("FLOWSENTRY_REQUIRE_INTEGRATION"));
  }

  static void requireOrSkip(boolean present, String message) {
    if (integrationRequired()) {
      Assertions.assertTrue(present, message);
    } else {
      Assumptions.assumeTrue(present, message);
    }
  }

  /** Fails with every problem at once, one per line. */
  static void assertNoProblems(String what, List<String> problems) {
    assertTrue(problems.isEmpty(), what + ":\n  " + String.join("\n  ", problems));
  }

  /** The port of "host:port", "[v6]:port" or ":port". */
  static int port(String listen) {
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1).trim());
  }

  /** The text values of a YAML/JSON list node (empty for a missing node). */
  static List<String> texts(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path findRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("analyzer"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root (a folder with mvnw and analyzer/) above " + Path.of("").toAbsolutePath());
  }
}
