package io.flowsentry.app.e2e;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon as a process, crashing the two ways a supervisor must see: memory running
 * out (the JVM must exit, not run on half alive) and {@code kill -9} while tailing (the restart
 * reads about a second of lines again and alarms on none of them).
 */
class CrashRecoveryIT {
  /** Lines written per second while tailing, as in issue 15's kill -9 measurement. */
  private static final int LINES_PER_SECOND = 20_000;
  /** Every tenth line alarms, each with a key of its own; the others go to a local responder. */
  private static final int ALARM_EVERY = 10;

  @TempDir Path dir;
  private final Path connLog = Path.of("zeek/conn.log");
  private int metricsPort;
  private volatile int written;

  @Test
  void runningOutOfMemoryEndsTheProcessNonZeroWithinSeconds() throws Exception {
    metricsPort = FlowsentryProcess.freeTcpPort();
    Path config = writeConfig("max_suppression_entries: 100000000");
    // a heap far too small for what the configuration lets suppression remember, and the launcher's flag
    try (FlowsentryProcess fs = FlowsentryProcess.start(dir, config, metricsPort, List.of("-Xmx48m", "-XX:+ExitOnOutOfMemoryError"))) {
      long started = System.nanoTime();
      int exit = -1;
      for (int round = 0; round < 100 && exit < 0; round++) { // at most 2 M distinct alarm keys
        append(20_000, 1);
        exit = fs.exitedWithin(Duration.ofMillis(200));
      }
      if (exit < 0) exit = fs.awaitExit(Duration.ofSeconds(30), "its heap filling up");
      double seconds = (System.nanoTime() - started) / 1e9;
      assertNotEquals(0, exit, fs.output());
      assertTrue(fs.output().contains("java.lang.OutOfMemoryError"), fs.output());
      assertTrue(seconds < 60, "exited " + seconds + " s after the flood began");
      System.out.printf("forced OOM: exit %d, %.1f s after the flood began, %d lines written%n", exit, seconds, written);
    }
  }

  @Test
  void killDashNineWhileTailingRepeatsNoAlarmAndAboutOneSecondOfLines() throws Exception {
    metricsPort = FlowsentryProcess.freeTcpPort();
    // every alarm written one by one (no max_alarms_per_minute), so that each repeated one would show
    Path config = writeConfig("suppress_for: 1h\n      max_alarms_per_minute: 0");
    int[] atKill = new int[1];
    try (FlowsentryProcess first = FlowsentryProcess.start(dir, config, metricsPort)) {
      // killed while lines keep arriving, as a crash under load would be: the tailer is reading
      // past its last checkpoint, so lines are read again after the restart
      Thread killer = Thread.ofPlatform().start(() -> {
        try {
          Thread.sleep(3_000);
          atKill[0] = written;
          first.kill9();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      writeFor(Duration.ofSeconds(4));
      killer.join();
    }
    try (FlowsentryProcess second = FlowsentryProcess.start(dir, config, metricsPort)) {
      writeFor(Duration.ofSeconds(2));
      await("every line read", Duration.ofSeconds(60), () -> {
        try {
          return second.metric("flowsentry_zeek_lag_seconds") == 0 && second.metric("flowsentry_zeek_lines_total") > 0
              && allAlarmsWritten();
        } catch (IOException e) {
          return false;
        }
      });
      double repeatedAlarmingLines = second.metric("flowsentry_suppressed_total");
      assertEquals(0, second.terminate(Duration.ofSeconds(30)), second.output());
      List<String> alarms = Files.readAllLines(dir.resolve("log/alarms.log"));
      Set<String> distinct = new HashSet<>(alarms);
      assertEquals(alarms.size(), distinct.size(), "no alarm twice");
      assertEquals(alarmingLines(written), alarms.size(), "no alarm lost (" + atKill[0] + " lines before the kill)");
      // the kill lands at most one checkpoint interval (1 s) after the last checkpoint; allow scheduling on a busy machine
      double bound = 1.5 * LINES_PER_SECOND / ALARM_EVERY;
      System.out.printf("kill -9 at %d lines of %d: %.0f alarming lines read again (bound %.0f), %d alarms, none twice%n",
          atKill[0], written, repeatedAlarmingLines, bound, alarms.size());
      // not also > 0: a daemon starved of CPU for the second before the kill (a busy machine)
      // has read nothing since its last checkpoint; the duplicates and loss checks hold either way
      assertTrue(repeatedAlarmingLines <= bound,
          repeatedAlarmingLines + " alarming lines read again (bound " + bound + ")");
    }
  }

  private boolean allAlarmsWritten() {
    try {
      Path alarms = dir.resolve("log/alarms.log");
      return Files.exists(alarms) && Files.readAllLines(alarms).size() >= alarmingLines(written);
    } catch (IOException e) {
      return false;
    }
  }

  private static int alarmingLines(int lines) {
    return (lines + ALARM_EVERY - 1) / ALARM_EVERY;
  }

  /** Appends lines at {@link #LINES_PER_SECOND} in 50 ms batches. */
  private void writeFor(Duration d) throws Exception {
    long end = System.nanoTime() + d.toNanos();
    int batch = LINES_PER_SECOND / 20;
    while (System.nanoTime() < end) {
      long next = System.nanoTime() + 50_000_000;
      append(batch, ALARM_EVERY);
      long wait = next - System.nanoTime();
      if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  /** Appends {@code n} JSON lines; every {@code alarmEvery}-th goes from a restricted host to its own Internet address. */
  private void append(int n, int alarmEvery) throws IOException {
    StringBuilder sb = new StringBuilder(n * 200);
    long ts = 1_764_547_200_000_000L; // 2025-12-01
    for (int i = 0; i < n; i++, written++) {
      int k = written;
      String resp = k % alarmEvery == 0 ? "2001:db8::" + Integer.toHexString(k >>> 16) + ":" + Integer.toHexString(k & 0xffff) : "10.1.1.1";
      long micros = ts + k * 50L;
      sb.append("{\"ts\":").append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000))
          .append(",\"uid\":\"C").append(k).append("\",\"id.orig_h\":\"192.168.4.7\",\"id.orig_p\":40000,\"id.resp_h\":\"")
          .append(resp).append("\",\"id.resp_p\":443,\"proto\":\"tcp\",\"duration\":0.5,\"conn_state\":\"SF\"}\n");
    }
    Path log = dir.resolve(connLog);
    Files.createDirectories(log.getParent());
    Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private Path writeConfig(String policyExtra) throws IOException {
    Path config = dir.resolve("flowsentry.yml");
    Files.writeString(config, """
        inputs:
          netflow:
            listen: []
          zeek:
            - path: %s
              start_at: beginning
              poll_interval: 100ms
        site:
          local_networks: [192.168.0.0/16, 10.0.0.0/8]
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
              %s
        outputs:
          log_dir: log
        state_dir: state
        metrics:
          listen: 127.0.0.1:%d
        """.formatted(connLog, policyExtra, metricsPort));
    return config;
  }
}
