package io.flowsentry.app.config;

import java.util.List;

/** The configuration cannot be used; {@link #problems()} lists every reason, each naming the file and key. */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(source + ": invalid configuration:\n  " + String.join("\n  ", problems));
    this.problems = problems.stream().map(p -> source + ": " + p).toList();
  }

  public List<String> problems() {
    return problems;
  }
}
