package io.flowsentry.app.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explainer;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.analyzer.explain.Explanation.PolicyVerdict;
import io.flowsentry.analyzer.explain.ExplanationJson;
import io.flowsentry.analyzer.explain.ExplanationText;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** One connection per way a policy decides: the verdict, the deciding check and the entry it names. */
class ExplainerTest {
  static final long T0 = 1_772_366_400_000_000L; // 2026-03-01T12:00:00Z
  static final long SECOND = 1_000_000L;

  static final String YAML = """
      site:
        passive_dns: { min_ttl: 0s, max_ttl: 1h, grace: 5s }
      policies:
        restricted_outgoing:
          - name: servers
            restricted_networks: [192.168.4.0/24, "2001:db8:4::/48"]
            allowed_destinations: [198.51.100.0/24, "2001:db8:ffff::/48"]
            allowed_services:
              - { network: 192.168.4.0/25, port: 123/udp }
              - { network: "2001:db8:4::/48", port: 443/tcp }
            allowed_pairs:
              - { source: 192.168.4.25, destination: 203.0.113.25 }
              - { source: 192.168.4.7, destination: api.partner.example }
              - { source: 192.168.4.8, destination: later.partner.example }
            allowed_domains: ["*.cdn.example.net"]
      """;

  static FlowsentryConfig config() throws Exception {
    return ConfigLoader.parse(YAML, "explain-test.yml");
  }

