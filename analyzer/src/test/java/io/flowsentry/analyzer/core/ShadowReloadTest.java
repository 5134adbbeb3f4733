package io.flowsentry.analyzer.core;

import static io.flowsentry.analyzer.core.TestEvents.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that switches a policy between shadow and enforce is the swap the daemon's SIGHUP does
 * ({@link Analyzer#update}): the policy keeps its suppression table, so a key that alarmed in
 * shadow stays quiet for its suppress_for after going live, and a new key alarms into alarms.log.
 */
class ShadowReloadTest {
  @TempDir Path dir;

  private static List<RestrictedOutgoingPolicy> policy(String mode) {
    RestrictedOutgoingPolicyConfig c = new RestrictedOutgoingPolicyConfig("servers", List.of("192.168.4.0/24"), "60s",
        null, null, null, null, null, null, null, mode);
    PoliciesConfig pc = new PoliciesConfig(List.of(c));
    assertEquals(List.of(), pc.validate("policies"));
    return RestrictedOutgoingPolicy.compileAll(SiteConfig.defaults(), pc, name -> PrefixSet.empty());
  }

  @Test
  void switchingShadowToEnforceKeepsSuppressionAndNewKeysAlarmEverywhere() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Path log = dir.resolve("log");
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), log, Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, registry);
    Analyzer a = new Analyzer(policy("shadow"), w, null, registry);
    a.onEvent(tcp(1000, "192.168.4.7", "203.0.113.9", 443)); // shadow alarm
    a.flush();
    assertEquals(List.of(), Files.readAllLines(log.resolve("alarms.log")), "shadow: nothing in alarms.log");
    assertEquals(1, Files.readAllLines(log.resolve("servers.log")).size());

    a.update(policy("enforce"));
    a.onEvent(tcp(1030, "192.168.4.7", "203.0.113.9", 443)); // same key within suppress_for: quiet
    a.onEvent(tcp(1031, "192.168.4.8", "203.0.113.9", 443)); // a new key: alarms, now for real
    a.flush();
    assertEquals(List.of("1031.000000 UnexpectedOutgoingConnection 192.168.4.8/49152 > 203.0.113.9/https : Restricted Outgoing TCP Connection"),
        Files.readAllLines(log.resolve("alarms.log")));
    assertEquals(1, Files.readAllLines(log.resolve("notice.log")).size());
    assertEquals(List.of(
        "1000.000000 UnexpectedOutgoingConnection 192.168.4.7/49152 > 203.0.113.9/https : Restricted Outgoing TCP Connection mode=shadow",
        "1031.000000 UnexpectedOutgoingConnection 192.168.4.8/49152 > 203.0.113.9/https : Restricted Outgoing TCP Connection"),
        Files.readAllLines(log.resolve("servers.log")));
    assertEquals(1, w.written("servers", "UnexpectedOutgoingConnection", PolicyMode.SHADOW));
    assertEquals(1, w.written("servers", "UnexpectedOutgoingConnection", PolicyMode.ENFORCE));
    assertEquals(1, a.summary(0).suppressed().get("servers"));

    a.update(policy("shadow")); // and back: the live key stays suppressed, a new one is shadow again
    a.onEvent(tcp(1040, "192.168.4.8", "203.0.113.9", 443));
    a.onEvent(tcp(1041, "192.168.4.9", "203.0.113.9", 443));
    a.close();
    assertEquals(1, Files.readAllLines(log.resolve("alarms.log")).size());
    assertEquals(3, Files.readAllLines(log.resolve("servers.log")).size());
    assertEquals(2, w.written("servers", "UnexpectedOutgoingConnection", PolicyMode.SHADOW));
  }
}
