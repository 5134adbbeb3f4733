package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where {@code replay} writes: never into the configured (live) log_dir unless asked to. */
class ReplayOutputTest {
  private static final Clock AT = Clock.fixed(Instant.parse("2026-12-01T21:40:05Z"), ZoneOffset.UTC);
  private static final String ALARM = "1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns"
      + " : Restricted Outgoing UDP Connection";
  private static final String LIVE = "1764624000.000000 UnexpectedOutgoingConnection 192.168.4.8/50000 > 203.0.113.7/https"
      + " : Restricted Outgoing TCP Connection";

  @TempDir Path dir;
  private Path liveLogs;
  private Path cfg;
  private Path connLog;

  @BeforeEach
  void aDaemonsLogsAndALogToReplay() throws IOException {
    liveLogs = Files.createDirectories(dir.resolve("live"));
    Files.writeString(liveLogs.resolve("alarms.log"), LIVE + "\n");
    cfg = dir.resolve("flowsentry.yml");
    Files.writeString(cfg, """
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
        outputs:
          log_dir: %s
          events:
            path: %s
        """.formatted(liveLogs, liveLogs.resolve("events.json")));
    connLog = dir.resolve("conn.log");
    Files.writeString(connLog, """
        #separator \\x09
        #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto
        #types\ttime\tstring\taddr\tport\taddr\tport\tenum
        1225743661.858791\tC1\t192.168.4.7\t137\t203.0.113.9\t137\tudp
        """);
  }

  private CliRun replay(String... args) {
    ReplayCommand command = new ReplayCommand();
    command.replayRoot = dir.resolve("var/replay");
    command.clock = AT;
    return CliRun.run(new CommandLine(command), args);
  }

  private static String lastLines(CliRun r, int n) {
    List<String> lines = r.out().lines().toList();
    return String.join("\n", lines.subList(lines.size() - n, lines.size()));
  }

  @Test
  void byDefaultEachReplayWritesToAFolderOfItsOwnAndSaysWhich() throws Exception {
    Path first = dir.resolve("var/replay/2026-12-01T21-40-05Z");
    Path second = dir.resolve("var/replay/2026-12-01T21-40-05Z-2"); // same second (the clock is fixed)
    for (Path folder : List.of(first, second)) {
      CliRun r = replay("-c", cfg.toString(), connLog.toString());
      assertEquals(0, r.code(), r.err());
      assertEquals("alarms written to " + folder.toAbsolutePath() + "\nevents written to " + folder.resolve("events.json").toAbsolutePath(),
          lastLines(r, 2));
      assertEquals(List.of(ALARM), Files.readAllLines(folder.resolve("alarms.log")));
      assertEquals(1, Files.readAllLines(folder.resolve("events.json")).size());
    }
    assertEquals(List.of(LIVE), Files.readAllLines(liveLogs.resolve("alarms.log")), "the running daemon's log is untouched");
    assertEquals(List.of("alarms.log"), Files.list(liveLogs).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void logDirChoosesTheFolder() throws Exception {
    Path chosen = dir.resolve("chosen");
    CliRun r = replay("-c", cfg.toString(), "--log-dir", chosen.toString(), connLog.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("alarms written to " + chosen.toAbsolutePath() + "\nevents written to " + chosen.resolve("events.json").toAbsolutePath(),
        lastLines(r, 2));
    assertEquals(List.of(ALARM), Files.readAllLines(chosen.resolve("alarms.log")));
    assertEquals(false, Files.exists(dir.resolve("var/replay")), "no default folder when one is chosen");
  }

  @Test
  void runFolderGivesUpAfterAHundredRunsInOneSecond() throws Exception {
    Path parent = dir.resolve("busy");
    for (int i = 0; i < RunFolder.MAX_PER_SECOND; i++) RunFolder.create(parent, AT);
    IOException e = assertThrows(IOException.class, () -> RunFolder.create(parent, AT));
    assertEquals(parent + ": 100 run folders named 2026-12-01T21-40-05Z already exist", e.getMessage());
  }
}
