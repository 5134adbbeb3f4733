package io.flowsentry.app.cli;

import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -c CONFIG}, shared by every command. */
final class ConfigOption {
  static final String DEFAULT = "config/flowsentry.yml";

  @Option(names = {"-c", "--config"}, paramLabel = "CONFIG",
      description = "Configuration file (default: ${DEFAULT-VALUE}, looked up in the working directory, then in the installation)",
      defaultValue = DEFAULT)
  String config;

  /**
   * The file to read. The default also resolves against the installation folder
   * ({@code -Dflowsentry.home}, set by bin/flowsentry), so `bin/flowsentry run` works from any
   * working directory.
   */
  Path path() {
    Path p = Path.of(config);
    if (config.equals(DEFAULT) && !Files.exists(p)) {
      String home = System.getProperty("flowsentry.home");
      if (home != null && Files.exists(Path.of(home, DEFAULT))) return Path.of(home, DEFAULT);
    }
    return p;
  }

  FlowsentryConfig load() throws ConfigException {
    return ConfigLoader.load(path());
  }
}
