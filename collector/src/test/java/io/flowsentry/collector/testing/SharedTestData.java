package io.flowsentry.collector.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates ../shared (real captures and logs that are not ours to ship) and external tools.
 * Missing ones skip the test with a reason, unless FLOWSENTRY_REQUIRE_INTEGRATION=1 (CI), where
 * they fail it.
 */
public final class SharedTestData {
  private SharedTestData() {}

  public static boolean required() {
    return "1".equals(System.getenv("FLOWSENTRY_REQUIRE_INTEGRATION"));
  }

  /** A path under ../shared, e.g. {@code "testdata/netflow/akvorado/pcap/nfv5.pcap"}. */
  public static Path path(String relative) {
    String root = System.getProperty("flowsentry.shared", "../shared");
    Path p = Path.of(root).resolve(relative).normalize();
    require(Files.exists(p), "shared test data not found: " + p + " (a fresh clone has no ../shared)");
    return p;
  }

  /** The absolute path of an executable on PATH. */
  public static Path tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return p;
    }
    for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin"}) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return p;
    }
    require(false, "tool not installed: " + name + " (.ci/run installs it)");
    return null;
  }

  private static void require(boolean present, String message) {
    if (required()) {
      Assertions.assertTrue(present, message);
    } else {
      Assumptions.assumeTrue(present, message);
    }
  }
}
