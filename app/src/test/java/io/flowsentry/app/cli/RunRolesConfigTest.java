package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.roles.ClusterNode;
import io.flowsentry.app.roles.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad role/cluster combinations are configuration errors: exit 3 before anything starts, with the reason. */
class RunRolesConfigTest {
  @TempDir Path dir;

  private static final String CLUSTER = """
      cluster:
        kafka:
          bootstrap_servers: ["127.0.0.1:1"]
      """;

  @Test
  void roleNamesAreTheContractSpellings() {
    assertEquals(EnumSet.of(Role.COLLECTOR, Role.ANALYZER), Role.parseList("collector, analyzer"));
    assertEquals(EnumSet.of(Role.ALARM_WRITER), Role.parseList("alarm-writer"));
    assertEquals("--role collector,writer: unknown role \"writer\" (expected: a comma list of collector, analyzer, alarm-writer)",
        assertThrows(IllegalArgumentException.class, () -> Role.parseList("collector,writer")).getMessage());
  }

  @Test
  void aRoleNeedsAClusterAndACollectorNeedsInputs() throws Exception {
    FlowsentryConfig single = ConfigLoader.parse("", "x.yml");
    assertEquals(List.of("cluster.kafka: absent (expected: bootstrap_servers of the Kafka cluster the roles analyzer exchange"
        + " events and alarms through; without roles, run is the single-node daemon)"), ClusterNode.problems(Set.of(Role.ANALYZER), single));
    FlowsentryConfig cluster = ConfigLoader.parse(CLUSTER + "inputs:\n  netflow:\n    listen: []\n", "x.yml");
    assertEquals(List.of("inputs: none (expected: inputs.netflow.listen or inputs.zeek for the collector role)"),
        ClusterNode.problems(Set.of(Role.COLLECTOR), cluster));
    assertEquals(List.of(), ClusterNode.problems(Set.of(Role.ANALYZER, Role.ALARM_WRITER), cluster));
  }

  @Test
  void anAnalyzerTakesAShadowPolicyNowThatTheAlarmTopicCarriesTheMode() throws Exception {
    FlowsentryConfig shadow = ConfigLoader.parse(CLUSTER + """
        policies:
          restricted_outgoing:
            - name: staged
              restricted_networks: [192.168.4.0/24]
              mode: shadow
        """, "x.yml");
    assertEquals(List.of(), ClusterNode.problems(Set.of(Role.ANALYZER), shadow));
  }

  @Test
  void runExitsThreeOnEveryBadCombination() throws Exception {
    Path plain = dir.resolve("plain.yml");
    Files.writeString(plain, "metrics:\n  listen: 127.0.0.1:0\n");
    Path clustered = dir.resolve("cluster.yml");
    Files.writeString(clustered, CLUSTER + "metrics:\n  listen: 127.0.0.1:0\n");
    assertEquals(ExitCodes.INVALID_CONFIG, run("--role", "analyzer", "-c", plain.toString()));
    assertEquals(ExitCodes.INVALID_CONFIG, run("--role", "router", "-c", clustered.toString()));
    assertEquals(ExitCodes.INVALID_CONFIG, run("-c", clustered.toString()));
  }

  private static int run(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "run";
    System.arraycopy(args, 0, all, 1, args.length);
    return FlowsentryCommand.commandLine().execute(all);
  }
}
