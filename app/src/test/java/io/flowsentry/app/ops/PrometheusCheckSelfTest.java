package io.flowsentry.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs it/prometheus/selftest.sh: check.sh against a real Prometheus (Debian package prometheus)
 * scraping a stand-in for the daemon must pass on complete metrics and fail, naming the problems,
 * on a missing metric and a broken expression.
 */
class PrometheusCheckSelfTest {
  private static final long TIMEOUT_SECONDS = 180;
  /** check.sh's exit status for a missing tool. */
  private static final int TOOL_MISSING = 2;

  @Test
  void checkScriptPassesOnGoodAndFailsOnBadInput() throws IOException, InterruptedException {
    for (String tool : new String[] {"/usr/bin/prometheus", "/usr/bin/promtool"}) {
      OpsFiles.requireOrSkip(Files.isExecutable(Path.of(tool)), tool + " not installed (Debian package prometheus; .ci/run installs it)");
    }
    Path output = Files.createTempFile("prometheus-selftest", ".out");
    try {
      Process process = new ProcessBuilder("bash", OpsFiles.path("it/prometheus/selftest.sh").toString())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
      }
      String log = Files.readString(output, StandardCharsets.UTF_8);
      assertTrue(finished, "selftest.sh did not finish in " + TIMEOUT_SECONDS + " s:\n" + log);
      OpsFiles.requireOrSkip(process.exitValue() != TOOL_MISSING, "selftest.sh: a tool is missing:\n" + log);
      assertEquals(0, process.exitValue(), "selftest.sh failed:\n" + log);
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
