package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code demo} in-process on loopback (ephemeral ports, no Debian peer): it shows alarms on
 * every run, counts exactly the ones this run wrote, and leaves the operator's state alone.
 */
class DemoCommandTest {
  private static final Pattern WROTE = Pattern.compile("^demo: this run wrote (\\d+) alarms to (.+)$", Pattern.MULTILINE);

  @TempDir Path dir;
  /** The demo appends only to a Zeek file under the working directory (never a real Zeek's absolute path). */
  private Path zeekDir;
  private Path cfg;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void configuration() throws IOException {
    zeekDir = Path.of("target", "demo-test-" + UUID.randomUUID());
    cfg = dir.resolve("demo.yml");
    Files.writeString(cfg, """
        inputs:
          netflow:
            listen: ["127.0.0.1:0"]
          zeek:
            - path: %s
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(zeekDir.resolve("conn.log"), dir.resolve("log"), dir.resolve("state")));
  }

  @AfterEach
  void removeZeekFolder() throws IOException {
    if (!Files.exists(zeekDir)) return;
    try (Stream<Path> paths = Files.walk(zeekDir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private Run demo() {
    CommandLine cli = FlowsentryCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("demo", "-c", cfg.toString(), "--exit-after", "0s");
    return new Run(code, out.toString(), err.toString());
  }

  private static long alarmsWritten(Run r) {
    Matcher m = WROTE.matcher(r.out());
    assertTrue(m.find(), r.out());
    return Long.parseLong(m.group(1));
  }

  /** Before: a second demo within suppress_for (60 s) was suppressed by the first one's snapshot and wrote nothing. */
  @Test
  void everyRunWritesAlarmsAndCountsOnlyItsOwn() throws Exception {
    Path alarms = dir.resolve("log/alarms.log");
    Path notices = dir.resolve("log/notice.log");
    long total = 0;
    long zeekAlarms = 0;
    for (int run = 1; run <= 2; run++) {
      Run r = demo();
      assertEquals(0, r.code(), "run " + run + ":\n" + r.out() + r.err());
      assertTrue(r.out().contains("demo: alarms are arriving. Look at:"), r.out());
      assertTrue(r.out().contains("demo: appended 3 conn.log lines to " + zeekDir.resolve("conn.log")), r.out());
      long written = alarmsWritten(r);
      assertTrue(written > 0, "run " + run + " wrote no alarm:\n" + r.out());
      total += written;
      assertEquals(total, Files.readAllLines(alarms).size(), "the count is this run's alarms, added to the file");
      assertEquals(alarms.toAbsolutePath().toString(), WROTE.matcher(r.out()).results().findFirst().orElseThrow().group(2));
      // the two sample lines that leave the site alarm on every run too (the third goes to a local host)
      zeekAlarms += 2;
      assertEquals(zeekAlarms, Files.readAllLines(notices).stream().filter(l -> l.contains("source=zeek ")).count(),
          "run " + run + ": the sample conn.log alarms");
    }
  }

  @Test
  void theConfiguredStateFolderIsLeftAlone() {
    Run r = demo();
    assertEquals(0, r.code(), r.out() + r.err());
    assertFalse(Files.exists(dir.resolve("state")), "the demo's suppression snapshot and tail checkpoints are its own");
  }

  @Test
  void theMetricsAddressPrintedIsTheOneServing() {
    Run r = demo();
    assertEquals(0, r.code(), r.out() + r.err());
    Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(r.out());
    assertTrue(m.find(), r.out());
    assertFalse(m.group(1).equals("0"), "the bound port, not the configured 0: " + r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("demo: sending NetFlow v9 to 127.0.0.1:") && !l.contains(":0 ")), r.out());
    assertEquals(List.of(), r.err().lines().toList());
  }
}
