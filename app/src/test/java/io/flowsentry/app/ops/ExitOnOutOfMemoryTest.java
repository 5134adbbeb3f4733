package io.flowsentry.app.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Every way flowsentry is started makes the JVM exit when memory runs out (ForcedOutOfMemoryIT shows the exit). */
class ExitOnOutOfMemoryTest {
  private static final String FLAG = "-XX:+ExitOnOutOfMemoryError";

  @Test
  void theLauncherPassesTheFlagWhateverFlowsentryJavaOptsSays() throws Exception {
    String exec = Files.readAllLines(OpsFiles.path("bin/flowsentry")).stream()
        .filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
    assertTrue(exec.contains("java\" " + FLAG + " "), exec);
  }

  @Test
  void theContainerPassesTheFlagWhateverFlowsentryJavaOptsSays() throws Exception {
    String entrypoint = Files.readAllLines(OpsFiles.path("docker/Dockerfile")).stream()
        .filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    assertTrue(entrypoint.contains("\"/opt/flowsentry/bin/entrypoint.sh\""), entrypoint);
    String exec = Files.readAllLines(OpsFiles.path("docker/entrypoint.sh")).stream()
        .filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
    assertTrue(exec.startsWith("exec java " + FLAG + " "), exec);
  }

  @Test
  void theLauncherAndTheContainerTakeTheirOptionsFromJvmOpts() throws Exception {
    for (String script : new String[] {"bin/flowsentry", "docker/entrypoint.sh"}) {
      String exec = Files.readAllLines(OpsFiles.path(script)).stream().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
      assertTrue(exec.contains("${FLOWSENTRY_JAVA_OPTS:-$(") && exec.contains("/bin/jvm-opts") && exec.contains(" \"$JAVA_HOME\")}"), script + ": " + exec);
    }
  }
}
