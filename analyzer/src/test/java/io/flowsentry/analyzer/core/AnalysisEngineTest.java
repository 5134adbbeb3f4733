package io.flowsentry.analyzer.core;

import static io.flowsentry.analyzer.core.TestEvents.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.analyzer.resolve.LoopbackDnsServer;
import io.flowsentry.analyzer.resolve.LoopbackDnsServer.Answer;
import io.flowsentry.analyzer.resolve.ResolverConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisEngineTest {
  @TempDir Path dir;

  private static PoliciesConfig policies(List<AllowedPair> pairs) {
    return new PoliciesConfig(List.of(new RestrictedOutgoingPolicyConfig("p", List.of("192.168.4.0/24"), "60s", null,
        null, null, pairs, null, null, null, null)));
  }

  @Test
  void hostnamePairsResolveBeforeEventsAndReloadKeepsSuppression() throws Exception {
    try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
      dns.answer("www.business-partner.com", new Answer("198.51.100.77", 300));
      SiteConfig site = new SiteConfig(null, new ResolverConfig(List.of(dns.serverSpec()), null, null, null, null), null, null);
      PoliciesConfig withPair = policies(List.of(new AllowedPair("192.168.4.23", "www.business-partner.com")));
      assertEquals(Set.of("www.business-partner.com"), withPair.hostnames());
      OutputsConfig outputs = new OutputsConfig(dir.resolve("log").toString(), null, null, null, null, null, null, null);
      AnalysisEngine engine = new AnalysisEngine(site, withPair, outputs, dir.resolve("state"), AlarmWriter.Overflow.BLOCK,
          Clock.systemUTC(), new SimpleMeterRegistry());
      engine.onEvent(tcp(1000, "192.168.4.23", "198.51.100.77", 443));   // allowed pair
      engine.onEvent(tcp(1001, "192.168.4.24", "198.51.100.77", 443));   // alarm
      engine.reload(site, policies(List.of()));
      engine.onEvent(tcp(1002, "192.168.4.23", "198.51.100.77", 443));   // pair gone: alarm
      engine.onEvent(tcp(1003, "192.168.4.24", "198.51.100.77", 443));   // still suppressed across the reload
      engine.close();
      ReplaySummary s = engine.summary(0);
      assertEquals(Map.of("p", 2L), s.alarms());
      assertEquals(Map.of("p", 1L), s.suppressed());
      assertEquals(2, Files.readAllLines(dir.resolve("log/p.log")).size());
    }
  }
}
