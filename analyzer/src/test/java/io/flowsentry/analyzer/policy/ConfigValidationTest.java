package io.flowsentry.analyzer.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The YAML of the issue binds, defaults fill in, and every problem is listed with key, value and expectation. */
class ConfigValidationTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  record Root(SiteConfig site, PoliciesConfig policies, OutputsConfig outputs) {}

  @Test
  void issueExampleBindsAndValidates() throws Exception {
    Root r = YAML.readValue("""
        site:
          local_networks: [192.168.0.0/16, 10.0.0.0/8, fd00::/8]
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24, 10.0.0.0/8, 192.168.9.43/32]
              suppress_for: 60s
              allowed_destinations: [72.246.0.0/15]
              allowed_services:
                - { network: 192.168.4.7/32, port: 25/tcp }
                - { network: 10.0.0.0/8, port: 123/udp }
              allowed_pairs:
                - { source: myhost.myorg.org, destination: www.google.com }
                - { source: 192.168.4.23, destination: www.business-partner.com }
        outputs:
          log_dir: var/log
          rotate: { max_size: 100MB, interval: 1d, keep: 5 }
        """, Root.class);
    assertEquals(List.of(), r.site().validate("site"));
    assertEquals(List.of(), r.policies().validate("policies"));
    assertEquals(List.of(), r.outputs().validate("outputs"));
    RestrictedOutgoingPolicyConfig p = r.policies().restrictedOutgoing().get(0);
    assertEquals(100_000, p.maxSuppressionEntries());
    assertEquals("zeek", p.noteStyle());
    assertEquals(100L << 20, r.outputs().rotate().maxSizeBytes());
    assertEquals("30s", r.site().dns().minTtl());
  }

  @Test
  void absentSectionsTakeDefaults() throws Exception {
    Root r = YAML.readValue("site: {}\n", Root.class);
    assertEquals(SiteConfig.DEFAULT_LOCAL_NETWORKS, r.site().localNetworks());
    assertEquals(0, r.site().communityIdSeed(), "Zeek's and Suricata's default seed");
    assertEquals(List.of(), r.site().validate("site"));
    assertEquals(List.of(), SiteConfig.defaults().validate("site"));
    assertEquals(List.of(), PoliciesConfig.defaults().validate("policies"));
    assertEquals(List.of(), OutputsConfig.defaults().validate("outputs"));
    assertEquals("var/log", OutputsConfig.defaults().logDir());
    assertEquals("60s", RestrictedOutgoingPolicyConfig.defaults().suppressFor());
  }

  @Test
  void everyProblemIsListed() throws Exception {
    Root r = YAML.readValue("""
        site:
          local_networks: [10.0.0.0/33]
          dns: { servers: [not-an-ip], min_ttl: 2h, max_ttl: 1h, keep_seen_for: soon }
          community_id_seed: 65536
        policies:
          restricted_outgoing:
            - name: "bad name"
              restricted_networks: [192.168.4.0/24, 300.1.1.1]
              suppress_for: 60 seconds
              max_suppression_entries: 0
              allowed_destinations: [akamai]
              allowed_services:
                - { network: 192.168.4.7/32, port: 25/sctp }
              allowed_pairs:
                - { source: "-bad-", destination: 10.0.0.0/99 }
              allowed_domains: [updates.example.com, "a..b"]
              note_style: bro
              mode: dry-run
            - name: dup
              restricted_networks: []
            - name: dup
              restricted_networks: [10.0.0.0/8]
        outputs:
          rotate: { max_size: lots, keep: -1 }
          queue_capacity: 0
        """, Root.class);
    assertEquals(List.of(
        "site.local_networks[0]: \"10.0.0.0/33\" (expected: an IPv4 or IPv6 address or CIDR such as 10.0.0.0/8 or fd00::/8)",
        "site.dns.servers[0]: \"not-an-ip\" (expected: a nameserver address such as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53)",
        "site.dns.max_ttl: \"1h\" (expected: at least min_ttl (2h))",
        "site.dns.keep_seen_for: \"soon\" (expected: a duration of at least 0s such as 500ms, 60s, 5m, 1h or 7d)",
        "site.community_id_seed: 65536 (expected: an integer from 0 to 65535)"),
        r.site().validate("site"));
    assertEquals(List.of(
        "policies.restricted_outgoing[0].name: \"bad name\" (expected: 1-64 letters, digits, '_' or '-', starting with a letter or digit, not alarms or notice)",
        "policies.restricted_outgoing[0].restricted_networks[1]: \"300.1.1.1\" (expected: an IPv4 or IPv6 address or CIDR such as 10.0.0.0/8 or fd00::/8)",
        "policies.restricted_outgoing[0].suppress_for: \"60 seconds\" (expected: a duration of at least 0s such as 500ms, 60s, 5m, 1h or 7d)",
        "policies.restricted_outgoing[0].max_suppression_entries: 0 (expected: a positive entry count)",
        "policies.restricted_outgoing[0].allowed_destinations[0]: \"akamai\" (expected: an IPv4 or IPv6 address or CIDR such as 10.0.0.0/8 or fd00::/8)",
        "policies.restricted_outgoing[0].allowed_services[0].port: \"25/sctp\" (expected: a port/protocol such as 25/tcp, 1024-2048/udp, icmp, tcp or udp)",
        "policies.restricted_outgoing[0].allowed_pairs[0].source: \"-bad-\" (expected: an address, a CIDR or a hostname)",
        "policies.restricted_outgoing[0].allowed_pairs[0].destination: \"10.0.0.0/99\" (expected: an address, a CIDR or a hostname)",
        "policies.restricted_outgoing[0].allowed_domains[1]: \"a..b\" (expected: a DNS name such as updates.example.com or a wildcard such as *.windowsupdate.com)",
        "policies.restricted_outgoing[0].note_style: \"bro\" (expected: zeek or legacy)",
        "policies.restricted_outgoing[0].mode: \"dry-run\" (expected: enforce or shadow)",
        "policies.restricted_outgoing[1].restricted_networks: \"[]\" (expected: at least one address or CIDR)",
        "policies.restricted_outgoing[2].name: \"dup\" (expected: a name no other policy uses)"),
        r.policies().validate("policies"));
    assertEquals(List.of(
        "outputs.rotate.max_size: \"lots\" (expected: empty (off) or a size of at least 1KB such as 100MB)",
        "outputs.rotate.keep: -1 (expected: 0 (keep all) or a positive count)",
        "outputs.queue_capacity: 0 (expected: 1..1000000)"),
        r.outputs().validate("outputs"));
  }

  @Test
  void unknownKeysAreErrors() {
    UnrecognizedPropertyException e = assertThrows(UnrecognizedPropertyException.class, () -> YAML.readValue("""
        policies:
          restricted_outgoing:
            - name: p
              restricted_networks: [10.0.0.0/8]
              alowed_destinations: []
        """, Root.class));
    assertTrue(e.getMessage().contains("alowed_destinations"), e.getMessage());
  }
}
