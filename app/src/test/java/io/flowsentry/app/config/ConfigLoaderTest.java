package io.flowsentry.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.collector.zeek.ZeekInputConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  private static final Path SHIPPED = Path.of(System.getProperty("flowsentry.home", ".."), "config", "flowsentry.yml");

  @Test
  void anEmptyFileIsTheBuiltInDefaults() throws ConfigException {
    assertEquals(FlowsentryConfig.defaults(), ConfigLoader.parse("", "empty.yml"));
    assertEquals(FlowsentryConfig.defaults(), ConfigLoader.parse("# nothing but a comment\n", "empty.yml"));
  }

  /**
   * The shipped file documents every default: apart from its example lists (the Zeek files it
   * follows and its one policy), it must equal the built-in defaults, and its list entries must
   * equal entries that give only their required keys.
   */
  @Test
  void theShippedFileShowsTheBuiltInDefaults() throws ConfigException {
    FlowsentryConfig shipped = ConfigLoader.load(SHIPPED);
    FlowsentryConfig defaults = FlowsentryConfig.defaults();
    assertEquals(defaults.inputs().netflow(), shipped.inputs().netflow());
    assertEquals(defaults.site(), shipped.site());
    assertEquals(defaults.outputs(), shipped.outputs());
    assertEquals(defaults.stateDir(), shipped.stateDir());
    assertEquals(defaults.metrics(), shipped.metrics());
    for (ZeekInputConfig z : shipped.inputs().zeek()) assertEquals(ZeekInputConfig.of(z.path()), z);
    RestrictedOutgoingPolicyConfig p = shipped.policies().restrictedOutgoing().get(0);
    PoliciesConfig minimal = ConfigLoader.parse("""
        policies:
          restricted_outgoing:
            - name: %s
              restricted_networks: %s
        """.formatted(p.name(), p.restrictedNetworks()), "minimal.yml").policies();
    assertEquals(minimal, shipped.policies());
  }

  @Test
  void theEffectiveConfigurationReadsBackToItself() throws ConfigException {
    FlowsentryConfig shipped = ConfigLoader.load(SHIPPED);
    assertEquals(shipped, ConfigLoader.parse(ConfigLoader.toYaml(shipped), "effective.yml"));
  }

  @Test
  void aClusterSectionBindsAndReadsBack() throws ConfigException {
    FlowsentryConfig c = ConfigLoader.parse("""
        cluster:
          kafka:
            bootstrap_servers: ["kafka-1:9092", "[::1]:9093"]
            topic_prefix: site-a
            properties: {security.protocol: SSL, linger.ms: 5}
            max_buffered_events: 500
        """, "cluster.yml");
    var kafka = c.cluster().kafka();
    assertEquals(List.of("kafka-1:9092", "[::1]:9093"), kafka.bootstrapServers());
    assertEquals("site-a.flows.v1", kafka.topics().flows());
    assertEquals(java.util.Map.of("security.protocol", "SSL", "linger.ms", "5"), kafka.properties());
    assertEquals(500, kafka.maxBufferedEvents());
    assertEquals(c, ConfigLoader.parse(ConfigLoader.toYaml(c), "effective.yml"));
    assertEquals(false, FlowsentryConfig.defaults().cluster().enabled());
  }

  static Stream<Arguments> brokenConfigurations() {
    return Stream.of(
        Arguments.of("unknown top-level key", "inptus: {}\n",
            List.of("bad.yml: inptus: unknown key (expected one of: cluster, inputs, metrics, outputs, policies, site, state_dir)")),
        Arguments.of("unknown nested key", "inputs:\n  netflow:\n    port: 2055\n",
            List.of("bad.yml: inputs.netflow.port: unknown key (expected one of: allowed_exporters, decapsulation, limits, listen, receive_buffer, sockets_per_address, warm_up)")),
        Arguments.of("listen without port", "inputs:\n  netflow:\n    listen: [\"0.0.0.0\"]\n",
            List.of("bad.yml: inputs.netflow.listen[0]: \"0.0.0.0\" (expected: host:port with an IP address literal (IPv6 in brackets, e.g. [::1]:2055) and a port 0-65535)")),
        Arguments.of("listen is not a list", "inputs:\n  netflow:\n    listen: 2055\n",
            List.of("bad.yml: inputs.netflow.listen: 2055 (expected: a list)")),
        Arguments.of("unknown decapsulation", "inputs:\n  netflow:\n    decapsulation: vxlan\n",
            List.of("bad.yml: inputs.netflow.decapsulation: \"vxlan\" (expected: none or srv6)")),
        Arguments.of("receive buffer as text", "inputs:\n  netflow:\n    receive_buffer: lots\n",
            List.of("bad.yml: inputs.netflow.receive_buffer: \"lots\" (expected: an integer)")),
        Arguments.of("bad duration", "inputs:\n  netflow:\n    limits:\n      pending_timeout: soon\n",
            List.of("bad.yml: inputs.netflow.limits.pending_timeout: expected a duration such as 500ms, 60s, 5m, 1h or 7d, got \"soon\"")),
        Arguments.of("zero templates", "inputs:\n  netflow:\n    limits:\n      max_templates_per_exporter: 0\n",
            List.of("bad.yml: inputs.netflow.limits.max_templates_per_exporter: 0 (expected: a positive integer)")),
        Arguments.of("unknown cluster key", "cluster:\n  kafka:\n    bootstrap: [\"k:9092\"]\n    brokers: 1\n",
            List.of("bad.yml: cluster.kafka.bootstrap: unknown key (expected one of: bootstrap_servers, max_buffered_events, properties, topic_prefix)",
                "bad.yml: cluster.kafka.brokers: unknown key (expected one of: bootstrap_servers, max_buffered_events, properties, topic_prefix)",
                "bad.yml: cluster.kafka.bootstrap_servers: [] (expected: at least one broker as host:port)")),
        Arguments.of("cluster property flowsentry owns", "cluster:\n  kafka:\n    bootstrap_servers: [\"k:9092\"]\n    properties: {acks: \"1\"}\n",
            List.of("bad.yml: cluster.kafka.properties.acks: \"1\" (expected: not set here: flowsentry sets acks itself"
                + " (bootstrap servers from bootstrap_servers, the rest for its delivery guarantees))")),
        Arguments.of("metrics listen", "metrics:\n  listen: localhost\n",
            List.of("bad.yml: metrics.listen: \"localhost\" (expected: host:port with an IP address literal (IPv6 in brackets, e.g. [::1]:2055) and a port 0-65535)")),
        Arguments.of("empty state dir", "state_dir: \"\"\n",
            List.of("bad.yml: state_dir: \"\" (expected: a directory path)")),
        Arguments.of("not YAML", "inputs: [\n",
            List.of("bad.yml: line 2, column 1: not valid YAML: expected the node content, but found '<stream end>' (while parsing a flow node)")),
        // Jackson alone says "line 1, column 9 ... while scanning for the next token": where it was, not what is wrong
        Arguments.of("a tab on line 2", "policies:\n\trestricted_outgoing: []\n",
            List.of("bad.yml: line 2, column 1: not valid YAML: found character '\\t(TAB)' that cannot start any token."
                + " (Do not use \\t(TAB) for indentation) (while scanning for the next token)")),
        Arguments.of("an unclosed [", "site:\n  local_networks: [10.0.0.0/8\nstate_dir: x\n",
            List.of("bad.yml: line 3, column 10: not valid YAML: expected ',' or ']', but got : (while parsing a flow sequence that starts at line 2, column 19)")),
        Arguments.of("a mapping where a list belongs", "site:\n  local_networks: {a: 1}\n",
            List.of("bad.yml: site.local_networks: a mapping (expected: a list)")),
        Arguments.of("two problems at once", "inputs:\n  netflow:\n    listen: [\"x\"]\n    receive_buffer: -1\n",
            List.of("bad.yml: inputs.netflow.listen[0]: \"x\" (expected: host:port with an IP address literal (IPv6 in brackets, e.g. [::1]:2055) and a port 0-65535)",
                "bad.yml: inputs.netflow.receive_buffer: -1 (expected: a positive number of bytes, e.g. 16777216)")),
        Arguments.of("an unknown key does not hide a bad value (start-up and SIGHUP alike)",
            "policies:\n  restricted_outgoing:\n    - name: p\n      restricted_networks: [10.0.0.0/8]\n      bogus_key: 2\n      suppress_for: banana\n",
            List.of("bad.yml: policies.restricted_outgoing[0].bogus_key: unknown key (expected one of: allowed_destinations, allowed_domains, allowed_pairs, allowed_services, max_alarms_per_minute, max_suppression_entries, mode, name, note_style, restricted_networks, suppress_for)",
                "bad.yml: policies.restricted_outgoing[0].suppress_for: \"banana\" (expected: a duration of at least 0s such as 500ms, 60s, 5m, 1h or 7d)")),
        Arguments.of("a wrong type does not hide a bad value, nor repeats as its default",
            "site:\n  local_networks: 5\npolicies:\n  restricted_outgoing:\n    - name: p\n      restricted_networks: 7\n      max_suppression_entries: 1.5\n      note_style: banana\n",
            List.of("bad.yml: site.local_networks: 5 (expected: a list)",
                "bad.yml: policies.restricted_outgoing[0].restricted_networks: 7 (expected: a list)",
                "bad.yml: policies.restricted_outgoing[0].max_suppression_entries: 1.5 (expected: an integer)",
                "bad.yml: policies.restricted_outgoing[0].note_style: \"banana\" (expected: zeek or legacy)")),
        Arguments.of("zeek path twice", "inputs:\n  zeek:\n    - path: a.log\n    - path: a.log\n",
            List.of("bad.yml: inputs.zeek[1].path: \"a.log\" (expected: each path once; it is already inputs.zeek[0])")),
        Arguments.of("boolean as text", "inputs:\n  netflow:\n    limits:\n      exporter_includes_port: maybe\n",
            List.of("bad.yml: inputs.netflow.limits.exporter_includes_port: \"maybe\" (expected: true or false)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenConfigurations")
  void brokenConfigurationsNameFileKeyValueAndExpectation(String what, String yaml, List<String> expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "bad.yml"));
    assertEquals(expected, e.problems());
  }
}
