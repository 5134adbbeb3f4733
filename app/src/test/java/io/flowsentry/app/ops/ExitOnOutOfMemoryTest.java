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
  void theContainerPassesTheFlag() throws Exception {
    String entrypoint = Files.readAllLines(OpsFiles.path("docker/Dockerfile")).stream()
        .filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    assertTrue(entrypoint.contains("\"java\", \"" + FLAG + "\""), entrypoint);
  }
}
