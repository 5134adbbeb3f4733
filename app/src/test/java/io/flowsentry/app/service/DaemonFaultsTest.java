package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.metrics.Registries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up and reload failures of the daemon say why, and say everything. */
class DaemonFaultsTest {
  @TempDir Path dir;

  private Path config(String stateDir, String policyExtra) throws IOException {
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, """
        inputs:
          netflow:
            listen: []
        policies:
          restricted_outgoing:
            - name: p
              restricted_networks: [192.168.4.0/24]
        %s
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(policyExtra, dir.resolve("log"), stateDir));
    return file;
  }

  @Test
  void aStateDirThatIsAFileFailsStartUpSayingSo() throws Exception {
    Path state = dir.resolve("state");
    Files.writeString(state, "not a directory");
    Path file = config(state.toString(), "");
    Daemon daemon = new Daemon(file, ConfigLoader.load(file), Registries.prometheus(), Clock.systemUTC());
    IOException e = assertThrows(IOException.class, daemon::start);
    assertEquals("state_dir " + state + " is not a directory (" + state + " is a file); it holds the tail checkpoints"
        + " and the suppression snapshot", e.getMessage());
  }

  @Test
  void aReloadWithSeveralBadKeysListsEveryProblemAndKeepsRunning() throws Exception {
    Path file = config(dir.resolve("state").toString(), "");
    FlowsentryConfig running = ConfigLoader.load(file);
    Daemon daemon = new Daemon(file, running, Registries.prometheus(), Clock.systemUTC());
    daemon.start();
    try {
      Files.writeString(file, Files.readString(file).replace("restricted_networks: [192.168.4.0/24]",
          "restricted_networks: [192.168.4.0/24]\n      suppres_for: 10s\n      max_suppression_entries: -5\n      note_style: loud"));
      List<String> problems = daemon.reload();
      assertEquals(3, problems.size(), problems.toString());
      assertTrue(problems.get(0).contains("policies.restricted_outgoing[0].suppres_for: unknown key"), problems.get(0));
      assertTrue(problems.get(1).contains("max_suppression_entries: -5"), problems.get(1));
      assertTrue(problems.get(2).contains("note_style: \"loud\""), problems.get(2));
    } finally {
      daemon.close();
    }
  }
}
