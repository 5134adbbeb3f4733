package io.flowsentry.app.cli;

import static io.flowsentry.app.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What a new user sees from the command line (issue 14): each message says what went wrong and where. */
class CliMessagesTest {
  @TempDir Path dir;

  /**
   * What {@code run} logged (it logs rather than prints, so that the JSON log format covers it),
   * kept off the console: these failures are provoked on purpose.
   */
  private static List<String> runLogs(Runnable r) {
    Logger runLog = (Logger) LoggerFactory.getLogger(RunCommand.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    runLog.addAppender(logged);
    runLog.setAdditive(false);
    try {
      r.run();
    } finally {
      runLog.setAdditive(true);
      runLog.detachAppender(logged);
    }
    return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aBadDemoDurationIsAUsageErrorBeforeAnythingStarts() throws Exception {
    Path logDir = dir.resolve("log");
    Path cfg = dir.resolve("demo.yml");
    Files.writeString(cfg, "outputs:\n  log_dir: " + logDir + "\nstate_dir: " + dir.resolve("state") + "\n");
    CliRun r = run("demo", "-c", cfg.toString(), "--exit-after", "soon");
    assertEquals(ExitCodes.USAGE, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("Invalid value for option '--exit-after': expected a duration such as 500ms, 60s, 5m, 1h or 7d, got \"soon\""), r.err());
    assertEquals("", r.out());
    assertFalse(Files.exists(logDir) || Files.exists(dir.resolve("state")), "nothing was started, nothing written");
  }

  /** The README: 3 is "the configuration cannot be used", whether it is invalid or not there at all. */
  @Test
  void aMissingConfigurationExitsThreeFromEveryCommandThatReadsOne() throws Exception {
    String missing = dir.resolve("nope.yml").toString();
    Path log = dir.resolve("conn.log");
    Files.writeString(log, "");
    List<List<String>> commands = List.of(List.of("run"), List.of("check-config"), List.of("replay", log.toString()),
        List.of("demo", "--exit-after", "0s"));
    String problem = missing + ": file not found (expected: a YAML configuration file; see config/flowsentry.yml)";
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("-c", missing));
      CliRun[] r = new CliRun[1];
      List<String> logged = runLogs(() -> r[0] = run(args.toArray(String[]::new)));
      assertEquals(ExitCodes.INVALID_CONFIG, r[0].code(), command + ": " + r[0].err());
      if (command.get(0).equals("run")) {
        assertEquals(List.of(problem), logged);
      } else {
        assertEquals(problem + "\n", r[0].err(), command.toString());
      }
    }
  }

  @Test
  void aTakenMetricsPortIsNamedWithoutASlashAndExitsOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      Path cfg = dir.resolve("taken.yml");
      Files.writeString(cfg, """
          inputs:
            netflow:
              listen: ["127.0.0.1:0"]
            zeek: []
          policies:
            restricted_outgoing:
              - name: lab
                restricted_networks: [192.168.4.0/24]
          outputs:
            log_dir: %s
          state_dir: %s
          metrics:
            listen: %s
          """.formatted(dir.resolve("log"), dir.resolve("state"), listen));

      int[] code = new int[1];
      List<String> logged = runLogs(() -> code[0] = run("run", "-c", cfg.toString()).code());
      assertEquals(ExitCodes.FAILURE, code[0], "README: 1 is a runtime failure such as a port in use");
      assertEquals(List.of("flowsentry could not start: metrics: cannot listen on " + listen + ": Address already in use"), logged);

      CliRun demo = run("demo", "-c", cfg.toString(), "--exit-after", "0s");
      assertEquals(ExitCodes.FAILURE, demo.code());
      assertEquals("demo: flowsentry could not start: metrics: cannot listen on " + listen + ": Address already in use\n", demo.err());
    }
  }

  @Test
  void versionIsTheOneTheBuildCarries() throws Exception {
    // surefire runs in the module folder; the analyzer's version is its parent's
    Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "analyzer/pom.xml names its parent's version");
    for (String flag : List.of("-V", "--version")) {
      CliRun r = run(flag);
      assertEquals(0, r.code());
      assertEquals("flowsentry " + m.group(1), r.out().lines().findFirst().orElseThrow());
    }
  }

  /** picocli lists each command by the first line of its description: that line must be a whole sentence. */
  @Test
  void theCommandListShowsEachSummaryAsAWholeSentence() {
    CliRun r = run("--help");
    assertEquals(0, r.code());
    List<String> lines = r.out().lines().toList();
    List<String> summaries = new ArrayList<>();
    for (String line : lines.subList(lines.indexOf("Commands:") + 1, lines.size())) {
      if (line.isBlank()) break;
      if (line.startsWith("  ") && !line.startsWith("   ")) summaries.add(line.strip().replaceFirst("^\\S+\\s+", ""));
      else summaries.set(summaries.size() - 1, summaries.getLast() + " " + line.strip());
    }
    // one summary per registered command (a new command changes nothing here)
    assertEquals(FlowsentryCommand.commandLine().getSubcommands().size(), summaries.size(), r.out());
    for (String s : summaries) assertTrue(s.endsWith("."), "not a whole sentence: " + s);
    assertTrue(summaries.contains("Decode NetFlow v5/v9/IPFIX and sFlow v5 datagrams from a pcap or pcapng capture (tcpdump -w) to JSON lines."), summaries.toString());
    assertTrue(summaries.contains("Import the restricted-outgoing Bro script's settings (its redef lines) as a flowsentry policy."),
        summaries.toString());
  }
}
