package io.flowsentry.analyzer.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.core.TestEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alarms that the writer has counted are in the files even when the process is killed with
 * SIGKILL right after: a child JVM writes alarms, reports the count, and is killed without any
 * shutdown hook or close running.
 */
class KillDurabilityTest {
  private static final int ALARMS = 200;

  @TempDir Path dir;

  /** The child: writes the alarms, waits until they are counted, says so, then idles until killed. */
  public static void main(String[] args) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), Path.of(args[0]), Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, registry);
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      w.submit(new Alarm("p", "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection",
          TestEvents.tcp(1000 + i, "192.168.4.7", "203.0.113.9", 443), Duration.ofSeconds(60), null));
    }
    w.flush();
    System.out.println("counted " + (long) w.written("p", "UnexpectedOutgoingConnection"));
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  @Test
  void countedAlarmsSurviveSigkill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KillDurabilityTest.class.getName(),
        dir.toString(), String.valueOf(ALARMS)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      String counted = null;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("counted ")) {
          counted = line;
          break;
        }
      }
      assertEquals("counted " + ALARMS, counted);
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(ALARMS, Files.readAllLines(dir.resolve("alarms.log")).size());
    assertEquals(ALARMS, Files.readAllLines(dir.resolve("p.log")).size());
    assertEquals(ALARMS, Files.readAllLines(dir.resolve("notice.log")).size());
  }
}
