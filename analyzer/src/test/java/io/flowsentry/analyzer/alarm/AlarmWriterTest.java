package io.flowsentry.analyzer.alarm;

import static io.flowsentry.analyzer.core.TestEvents.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.core.MutableClock;
import io.flowsentry.collector.event.ConnectionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlarmWriterTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static Alarm alarm(String policy, double ts) {
    ConnectionEvent e = tcp(ts, "192.168.4.7", "203.0.113.9", 443);
    return new Alarm(policy, "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection", e,
        Duration.ofSeconds(60), null);
  }

  private static List<String> lines(Path p) throws Exception {
    return Files.readAllLines(p);
  }

  @Test
  void writesAllThreeLogsAndCountsAfterWriting() throws Exception {
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir, Clock.systemUTC(), AlarmWriter.Overflow.DROP, registry);
    assertTrue(w.submit(alarm("p1", 1000)));
    assertTrue(w.submit(alarm("p2", 1001)));
    w.flush();
    // still open: the lines are already in the kernel, readable by anyone, before close
    assertEquals(List.of("1000.000000 UnexpectedOutgoingConnection 192.168.4.7/49152 > 203.0.113.9/https"
        + " : Restricted Outgoing TCP Connection", "1001.000000 UnexpectedOutgoingConnection 192.168.4.7/49152"
        + " > 203.0.113.9/https : Restricted Outgoing TCP Connection"), lines(dir.resolve("alarms.log")));
    assertEquals(1, lines(dir.resolve("p1.log")).size());
    assertTrue(lines(dir.resolve("p2.log")).get(0).startsWith("1001.000000 "));
    assertEquals(2, lines(dir.resolve("notice.log")).size());
    assertEquals(1.0, registry.get("flowsentry.alarms").tag("policy", "p1").tag("note", "UnexpectedOutgoingConnection").counter().count());
    assertEquals(1.0, w.written("p2", "UnexpectedOutgoingConnection"));
    w.close();
  }

  /** What the originator resolved: 203.0.113.9 is updates.example.com; nothing for other responders. */
  private static final ResponderNames UPDATES = (orig, resp, at) -> resp.toString().equals("203.0.113.9")
      ? "updates.example.com" : null;

  private static final String CLASSIC = "1000.000000 UnexpectedOutgoingConnection 192.168.4.7/49152 > 203.0.113.9/https"
      + " : Restricted Outgoing TCP Connection";

  private AlarmWriter namedWriter(boolean alarmLineNames) {
    OutputsConfig c = new OutputsConfig(null, null, null, null, null, null, null, alarmLineNames);
    return new AlarmWriter(c, dir, null, Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, registry,
        new AlarmFormat(ServiceNames.bundled(), io.flowsentry.collector.event.CommunityId.DEFAULT_SEED, UPDATES), List.of());
  }

  @Test
  void thePolicyLogNamesTheResponderAndAlarmsLogStaysClassicByDefault() throws Exception {
    AlarmWriter w = namedWriter(false);
    w.submit(alarm("p", 1000));
    Alarm unnamed = new Alarm("p", "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection",
        tcp(1001, "192.168.4.7", "198.51.100.1", 443), Duration.ofSeconds(60), null);
    w.submit(unnamed);
    w.close();
    String unnamedLine = "1001.000000 UnexpectedOutgoingConnection 192.168.4.7/49152 > 198.51.100.1/https"
        + " : Restricted Outgoing TCP Connection";
    assertEquals(List.of(CLASSIC, unnamedLine), lines(dir.resolve("alarms.log")), "byte-for-byte as without names");
    assertEquals(List.of(CLASSIC + " resp_name=updates.example.com", unnamedLine), lines(dir.resolve("p.log")));
    assertTrue(lines(dir.resolve("notice.log")).get(0).contains("\"resp_name\":\"updates.example.com\""));
    assertFalse(lines(dir.resolve("notice.log")).get(1).contains("resp_name"));
  }

  @Test
  void alarmLineNamesAppendsTheNameToAlarmsLogToo() throws Exception {
    AlarmWriter w = namedWriter(true);
    w.submit(alarm("p", 1000));
    w.close();
    assertEquals(List.of(CLASSIC + " resp_name=updates.example.com"), lines(dir.resolve("alarms.log")));
    assertEquals(lines(dir.resolve("alarms.log")), lines(dir.resolve("p.log")));
  }

  @Test
  void appendsToExistingFiles() throws Exception {
    Files.writeString(dir.resolve("alarms.log"), "earlier\n");
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir, Clock.systemUTC(), AlarmWriter.Overflow.DROP, registry);
    w.submit(alarm("p", 1));
    w.close();
    assertEquals("earlier", lines(dir.resolve("alarms.log")).get(0));
    assertEquals(2, lines(dir.resolve("alarms.log")).size());
  }

  @Test
  void fullQueueDropsAndCounts() throws Exception {
    OutputsConfig c = new OutputsConfig(null, null, null, 1, null, null, null, null);
    AlarmWriter w = new AlarmWriter(c, dir, Clock.systemUTC(), AlarmWriter.Overflow.DROP, registry);
    int accepted = 0;
    for (int i = 0; i < 2000; i++) if (w.submit(alarm("p", i))) accepted++;
    w.close();
    double dropped = registry.get("flowsentry.alarm.queue.dropped").counter().count();
    assertEquals(2000, accepted + (long) dropped);
    assertTrue(dropped > 0, "a queue of one cannot take 2000 alarms at once");
    assertEquals(accepted, lines(dir.resolve("alarms.log")).size());
  }

  @Test
  void blockingModeLosesNothing() throws Exception {
    OutputsConfig c = new OutputsConfig(null, null, null, 1, null, null, null, null);
    AlarmWriter w = new AlarmWriter(c, dir, Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, registry);
    for (int i = 0; i < 500; i++) assertTrue(w.submit(alarm("p", i)));
    w.close();
    assertEquals(500, lines(dir.resolve("alarms.log")).size());
  }

  @Test
  void reopenAfterExternalRotation() throws Exception {
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir, Clock.systemUTC(), AlarmWriter.Overflow.DROP, registry);
    w.submit(alarm("p", 1));
    w.flush();
    Files.move(dir.resolve("alarms.log"), dir.resolve("alarms.log.1"));
    w.reopen();
    w.submit(alarm("p", 2));
    w.close();
    assertEquals(1, lines(dir.resolve("alarms.log.1")).size());
    assertTrue(lines(dir.resolve("alarms.log")).get(0).startsWith("2.000000 "));
  }

  @Test
  void rotatesBySizeAndKeepsTheNewest() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-28T00:00:00Z"));
    OutputsConfig c = new OutputsConfig(null, new RotateConfig("1KB", null, 2), null, null, null, null, null, null);
    AlarmWriter w = new AlarmWriter(c, dir, clock, AlarmWriter.Overflow.BLOCK, registry);
    for (int i = 0; i < 40; i++) {
      clock.advance(Duration.ofSeconds(1));
      w.submit(alarm("p", i));
      w.flush();
    }
    w.close();
    List<Path> rotated;
    try (Stream<Path> s = Files.list(dir)) {
      rotated = s.filter(p -> p.getFileName().toString().startsWith("alarms.log.")).sorted().toList();
    }
    assertEquals(2, rotated.size(), rotated.toString());
    assertTrue(Files.size(dir.resolve("alarms.log")) <= 1024);
    for (Path p : rotated) assertTrue(Files.size(p) <= 1024);
    assertTrue(lines(dir.resolve("alarms.log")).getLast().startsWith("39.000000 "));
  }

  @Test
  void rotatesByInterval() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T23:59:58Z"));
    OutputsConfig c = new OutputsConfig(null, new RotateConfig(null, "1d", null), null, null, null, null, null, null);
    AlarmWriter w = new AlarmWriter(c, dir, clock, AlarmWriter.Overflow.BLOCK, registry);
    w.submit(alarm("p", 1));
    w.flush();
    clock.advance(Duration.ofSeconds(3));
    w.submit(alarm("p", 2));
    w.close();
    assertTrue(Files.exists(dir.resolve("alarms.log.20261128-000001")));
    assertEquals(1, lines(dir.resolve("alarms.log")).size());
    assertFalse(Files.exists(dir.resolve("alarms.log.20261128-000001.1")));
  }

  @Test
  void aFullDiskIsLoggedOnceAMinuteNamingTheFileAndShownUntilWritingWorksAgain() throws Exception {
    Path full = Path.of("/dev/full"); // every write fails with ENOSPC, as on a full disk
    Files.createSymbolicLink(dir.resolve("p.log"), full);
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AlarmWriter.class);
    var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    logged.start();
    logger.addAppender(logged);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir, clock, AlarmWriter.Overflow.DROP, registry);
    try {
      for (int i = 0; i < 3; i++) w.submit(alarm("p", 1000 + i));
      w.flush();
      assertEquals(3, registry.get("flowsentry.alarm.write.errors").counter().count());
      assertEquals(java.util.Optional.of("cannot write alarms to " + dir.resolve("p.log") + ": No space left on device"), w.failure());
      clock.advance(Duration.ofMinutes(1));
      w.submit(alarm("p", 2000));
      w.flush();
      List<String> messages = logged.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
      assertEquals(2, messages.size(), messages.toString());
      assertTrue(messages.get(0).startsWith("cannot write alarms to " + dir.resolve("p.log") + ": No space left on device"), messages.get(0));
      assertTrue(messages.get(1).endsWith("(2 more alarms not written since the last report)"), messages.get(1));
      w.submit(alarm("q", 3000));
      w.flush();
      assertEquals(java.util.Optional.empty(), w.failure(), "written again: healthy again");
    } finally {
      logger.detachAppender(logged);
      w.close();
    }
  }
}