  static TestNames names() throws Exception {
    return new TestNames(config().site().passiveDns())
        .resolvesTo("api.partner.example", "203.0.113.80", "2001:db8:80::1")
        // later.partner.example: not resolved yet in the background
        .looksUp("192.168.4.9", "edge7.cdn.example.net", "203.0.113.77", T0 - 10 * SECOND, 60)
        .looksUp("192.168.4.8", "later.partner.example", "203.0.113.88", T0 - 10 * SECOND, 60);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // orig, resp, service, alarms, decision, exception list (or "" for none), entry index
        Arguments.of("10.1.1.1", "203.0.113.5", "443/tcp", false, "not_restricted", "", -1),
        Arguments.of("192.168.4.10", "192.168.9.9", "443/tcp", false, "local_responder", "", -1),
        Arguments.of("192.168.4.10", "198.51.100.7", "443/tcp", false, "allowed_destination", "allowed_destinations", 0),
        Arguments.of("192.168.4.10", "203.0.113.5", "123/udp", false, "allowed_service", "allowed_services", 0),
        Arguments.of("192.168.4.200", "203.0.113.5", "123/udp", true, "alarm", "", -1),
        Arguments.of("192.168.4.25", "203.0.113.25", "8443/tcp", false, "allowed_pair", "allowed_pairs", 0),
        Arguments.of("192.168.4.7", "203.0.113.80", "443/tcp", false, "allowed_pair", "allowed_pairs", 1),
        Arguments.of("192.168.4.7", "203.0.113.81", "443/tcp", true, "alarm", "", -1),
        Arguments.of("192.168.4.8", "203.0.113.88", "443/tcp", false, "allowed_pair_resolved", "allowed_pairs", 2),
        Arguments.of("192.168.4.9", "203.0.113.77", "443/tcp", false, "allowed_domain", "allowed_domains", 0),
        Arguments.of("192.168.4.10", "203.0.113.77", "443/tcp", true, "alarm", "", -1),
        // IPv6: a local responder, an allowed destination, a service, a pair hostname's AAAA, an alarm
        Arguments.of("2001:db8:4::10", "fd00::1", "443/tcp", false, "local_responder", "", -1),
        Arguments.of("2001:db8:4::10", "2001:db8:ffff::9", "22/tcp", false, "allowed_destination", "allowed_destinations", 1),
        Arguments.of("2001:db8:4::10", "2001:db8:9::9", "443/tcp", false, "allowed_service", "allowed_services", 1),
        Arguments.of("2001:db8:4::10", "2001:db8:9::9", "3/icmp", true, "alarm", "", -1),
        Arguments.of("2001:db8:5::10", "2001:db8:9::9", "443/tcp", false, "not_restricted", "", -1));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}: {4}")
  @MethodSource("cases")
  void explainsEveryWayOfDeciding(String orig, String resp, String service, boolean alarms, String decision,
      String list, int index) throws Exception {
    FlowsentryConfig c = config();
    Explanation e = Explainer.explain(c.site(), c.policies(), names(), Connection.parse(orig, resp, service, T0), "local");
    PolicyVerdict v = e.policies().getFirst();
    assertEquals(alarms, v.alarms(), ExplanationText.render(e));
    assertEquals(decision, v.decision());
    if (!list.isEmpty()) {
      assertTrue(v.exceptions().stream().anyMatch(m -> m.list().equals(list) && m.index() == index),
          "expected " + list + "[" + index + "] among " + v.exceptions());
    }
    if (alarms) assertEquals(List.of(), v.exceptions());
    assertEquals(decision.equals("not_restricted"), v.restrictedBy().isEmpty());
    assertEquals(decision.equals("local_responder"), !v.localBy().isEmpty());
  }

  @Test
  void aHostnameShowsItsAddressesAndWhereEachCameFrom() throws Exception {
    FlowsentryConfig c = config();
    Explanation e = Explainer.explain(c.site(), c.policies(), names(),
        Connection.parse("192.168.4.8", "203.0.113.88", "443/tcp", T0), "local");
    var byName = e.policies().getFirst().names();
    var api = byName.stream().filter(n -> n.name().equals("api.partner.example")).findFirst().orElseThrow();
    assertEquals(List.of("203.0.113.80", "2001:db8:80::1"), api.background());
    var later = byName.stream().filter(n -> n.name().equals("later.partner.example")).findFirst().orElseThrow();
    assertEquals(List.of(), later.background(), "not resolved yet in the background");
    assertEquals(1, later.dnsLog().size());
    assertEquals("203.0.113.88", later.dnsLog().getFirst().address());
    // valid from grace before the query until TTL + grace after it
    assertEquals("2026-03-01T11:59:45Z", later.dnsLog().getFirst().from());
    assertEquals("2026-03-01T12:00:55Z", later.dnsLog().getFirst().until());
    String text = ExplanationText.render(e);
    assertTrue(text.contains("name later.partner.example (allowed_pairs): not resolved yet (background DNS)"), text);
    assertTrue(text.contains("the originator resolved 203.0.113.88 from later.partner.example"), text);
  }

  @Test
  void aNameLookupCountsOnlyWhileItsTtlAndGraceLast() throws Exception {
    FlowsentryConfig c = config();
    Explanation e = Explainer.explain(c.site(), c.policies(), names(),
        Connection.parse("192.168.4.9", "203.0.113.77", "443/tcp", T0 + 56 * SECOND), "local");
    assertTrue(e.policies().getFirst().alarms(), "the answer expired at T0 + 55 s");
    assertEquals("alarm", e.policies().getFirst().decision());
  }

  @Test
  void jsonRoundTripsWithSnakeCaseKeys() throws Exception {
    FlowsentryConfig c = config();
    Explanation e = Explainer.explain(c.site(), c.policies(), names(),
        Connection.parse("2001:db8:4::10", "2001:db8:9::9", "443/tcp", T0), "local");
    String json = ExplanationJson.write(e);
    assertTrue(json.contains("\"evaluated_by\" : \"local\""), json);
    assertTrue(json.contains("\"restricted_by\""), json);
    assertTrue(json.contains("\"mode\" : \"enforce\""), json);
    assertEquals(e, ExplanationJson.read(json));
  }

  @Test
  void aShadowPolicySaysSoAndWhereItsAlarmsGo() throws Exception {
    FlowsentryConfig c = ConfigLoader.parse(YAML.replace("    - name: servers\n",
        "    - name: servers\n      mode: shadow\n"), "shadow.yml");
    Explanation e = Explainer.explain(c.site(), c.policies(), names(),
        Connection.parse("192.168.4.200", "203.0.113.5", "123/udp", T0), "local");
    assertEquals("shadow", e.policies().getFirst().mode());
    assertTrue(e.policies().getFirst().alarms(), "a shadow policy decides as an enforced one");
    String text = ExplanationText.render(e);
    assertTrue(text.contains("  mode: shadow (alarms go only to servers.log)"), text);
  }
}
