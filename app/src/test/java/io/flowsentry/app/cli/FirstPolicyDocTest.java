package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** docs/first-policy.md shows what import-bro really prints: its examples are run here and compared. */
class FirstPolicyDocTest {
  @TempDir Path dir;

  private static String doc() throws Exception {
    return Files.readString(Path.of(System.getProperty("flowsentry.home", ".."), "docs", "first-policy.md"));
  }

  /** The body of the first {@code ```lang} block after {@code marker}. */
  private static String block(String doc, String marker, String lang) {
    int at = doc.indexOf(marker);
    assertTrue(at >= 0, "docs/first-policy.md lacks " + marker);
    int open = doc.indexOf("```" + lang + "\n", at);
    int start = open + lang.length() + 4;
    return doc.substring(start, doc.indexOf("```\n", start));
  }

  private record Run(int code, String out, String err) {}

  private static Run importBro(Path file) {
    CommandLine cli = FlowsentryCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("import-bro", file.toString());
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theImportExampleIsWhatImportBroPrints() throws Exception {
    String doc = doc();
    Path script = dir.resolve("local.zeek");
    Files.writeString(script, block(doc, "Say `local.zeek` holds:", "bro"));
    Run r = importBro(script);
    assertEquals(0, r.code(), r.err());
    String expected = block(doc, "$ bin/flowsentry import-bro local.zeek\n", "yaml");
    assertEquals(expected, r.out().replace(script.toString(), "local.zeek"));
  }

  @Test
  void theProblemsExampleIsWhatImportBroReports() throws Exception {
    String doc = doc();
    Path script = dir.resolve("old-site.bro");
    Files.writeString(script, block(doc, "Say `old-site.bro` holds:", "bro"));
    Run r = importBro(script);
    assertEquals(4, r.code(), r.err());
    int at = doc.lastIndexOf("```console\n", doc.indexOf("$ bin/flowsentry import-bro old-site.bro"));
    List<String> console = block(doc.substring(at), "```console", "console").lines().toList();
    List<String> shown = console.subList(1, console.indexOf("$ echo $?"));
    assertEquals(shown, r.err().replace(script.toString(), "old-site.bro").lines().toList());
  }
}
