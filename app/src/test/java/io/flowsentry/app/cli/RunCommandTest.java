package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.service.Daemon;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowsentry run}'s signal wiring and shutdown bound. The signals are real: the command
 * runs in a child JVM from the test classpath (no packaged jar, no Debian peer), started through
 * coreutils env so that SIGHUP's disposition is what the test chooses, not what its parent left,
 * and SIGINT at its default: a shell starts background jobs (a CI script's `bin/test &`) with SIGINT
 * ignored, the JVM keeps a signal ignored that it inherited so, and a SIGINT would then be lost.
 */
class RunCommandTest {
  @TempDir Path dir;

  private Path config() throws IOException {
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, """
        inputs:
          netflow:
            listen: ["127.0.0.1:0"]
        policies:
          restricted_outgoing:
            - name: lab
              restricted_networks: [192.168.4.0/24]
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(dir.resolve("log"), dir.resolve("state")));
    return file;
  }

  /** {@code flowsentry run} in a child JVM, SIGHUP at its default or ignored. */
  private record Child(Process process, Path output) {
    static Child start(Path dir, Path config, boolean hupIgnored) throws IOException {
      List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", hupIgnored ? "--ignore-signal=HUP" : "--default-signal=HUP",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          // the shipped logging, as `flowsentry run` has it: the test classpath's logback-test.xml
          // would send the lines this test reads to target/test.log
          "-Dlogback.configurationFile=" + FlowsentryCommand.class.getResource("/logback.xml"),
          "-cp", System.getProperty("java.class.path"), FlowsentryCommand.class.getName(), "run", "-c", config.toString()));
      Path output = dir.resolve("run.out");
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      return new Child(p, output);
    }

    String text() throws IOException {
      return Files.readString(output);
    }

    void awaitOutput(String what, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!text().contains(what)) {
        if (!process.isAlive()) fail("flowsentry run exited " + process.exitValue() + " before logging \"" + what + "\":\n" + text());
        if (System.nanoTime() > deadline) fail("flowsentry run did not log \"" + what + "\" within " + timeout + ":\n" + text());
        Thread.sleep(50);
      }
    }

    void signal(String name) throws Exception {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    /** The exit code; fails when the process outlives the shutdown bound (plus JVM exit time). */
    int awaitExit() throws Exception {
      if (!process.waitFor(RunCommand.SHUTDOWN_BOUND_SECONDS + 10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("flowsentry run did not exit after the signal:\n" + text());
      }
      return process.exitValue();
    }
  }

  @Test
  void sighupReloadsAndSigtermStopsCleanlyWithExitZero() throws Exception {
    Child run = Child.start(dir, config(), false);
    try {
      run.awaitOutput("flowsentry running with", Duration.ofSeconds(60));
      assertFalse(run.text().contains("SIGHUP is ignored"), run.text());
      run.signal("HUP");
      run.awaitOutput("configuration reloaded from", Duration.ofSeconds(15));
      run.signal("TERM");
      assertEquals(ExitCodes.OK, run.awaitExit(), run.text());
      assertTrue(run.text().contains("flowsentry stopped"), run.text());
    } finally {
      run.process().destroyForcibly();
    }
  }

  @Test
  void underNohupItWarnsThatReloadsNeedARestartAndSigintStopsCleanly() throws Exception {
    Child run = Child.start(dir, config(), true);
    try {
      // the handlers (and so the warning) come before the daemon starts; signal a started daemon
      run.awaitOutput("flowsentry running with", Duration.ofSeconds(60));
      assertTrue(run.text().contains("SIGHUP is ignored by this process"), run.text());
      run.signal("INT");
      assertEquals(ExitCodes.OK, run.awaitExit(), run.text());
      assertTrue(run.text().contains("flowsentry stopped"), run.text());
    } finally {
      run.process().destroyForcibly();
    }
  }

  @Test
  void aPromptShutdownIsExitZero() throws Exception {
    Daemon daemon = new Daemon(config(), ConfigLoader.load(config()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Clock.systemUTC());
    assertEquals(ExitCodes.OK, RunCommand.stopWithin(daemon, 5));
  }

  @Test
  void aStuckShutdownGivesUpAtTheBoundWithExitOne() throws Exception {
    Daemon daemon = new Daemon(config(), ConfigLoader.load(config()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        Clock.systemUTC());
    long started = System.nanoTime();
    int code;
    // Daemon.close is synchronized: holding its monitor keeps the shutdown thread stuck
    synchronized (daemon) {
      code = RunCommand.stopWithin(daemon, 1);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertEquals(ExitCodes.FAILURE, code);
    assertTrue(millis >= 1000 && millis < 10_000, "gave up after " + millis + " ms (bound: 1 s)");
  }
}
