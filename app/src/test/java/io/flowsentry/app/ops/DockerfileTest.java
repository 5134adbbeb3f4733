package io.flowsentry.app.ops;

import static io.flowsentry.app.ops.OpsFiles.assertNoProblems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docker/Dockerfile, checked as far as a machine without a Docker engine allows. */
class DockerfileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dockerfile dockerfile = new Dockerfile();
  private final ShippedConfig container = ShippedConfig.load(ContainerConfigTest.CONTAINER_CONFIG);
  private final Path context = OpsFiles.path("docker").resolve(new Compose().service("flowsentry").path("build").path("context").asText()).normalize();

  @Test
  void buildsWithTheWrapperOnAJdkAndRunsOnAJre() {
    List<String> from = dockerfile.arguments("FROM");
    assertEquals(2, from.size(), "stages " + from);
    assertEquals("eclipse-temurin:21-jdk AS build", from.getFirst());
    assertEquals("eclipse-temurin:25-jre", from.getLast());
    assertTrue(dockerfile.arguments("RUN").stream().anyMatch(run -> run.contains("./mvnw") && run.contains("package")),
        "the build stage runs the Maven wrapper");
  }

  @Test
  void copiesOnlyFilesThatExistAndAreInTheContext() {
    List<String> problems = new ArrayList<>();
    for (String copy : dockerfile.arguments("COPY")) {
      if (copy.startsWith("--from=")) continue;
      List<String> words = Arrays.asList(copy.split("\\s+"));
      for (String source : words.subList(0, words.size() - 1)) {
        if (!Files.exists(context.resolve(source))) problems.add("COPY " + source + ": not in the build context " + context);
        if (!source.equals(".") && Dockerfile.ignored(source)) problems.add("COPY " + source + ": excluded by " + Dockerfile.IGNORE_FILE);
      }
    }
    for (String needed : List.of("mvnw", ".mvn/wrapper/maven-wrapper.properties", "pom.xml", "collector/pom.xml",
        "analyzer/pom.xml", "app/pom.xml", "app/src/main/java/io/flowsentry/app/cli/FlowsentryCommand.java", "config/flowsentry.yml")) {
      if (Dockerfile.ignored(needed)) problems.add(needed + ": the build needs it but " + Dockerfile.IGNORE_FILE + " excludes it");
    }
    for (String unwanted : List.of(".git/HEAD", "app/target/flowsentry.jar", "var/state/x")) {
      if (!Dockerfile.ignored(unwanted)) problems.add(unwanted + ": should stay out of the build context");
    }
    assertNoProblems("COPY", problems);
  }

  @Test
  void runsAsAnUnprivilegedUser() {
    List<String> users = dockerfile.runtimeStage().stream().filter(i -> i.keyword().equals("USER")).map(Dockerfile.Instruction::arguments).toList();
    assertFalse(users.isEmpty(), "the runtime stage sets no USER");
    String user = users.getLast().split(":")[0];
    assertFalse(user.equals("root") || user.equals("0"), "USER " + user);
  }

  @Test
  void exposesThePortsTheContainerConfigListensOn() {
    Set<String> exposed = new TreeSet<>();
    dockerfile.arguments("EXPOSE").forEach(e -> exposed.addAll(Arrays.asList(e.split("\\s+"))));
    assertEquals(container.containerPorts(), exposed);
  }

  @Test
  void healthcheckProbesHealthzOnTheMetricsPort() {
    List<String> healthchecks = dockerfile.arguments("HEALTHCHECK");
    assertEquals(1, healthchecks.size());
    String probe = "http://127.0.0.1:" + container.metricsPort() + "/healthz";
    assertTrue(healthchecks.getFirst().contains("CMD curl -fsS " + probe), healthchecks.getFirst() + " (expected: curl -fsS " + probe + ")");
    assertTrue(dockerfile.runtimeStage().stream().anyMatch(i -> i.keyword().equals("RUN") && i.arguments().contains("install -y --no-install-recommends curl")),
        "the runtime stage installs curl for the HEALTHCHECK");
  }

  @Test
  void runsTheConfigThatComposeMountsAndKeepsStateInVolumes() throws Exception {
    List<String> command = texts(dockerfile.arguments("CMD").getLast());
    int c = command.indexOf("-c");
    assertTrue(c >= 0 && c + 1 < command.size(), "CMD " + command + " names no -c CONFIG");
    String configPath = command.get(c + 1);
    assertEquals(configPath, new Compose().mountOf("flowsentry", "./flowsentry.yml").orElseThrow().target(), "compose mount of flowsentry.yml");
    assertTrue(dockerfile.arguments("COPY").contains("docker/flowsentry.yml " + configPath), "the image holds docker/flowsentry.yml at " + configPath);

    List<String> volumes = texts(dockerfile.arguments("VOLUME").getLast());
    List<String> problems = new ArrayList<>();
    for (String needed : List.of(Path.of(configPath).getParent().toString(), container.stateDir(), container.logDir())) {
      if (volumes.stream().noneMatch(v -> needed.equals(v) || needed.startsWith(v + "/"))) problems.add(needed + " is in no VOLUME " + volumes);
    }
    assertNoProblems("volumes", problems);
  }

  private static List<String> texts(String jsonArray) throws Exception {
    JsonNode array = JSON.readTree(jsonArray);
    assertTrue(array.isArray(), "exec form expected: " + jsonArray);
    return OpsFiles.texts(array);
  }
}
