package io.flowsentry.app.cli;

import static io.flowsentry.app.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.app.importbro.SeedSnippets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import-bro as bin/flowsentry runs it; what it prints goes through check-config, the real loader and validation. */
class ImportBroCommandTest {
  @TempDir Path dir;

  private Path resource(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, getClass().getResourceAsStream("/importbro/" + name).readAllBytes());
    return p;
  }

  /** The output written to a file, then check-config on it: 0 and the policy in the effective configuration. */
  private CliRun checkConfig(String yaml) throws Exception {
    Path cfg = dir.resolve("imported.yml");
    Files.writeString(cfg, yaml);
    return run("check-config", "-c", cfg.toString());
  }

  @Test
  void theSeedSnippetsVerbatimGiveYamlThatCheckConfigAccepts() throws Exception {
    List<String> snippets = SeedSnippets.snippets();
    String[] args = new String[snippets.size() + 1];
    args[0] = "import-bro";
    for (int i = 0; i < snippets.size(); i++) {
      Path f = dir.resolve("snippet-" + i + ".bro");
      Files.writeString(f, snippets.get(i));
      args[i + 1] = f.toString();
    }
    CliRun r = run(args);
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    CliRun check = checkConfig(r.out());
    assertEquals(0, check.code(), check.err() + "\n" + r.out());
    assertTrue(check.out().contains("suppress_for: 2m"), check.out());
    assertTrue(check.out().contains("destination: www.business-partner.com"), check.out());
  }

  @Test
  void aFullSiteFilePrintsThisYaml() throws Exception {
    Path site = resource("site.zeek");
    CliRun r = run("import-bro", site.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("""
        # flowsentry import-bro %s
        site:
          local_networks:
          - 192.168.0.0/16
          - 10.0.0.0/8
          - fd00::/8
          - 172.16.0.0/12
        policies:
          restricted_outgoing:
          - name: restricted-outgoing
            restricted_networks:
            - 192.168.4.0/24
            - 192.168.9.43/32
            - fd00:4::/64
            - 10.20.0.0/16
            - 192.168.9.44
            suppress_for: 150s
            allowed_destinations:
            - 72.246.0.0/15
            - 2001:db8:aa::/48
            - 198.51.100.7
            allowed_services:
            - network: 192.168.4.7/32
              port: 25/tcp
            - network: 192.168.4.8/32
              port: 80/tcp
            - network: 192.168.4.9/32
              port: 53/udp
            - network: 10.20.0.0/16
              port: 123/udp
            - network: fd00:4::/64
              port: 443/tcp
            - network: 192.168.4.0/28
              port: 8/icmp
            allowed_pairs:
            - source: myhost.myorg.org
              destination: www.google.com
            - source: 192.168.4.23
              destination: www.business-partner.com
            - source: 192.168.4.24
              destination: 203.0.113.0/29
            - source: fd00:4::23
              destination: 2001:db8::1
            - source: 192.168.4.25
              destination: 203.0.113.80
        """.formatted(site), r.out());
    CliRun check = checkConfig(r.out());
    assertEquals(0, check.code(), check.err());
  }

  @Test
  void whatIsNotImportedIsListedWithItsLineAndTheExitStatusIs4() throws Exception {
    Path bad = resource("unsupported.bro");
    CliRun r = run("import-bro", bad.toString());
    assertEquals(4, r.code(), r.err());
    List<String> err = r.err().lines().toList();
    assertEquals(10, err.size(), r.err());
    assertTrue(err.get(0).startsWith(bad + ":2: not imported: @load policy/frameworks/notice/community-id"), r.err());
    assertTrue(err.get(6).startsWith(bad + ":11: not imported: redef RestrictedOutgoing::restricted_connection_timeout"), r.err());
    assertEquals("import-bro: 9 thing(s) not imported; the rest was", err.get(9));
    assertEquals(0, checkConfig(r.out()).code(), "what was imported is still a valid policy");
  }

  @Test
  void intoAConfigFileReplacesPoliciesAndKeepsEveryComment() throws Exception {
    Path shipped = Path.of(System.getProperty("flowsentry.home", ".."), "config", "flowsentry.yml");
    Path cfg = dir.resolve("flowsentry.yml");
    Files.copy(shipped, cfg);
    List<String> before = Files.readAllLines(cfg);
    CliRun r = run("import-bro", resource("site.zeek").toString(), "--into", cfg.toString());
    assertEquals(0, r.code(), r.err());
    String after = Files.readString(cfg, StandardCharsets.UTF_8);
    List<String> afterLines = after.lines().toList();
    for (String line : before) {
      if (!line.strip().startsWith("#")) continue;
      assertTrue(afterLines.contains(line) || afterLines.contains("# " + line) || after.contains(line.strip()),
          "comment kept: " + line);
    }
    assertTrue(after.contains("# flowsentry import-bro: the policies section it replaced:\n# policies:\n#   restricted_outgoing:"), after);
    assertTrue(after.contains("\n  local_networks: [192.168.0.0/16, 10.0.0.0/8, \"fd00::/8\", 172.16.0.0/12]\n"), after);
    CliRun check = run("check-config", "-c", cfg.toString());
    assertEquals(0, check.code(), check.err());
    assertTrue(check.out().contains("name: restricted-outgoing") && check.out().contains("port: 8/icmp"), check.out());
    assertTrue(check.out().contains("- 172.16.0.0/12"), check.out());
    // the rest of the file is unchanged: outputs, inputs, metrics lines are all still there in order
    List<String> untouched = before.stream().filter(l -> l.startsWith("outputs:") || l.startsWith("inputs:")
        || l.startsWith("metrics:")).toList();
    assertEquals(untouched, afterLines.stream().filter(untouched::contains).toList());
  }

  @Test
  void intoAConfigThatWouldBecomeInvalidIsNotChanged() throws Exception {
    Path cfg = dir.resolve("flowsentry.yml");
    Files.writeString(cfg, "# mine\npolicies:\n  restricted_outgoing: []\n");
    Path empty = dir.resolve("empty.bro");
    Files.writeString(empty, "# no settings\n");
    CliRun r = run("import-bro", empty.toString(), "--into", cfg.toString());
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().contains("restricted_networks"), r.err());
    assertTrue(r.err().contains(cfg + ": not changed"), r.err());
    assertEquals("# mine\npolicies:\n  restricted_outgoing: []\n", Files.readString(cfg));
  }

  @Test
  void anUnreadableFileIsARuntimeFailure() {
    CliRun r = run("import-bro", dir.resolve("missing.bro").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith(dir.resolve("missing.bro") + ": cannot read"), r.err());
  }
}
