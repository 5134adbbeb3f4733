package io.flowsentry.app.importbro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The importer on any text: it never throws (what it cannot read is an {@link ImportProblem}),
 * every problem names the file and a line that exists, and whatever it did import is a policy
 * the configuration loader accepts — so a printed YAML fails check-config only for want of
 * restricted networks, which is itself reported.
 */
class ImportBroFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void anyScriptText(byte[] bytes) {
    check(new String(bytes, StandardCharsets.UTF_8));
  }

  static void check(String text) {
    BroScriptImporter.Result r = BroScriptImporter.importScripts(List.of(new ScriptText("f.bro", text)));
    long lines = text.chars().filter(c -> c == '\n').count() + 1;
    assertTrue(r.problems().size() <= text.length() + 1, "at most one problem per character");
    for (ImportProblem p : r.problems()) {
      assertEquals("f.bro", p.file());
      assertTrue(p.line() >= 0 && p.line() <= lines, p.toString());
      assertFalse(p.what().isEmpty() || p.what().indexOf('\n') >= 0, p.toString());
    }
    ImportedPolicy policy = r.policy();
    List<String> invalid = policy.toConfig().validate("p");
    if (policy.restrictedNetworks().isEmpty()) {
      assertEquals(List.of("p.restricted_networks: \"[]\" (expected: at least one address or CIDR)"), invalid);
      assertTrue(r.problems().stream().anyMatch(p -> p.what().contains("restricted_networks")), r.problems().toString());
      return;
    }
    assertEquals(List.of(), invalid, "everything imported is valid");
    try {
      ConfigLoader.parse(PolicyYaml.configFile(policy), "printed");
    } catch (ConfigException e) {
      throw new AssertionError("the printed YAML is not a valid configuration: " + e.problems() + "\n" + PolicyYaml.configFile(policy));
    }
  }

  /** The real text there is: the seed's snippets, and this project's site file and unsupported constructs. */
  @Test
  void realScriptsAreSeeds() throws Exception {
    check(SeedSnippets.asOneScript());
    for (String s : SeedSnippets.snippets()) check(s);
    for (String name : List.of("site.zeek", "unsupported.bro")) {
      check(new String(getClass().getResourceAsStream("/importbro/" + name).readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Without a fuzzing engine: the seed text cut, spliced and sprinkled with the lexer's special characters. */
  @Test
  void mutatedSeedsGiveOnlyProblems() throws Exception {
    String seed = SeedSnippets.asOneScript()
        + new String(getClass().getResourceAsStream("/importbro/site.zeek").readAllBytes(), StandardCharsets.UTF_8);
    String special = "{}[](),;=+-#@\"\n\\:/ .*";
    Random rnd = new Random(2008);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder();
      int pieces = 1 + rnd.nextInt(6);
      for (int j = 0; j < pieces; j++) {
        int a = rnd.nextInt(seed.length());
        sb.append(seed, a, Math.min(seed.length(), a + rnd.nextInt(200)));
        if (rnd.nextBoolean()) sb.append(special.charAt(rnd.nextInt(special.length())));
      }
      check(sb.toString());
    }
  }

  /** Bounded: a script over the size cap is reported unread, and deep nesting is one linear pass. */
  @Test
  void hugeAndDeepInputsAreBounded() {
    BroScriptImporter.Result r = BroScriptImporter.importScripts(
        List.of(new ScriptText("big.bro", "#".repeat(BroScriptImporter.MAX_SCRIPT_CHARS + 1))));
    assertTrue(r.problems().getFirst().toString().startsWith("big.bro: not read: "), r.problems().toString());
    check("redef RestrictedOutgoing::restricted_outgoing_networks = " + "{".repeat(200_000));
    check("[".repeat(100_000) + "]".repeat(100_000));
    check(";".repeat(100_000));
  }
}
