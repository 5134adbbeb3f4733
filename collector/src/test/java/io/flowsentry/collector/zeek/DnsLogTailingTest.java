package io.flowsentry.collector.zeek;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.flowsentry.collector.zeek.dns.DnsLogLines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conn.log tailer follows a dns.log (inputs.zeek_dns): answers once each, across a restart, lines counted. */
class DnsLogTailingTest {
  private static final String HEADER = ZeekTestData.DNS_HEADER;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-28T00:00:00Z"));

  private static String line(int n, String answers, String ttls) {
    return (1_700_000_000 + n) + ".000000\tC" + n + "\t192.168.4.7\t40000\t192.168.1.53\t53\tudp\t" + n + "\t0.001\tq" + n
        + ".example.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t" + answers + "\t" + ttls + "\tF\n";
  }

  @Test
  void answersAreLearnedOnceAcrossARestartAndEveryDataLineIsCounted() throws Exception {
    Path log = dir.resolve("logs/dns.log");
    Files.createDirectories(log.getParent());
    Files.writeString(log, HEADER + line(1, "edge.example.net,192.0.2.1", "60.000000,20.000000")
        + line(2, "-", "-") + "not a dns line\n", StandardCharsets.UTF_8);
    List<DnsAnswers> learned = new ArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ZeekInputConfig config = new ZeekInputConfig(log.toString(), "beginning", false, null);
    try (ZeekTailer t = tailer(config, registry, learned)) {
      t.pollOnce();
    }
    assertEquals(List.of("q1.example.com"), learned.stream().map(DnsAnswers::query).toList());
    assertEquals(3, registry.get("flowsentry.zeek.lines").tag("file", log.toString()).counter().count(),
        "answered, unanswered and bad data lines");
    assertEquals(1, registry.get("flowsentry.zeek.parse.errors").tag("file", log.toString()).counter().count());

    Files.writeString(log, line(3, "192.0.2.3", "30.000000"), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (ZeekTailer t = tailer(config, new SimpleMeterRegistry(), learned)) {
      t.pollOnce();
    }
    assertEquals(List.of("q1.example.com", "q3.example.com"), learned.stream().map(DnsAnswers::query).toList(),
        "resumed at the checkpoint with the header still known");
    assertEquals(new DnsAnswers.Resolved(io.flowsentry.collector.event.IpAddr.parse("192.0.2.3"), 30_000_000L),
        learned.getLast().addresses().getFirst());
  }

  private ZeekTailer tailer(ZeekInputConfig config, SimpleMeterRegistry registry, List<DnsAnswers> learned) {
    clock.advance(Duration.ofSeconds(1));
    return new ZeekTailer(config, dir.resolve("state"), e -> {
      throw new AssertionError("dns.log makes no connection events");
    }, registry, clock, DnsLogLines.into(learned::add));
  }
}
