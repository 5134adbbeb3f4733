package io.flowsentry.app.ops;

import static io.flowsentry.app.ops.OpsFiles.assertNoProblems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/flowsentry.yml: the configuration the container runs with. */
class ContainerConfigTest {
  static final String CONTAINER_CONFIG = "docker/flowsentry.yml";
  private static final String SHIPPED_CONFIG = "config/flowsentry.yml";

  private final ShippedConfig container = ShippedConfig.load(CONTAINER_CONFIG);

  @Test
  void listensOnEveryInterfaceOfTheContainer() {
    assertFalse(container.netflowListen().isEmpty(), "inputs.netflow.listen");
    container.netflowListen().forEach(listen -> assertTrue(listen.startsWith("0.0.0.0:"), "inputs.netflow.listen: " + listen));
    assertTrue(container.metricsListen().startsWith("0.0.0.0:"), "metrics.listen: " + container.metricsListen()
        + " (expected: 0.0.0.0, or Prometheus cannot scrape it from another container)");
  }

  @Test
  void writesOutsideTheImageOnly() {
    assertTrue(container.logDir().startsWith("/"), "outputs.log_dir: " + container.logDir() + " (expected: an absolute volume path)");
    assertTrue(container.stateDir().startsWith("/"), "state_dir: " + container.stateDir() + " (expected: an absolute volume path)");
  }

  @Test
  void usesOnlyKeysOfTheArchitecture() throws Exception {
    String architecture = OpsFiles.text(OpsFiles.shared("design/ARCHITECTURE.md"));
    Matcher block = Pattern.compile("## Configuration shape.*?```yaml\\n(.*?)```", Pattern.DOTALL).matcher(architecture);
    assertTrue(block.find(), "ARCHITECTURE.md has no configuration shape block");
    JsonNode shape = new ObjectMapper(new YAMLFactory()).readTree(block.group(1));
    assertUsesOnlyKeysOf("ARCHITECTURE.md", ShippedConfig.keyPaths(shape));
  }

  @Test
  void matchesTheShippedConfiguration() {
    ShippedConfig shipped = ShippedConfig.load(SHIPPED_CONFIG);
    assertEquals(shipped.netflowPorts(), container.netflowPorts(), "NetFlow/IPFIX ports (inputs.netflow.listen)");
    assertEquals(shipped.metricsPort(), container.metricsPort(), "metrics port (metrics.listen)");
    assertUsesOnlyKeysOf(SHIPPED_CONFIG, ShippedConfig.keyPaths(shipped.root()));
  }

  private void assertUsesOnlyKeysOf(String reference, Set<String> known) {
    List<String> problems = new ArrayList<>();
    ShippedConfig.keyPaths(container.root()).stream().filter(path -> !known.contains(path))
        .forEach(path -> problems.add(path + " (expected: a key of " + reference + ")"));
    assertNoProblems(CONTAINER_CONFIG + " keys", problems);
  }
}
