package io.flowsentry.collector.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.zeek.parse.ConnLogParser;
import io.flowsentry.collector.zeek.parse.LineOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnLogGeneratorTest {
  private static final Cidr ORIG = Cidr.parse("10.1.0.0/16");
  private static final Cidr RESP = Cidr.parse("203.0.113.0/24");
  private static final long END_MICROS = 1_795_000_000_123_456L;

  @Test
  void everyLineParsesIntoTheEventOfItsConnection() {
    ConnLogGenerator.ConnLines lines = new ConnLogGenerator.ConnLines(ORIG, RESP, 7);
    ConnLogParser parser = new ConnLogParser("conn.log", false);
    for (String header : ConnLogGenerator.ConnLines.header(END_MICROS / 1000).split("\n")) {
      assertInstanceOf(LineOutcome.Meta.class, parser.parse(header), header);
    }
    Set<ConnLogGenerator.App> seen = EnumSet.noneOf(ConnLogGenerator.App.class);
    long totalLength = 0;
    for (long i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder();
      lines.append(sb, i, END_MICROS);
      assertTrue(sb.charAt(sb.length() - 1) == '\n' && sb.indexOf("\n") == sb.length() - 1, "one line: " + sb);
      totalLength += sb.length();
      String line = sb.substring(0, sb.length() - 1);
      ConnLogGenerator.Conn c = lines.connection(i, END_MICROS);
      seen.add(c.app());
      ConnectionEvent e = assertInstanceOf(LineOutcome.Event.class, parser.parse(line), line).event();
      assertEquals(END_MICROS, e.tsMicros() + e.durationMicros(), "logged when it ended: " + line);
      assertEquals(c.tsMicros(), e.tsMicros());
      assertEquals(c.uid(), e.uid());
      assertEquals(c.origH(), e.origH());
      assertEquals(c.respH(), e.respH());
      assertTrue(ORIG.contains(e.origH()) && RESP.contains(e.respH()), line);
      assertEquals(c.origP(), e.origP());
      assertEquals(c.respP(), e.respP());
      int proto = switch (c.app().proto) {
        case "tcp" -> ConnectionEvent.TCP;
        case "udp" -> ConnectionEvent.UDP;
        default -> ConnectionEvent.ICMP;
      };
      assertEquals(proto, e.proto(), line);
      assertEquals(c.origBytes(), e.origBytes());
      assertEquals(c.respBytes(), e.respBytes());
      assertEquals(c.origPkts(), e.origPkts());
      assertEquals(c.respPkts(), e.respPkts());
      assertEquals(c.origIpBytes(), e.origIpBytes());
      assertEquals(c.respIpBytes(), e.respIpBytes());
      assertEquals(c.connState(), e.connState());
      assertEquals(c.app().service.equals("-") ? null : c.app().service, e.service());
      assertEquals(EventSource.ZEEK, e.source());
      assertEquals(CommunityId.DEFAULT_SEED.of(e), line.substring(line.lastIndexOf('\t') + 1),
          "the line's community_id is the one flowsentry computes for its event: " + line);
    }
    assertEquals(EnumSet.allOf(ConnLogGenerator.App.class), seen, "every application occurs");
    long mean = totalLength / 5_000;
    assertTrue(mean > 200 && mean < 300, "about 250 bytes a line, got " + mean);
  }

  @Test
  void theSameSeedGivesTheSameConnections() {
    var a = new ConnLogGenerator.ConnLines(ORIG, RESP, 3).connection(42, END_MICROS);
    var b = new ConnLogGenerator.ConnLines(ORIG, RESP, 3).connection(42, END_MICROS);
    var c = new ConnLogGenerator.ConnLines(ORIG, RESP, 4).connection(42, END_MICROS);
    assertEquals(a, b);
    assertTrue(!a.equals(c), "another seed, other connections");
  }

  @Test
  void aRunWritesTheHeaderOnceAndExactlyTheLinesItReports(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("conn.log");
    Path progress = dir.resolve("written");
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_795_000_000), ZoneOffset.UTC);
    ConnLogGenerator.Spec spec = ConnLogGenerator.parse(new String[] {
        "--file", log.toString(), "--rate", "200000", "--lines", "3000", "--seconds", "10", "--progress", progress.toString()});
    ConnLogGenerator.Result first = ConnLogGenerator.run(spec, clock);
    ConnLogGenerator.Result second = ConnLogGenerator.run(spec, clock);
    assertEquals(3000, first.lines());
    assertEquals(3000, second.lines());
    assertEquals(Files.size(log), first.bytes() + second.bytes());
    List<String> history = Files.readAllLines(progress);
    assertTrue(history.contains("1795000000000000 3000 " + first.bytes()), "the first run's totals: " + history);
    assertEquals("1795000000000000 3000 " + second.bytes(), history.get(history.size() - 1), "the last record holds the totals");
    assertTrue(history.stream().allMatch(l -> l.matches("1795000000000000 \\d+ \\d+")), "epoch micros, lines, bytes: " + history);

    ConnLogParser parser = new ConnLogParser("conn.log", false);
    List<String> all = Files.readAllLines(log);
    long events = all.stream().map(parser::parse).filter(o -> o instanceof LineOutcome.Event).count();
    assertEquals(6000, events);
    assertEquals(1, all.stream().filter(l -> l.startsWith("#fields")).count(), "header only when the file is new");
    assertTrue(first.describe(spec).endsWith("lines=3000 bytes=" + first.bytes()));
  }

  @Test
  void optionsOutsidePrivateOrDocumentationRangesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnLogGenerator.parse(new String[] {
        "--file", "x", "--orig-net", "8.8.8.0/24", "--resp-net", "10.0.0.0/7", "--rate", "-1", "--lines", "0"}));
    assertTrue(e.getMessage().contains("--orig-net: 8.8.8.0/24"), e.getMessage());
    assertTrue(e.getMessage().contains("--resp-net: 10.0.0.0/7"), e.getMessage());
    assertTrue(e.getMessage().contains("--rate: -1"), e.getMessage());
    assertTrue(e.getMessage().contains("--lines: 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ConnLogGenerator.parse(new String[] {"--rate", "5"}), "--file is required");
  }
}
