package io.flowsentry.app.ops;

import static io.flowsentry.app.ops.OpsFiles.assertNoProblems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docker/docker-compose.yml, checked as far as a machine without a Docker engine allows. */
class DockerComposeTest {
  private final Compose compose = new Compose();
  private final Path dockerDir = OpsFiles.path("docker");
  private final ShippedConfig container = ShippedConfig.load(ContainerConfigTest.CONTAINER_CONFIG);

  @Test
  void runsFlowsentryPrometheusAndGrafana() {
    Set<String> services = new TreeSet<>();
    compose.root().path("services").fieldNames().forEachRemaining(services::add);
    assertEquals(Set.of("flowsentry", "prometheus", "grafana"), services);
  }

  @Test
  void everyReferencedFileExists() {
    List<String> problems = new ArrayList<>();
    JsonNode build = compose.service("flowsentry").path("build");
    Path context = dockerDir.resolve(build.path("context").asText()).normalize();
    if (!Files.isDirectory(context)) problems.add("flowsentry build.context " + context);
    if (!Files.isRegularFile(context.resolve(build.path("dockerfile").asText()))) problems.add("flowsentry build.dockerfile " + build.path("dockerfile"));
    Set<String> namedVolumes = new TreeSet<>();
    compose.root().path("volumes").fieldNames().forEachRemaining(namedVolumes::add);
    compose.root().path("services").fieldNames().forEachRemaining(service -> {
      for (Compose.Mount mount : compose.mounts(service)) {
        if (mount.fromHostPath() && !Files.exists(dockerDir.resolve(mount.source()))) {
          problems.add(service + ": mount source " + mount.source() + " does not exist");
        } else if (!mount.fromHostPath() && !mount.fromVariable() && !namedVolumes.contains(mount.source())) {
          problems.add(service + ": volume " + mount.source() + " is not declared under volumes:");
        }
      }
    });
    assertNoProblems(Compose.FILE, problems);
  }

  @Test
  void publishesThePortsTheContainerConfigListensOn() {
    Set<String> published = new TreeSet<>();
    compose.ports("flowsentry").forEach(port -> published.add(port.toString()));
    assertEquals(container.containerPorts(), published, "flowsentry ports vs " + ContainerConfigTest.CONTAINER_CONFIG);
  }

  @Test
  void mountsTheContainerConfigAndZeekLogsReadOnly() {
    Compose.Mount config = compose.mountOf("flowsentry", "./flowsentry.yml").orElseThrow();
    assertTrue(config.readOnly(), "flowsentry.yml mount must be read-only");
    List<Compose.Mount> zeek = compose.mounts("flowsentry").stream().filter(Compose.Mount::fromVariable).toList();
    assertEquals(1, zeek.size(), "one Zeek log directory mount from a variable (ZEEK_LOG_DIR)");
    assertTrue(zeek.getFirst().source().startsWith("${ZEEK_LOG_DIR"), zeek.getFirst().source());
    assertTrue(zeek.getFirst().readOnly(), "the Zeek log directory must be mounted read-only");
    assertTrue(!container.zeekPaths().isEmpty() && container.zeekPaths().stream().allMatch(p -> p.startsWith(zeek.getFirst().target() + "/")),
        "inputs.zeek paths " + container.zeekPaths() + " must lie under the mount " + zeek.getFirst().target());
  }

  @Test
  void prometheusRunsTheShippedConfigAndRules() {
    Compose.Mount config = compose.mountOf("prometheus", "./prometheus.yml").orElseThrow();
    List<String> command = OpsFiles.texts(compose.service("prometheus").path("command"));
    assertTrue(command.contains("--config.file=" + config.target()), "prometheus command " + command + " must load " + config.target());
    Path containerDir = Path.of(config.target()).getParent();
    for (String rules : OpsFiles.texts(OpsFiles.yaml("docker/prometheus.yml").path("rule_files"))) {
      Compose.Mount mount = compose.mountOf("prometheus", "./" + rules).orElseThrow(() -> new AssertionError("rule file " + rules + " is not mounted"));
      assertEquals(containerDir.resolve(rules).toString(), mount.target(), "rule file " + rules + " next to prometheus.yml");
    }
  }

  @Test
  void grafanaGetsProvisioningDashboardsAndPrometheus() {
    assertEquals("/etc/grafana/provisioning", compose.mountOf("grafana", "../grafana/provisioning").orElseThrow().target());
    Compose.Mount dashboards = compose.mountOf("grafana", "../grafana/dashboards").orElseThrow();
    JsonNode provider = OpsFiles.yaml("grafana/provisioning/dashboards/flowsentry.yml").path("providers").get(0);
    assertEquals(dashboards.target(), provider.path("options").path("path").asText(), "dashboard provider path");
    String home = compose.service("grafana").path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
    assertEquals(dashboards.target() + "/flowsentry.json", home, "home dashboard");
    JsonNode datasource = OpsFiles.yaml("grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0);
    assertEquals("prometheus", datasource.path("type").asText());
    assertEquals("http://prometheus:9090", datasource.path("url").asText(), "the compose service prometheus on its default port");
    assertTrue(compose.service("prometheus").isObject());
  }
}
