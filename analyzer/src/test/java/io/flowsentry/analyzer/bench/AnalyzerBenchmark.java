package io.flowsentry.analyzer.bench;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.core.Analyzer;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.AllowedService;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Policy + suppression per event through {@link Analyzer#onEvent}, with a realistic mix: 90 %
 * of events come from unrestricted hosts, 6 % from restricted hosts to local or allowed
 * destinations, 4 % break the policy and mostly hit the suppression table (a few hundred keys
 * repeating), so alarms are rare as in production. Two policies, with exceptions of every kind.
 * The clock moves 1 ms per event. {@code breaking=100} is the worst case: every event breaks the
 * policy and goes through the suppression table. Reported as events per second per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AnalyzerBenchmark {
  private static final int BATCH = 4096;

  /** Percentage of events that break the policy (restricted host to the Internet). */
  @Param({"4", "100"})
  int breaking;

  Path logDir;
  Analyzer analyzer;
  ConnectionEvent[] events;
  long ts = 1_700_000_000_000_000L;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    logDir = Files.createTempDirectory("flowsentry-bench");
    List<RestrictedOutgoingPolicyConfig> configs = List.of(
        new RestrictedOutgoingPolicyConfig("servers", List.of("192.168.4.0/24", "10.20.0.0/16", "fd00:4::/64"), "60s", null,
            List.of("72.246.0.0/15"),
            List.of(new AllowedService("192.168.4.7/32", "25/tcp"), new AllowedService("10.20.0.0/16", "123/udp"),
                new AllowedService("192.168.4.0/28", "icmp")),
            List.of(new AllowedPair("192.168.4.23", "198.51.100.0/28")), null, null, null, null),
        new RestrictedOutgoingPolicyConfig("lab", List.of("192.168.9.0/24"), "120s", null, null, null, null, null, null, null, null));
    SiteConfig site = new SiteConfig(List.of("192.168.0.0/16", "10.0.0.0/8", "fd00::/8"), null, null, null);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<RestrictedOutgoingPolicy> policies =
        RestrictedOutgoingPolicy.compileAll(site, new PoliciesConfig(configs), h -> PrefixSet.empty());
    AlarmWriter writer = new AlarmWriter(new OutputsConfig(logDir.toString(), null, null, 100_000, null, null, null, null), logDir,
        Clock.systemUTC(), AlarmWriter.Overflow.DROP, registry);
    analyzer = new Analyzer(policies, writer, null, registry);
    Random rnd = new Random(7);
    events = new ConnectionEvent[BATCH];
    for (int i = 0; i < BATCH; i++) {
      int kind = rnd.nextInt(100) < breaking ? 99 : rnd.nextInt(96);
      IpAddr orig;
      IpAddr resp;
      if (kind < 90) {        // unrestricted hosts, anywhere
        orig = IpAddr.ofV4((192 << 24) | (168 << 16) | ((10 + rnd.nextInt(100)) << 8) | rnd.nextInt(256));
        resp = IpAddr.ofV4(rnd.nextInt());
      } else if (kind < 96) { // restricted hosts, local or allowed destinations
        orig = IpAddr.ofV4((192 << 24) | (168 << 16) | (4 << 8) | rnd.nextInt(256));
        resp = rnd.nextBoolean() ? IpAddr.ofV4((10 << 24) | rnd.nextInt(1 << 24)) : IpAddr.ofV4((72 << 24) | (246 << 16) | rnd.nextInt(1 << 16));
      } else {                // restricted hosts to the Internet, few distinct keys
        orig = IpAddr.ofV4((192 << 24) | (168 << 16) | (4 << 8) | (100 + rnd.nextInt(20)));
        resp = IpAddr.ofV4((203 << 24) | (113 << 8) | rnd.nextInt(16));
      }
      events[i] = ConnectionEvent.builder().tsMicros(0).origH(orig).origP(40000 + rnd.nextInt(20000)).respH(resp)
          .respP(rnd.nextBoolean() ? 443 : 53).proto(rnd.nextBoolean() ? ConnectionEvent.TCP : ConnectionEvent.UDP)
          .directionConfidence(DirectionConfidence.PORT_HEURISTIC).source(EventSource.NETFLOW9).build();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void onEvent() {
    for (ConnectionEvent e : events) {
      ts += 1000;
      // the timestamp is the one field that changes per event; rebuilding the record would measure the builder
      analyzer.onEvent(new ConnectionEvent(ts, e.durationMicros(), e.origH(), e.origP(), e.respH(), e.respP(), e.proto(),
          e.icmpType(), e.icmpCode(), e.origPkts(), e.origIpBytes(), e.respPkts(), e.respIpBytes(), e.origBytes(),
          e.respBytes(), e.directionConfidence(), e.source(), e.exporter(), e.observationDomain(), e.uid(),
          e.samplingRate(), e.connState(), e.service(), e.raw()));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    analyzer.close();
    System.out.println("\n" + analyzer.summary(0).format());
    try (var files = Files.walk(logDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
