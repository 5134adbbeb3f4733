package io.flowsentry.app.importbro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.AllowedService;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The importer on the seed's snippets and table-driven constructs, supported and not. */
class BroScriptImporterTest {
  private static BroScriptImporter.Result run(String text) {
    return BroScriptImporter.importScripts(List.of(new ScriptText("t.bro", text)));
  }

  private static List<String> problems(String text) {
    return run(text).problems().stream().map(ImportProblem::toString).toList();
  }

  @Test
  void theSeedSnippetsVerbatimImportWithoutAProblem() throws Exception {
    List<String> snippets = SeedSnippets.snippets();
    assertEquals(6, snippets.size(), "the @load block and five redefs: " + snippets);
    BroScriptImporter.Result r = BroScriptImporter.importScripts(
        snippets.stream().map(s -> new ScriptText("seed", s)).toList());
    assertEquals(List.of(), r.problems());
    ImportedPolicy p = r.policy();
    assertEquals(List.of("192.168.4.0/24", "10.0.0.0/8", "192.168.9.43/32"), p.restrictedNetworks());
    assertEquals("2m", p.suppressFor());
    assertEquals(List.of("72.246.0.0/15"), p.allowedDestinations());
    assertEquals(List.of(new AllowedService("192.168.4.7/32", "25/tcp"), new AllowedService("192.168.4.8/32", "80/tcp"),
        new AllowedService("192.168.4.9/32", "53/udp"), new AllowedService("10.0.0.0/8", "123/udp")), p.allowedServices());
    assertEquals(List.of(new AllowedPair("myhost.myorg.org", "www.google.com"),
        new AllowedPair("192.168.4.23", "www.business-partner.com")), p.allowedPairs());
    assertNull(p.localNetworks(), "the post does not set Site::local_nets");
    assertEquals(List.of(), p.toConfig().validate("p"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "120 secs|2m", "120secs|2m", "1 sec|1s", "90 sec|90s", "500 msecs|500ms", "2000 usec|2ms", "2.5 mins|150s",
      "1 min|1m", "3 hrs|3h", "1 hr|1h", "1 day|1d", "7 days|7d", "0.5 day|12h"})
  void intervalsBecomeDurations(String bro, String duration) {
    BroScriptImporter.Result r = run("redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };\n"
        + "redef RestrictedOutgoing::restricted_connection_timeout = " + bro + ";\n");
    assertEquals(List.of(), r.problems());
    assertEquals(duration, r.policy().suppressFor());
  }

  @Test
  void redefsReplaceAddAndRemoveInOrderAcrossFiles() {
    BroScriptImporter.Result r = BroScriptImporter.importScripts(List.of(
        new ScriptText("a.bro", "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8, 10.1.0.0/16 };"),
        new ScriptText("b.bro", "redef RestrictedOutgoing::restricted_outgoing_networks -= { 10.0.0.0/8 };\n"
            + "redef RestrictedOutgoing::restricted_outgoing_networks += { [2001:db8::]/32, 10.1.0.0/16, };"),
        new ScriptText("c.bro", "redef Site::local_nets = {10.0.0.0/8};redef Site::local_nets = {172.16.0.0/12};")));
    assertEquals(List.of(), r.problems());
    assertEquals(List.of("10.1.0.0/16", "2001:db8::/32"), r.policy().restrictedNetworks());
    assertEquals(List.of("172.16.0.0/12"), r.policy().localNetworks());
  }

  @Test
  void everyUnsupportedConstructIsReportedWithItsLineAndTheRestIsImported() throws Exception {
    String text = new String(BroScriptImporterTest.class.getResourceAsStream("/importbro/unsupported.bro").readAllBytes());
    BroScriptImporter.Result r = run(text);
    assertEquals(List.of(
        "t.bro:2: not imported: @load policy/frameworks/notice/community-id (flowsentry has the restricted-outgoing policy built in; other scripts have no equivalent)",
        "t.bro:3: not imported: const my_threshold = 5 ; (only redefs of the restricted-outgoing script's settings are)",
        "t.bro:4: RestrictedOutgoing::restricted_outgoing_networks: printers.example.org is not imported: a hostname, and this set holds subnets",
        "t.bro:5: RestrictedOutgoing::allowed_outgoing_dsts: updates.example.com is not imported: a hostname, and this set holds subnets"
            + " (a hostname destination goes in allowed_outgoing_dst_pairs / flowsentry's allowed_pairs)",
        "t.bro:8: RestrictedOutgoing::allowed_outgoing_network_service_pairs: [192.168.4.8/32, 132/sctp] is not imported: 132/sctp (flowsentry matches tcp, udp and icmp ports)",
        "t.bro:9: RestrictedOutgoing::allowed_outgoing_network_service_pairs: [192.168.4.9/32] is not imported (expected: [subnet, port/proto] such as [192.168.4.7/32, 25/tcp])",
        "t.bro:11: not imported: redef RestrictedOutgoing::restricted_connection_timeout = 120 fortnights ; (expected: an interval such as 120 secs, 2 mins, 500 msecs; flowsentry counts whole milliseconds)",
        "t.bro:12: not imported: redef of Notice::emailed_types (flowsentry has no equivalent setting)",
        "t.bro:13: not imported: event new_connection ( c: connection ) { (only redefs of the restricted-outgoing script's settings are)"),
        r.problems().stream().map(ImportProblem::toString).toList());
    assertEquals(List.of("192.168.4.0/24"), r.policy().restrictedNetworks());
    assertEquals(List.of("72.246.0.0/15"), r.policy().allowedDestinations());
    assertEquals(List.of(new AllowedService("192.168.4.7/32", "25/tcp")), r.policy().allowedServices());
    assertEquals(List.of(new AllowedPair("192.168.4.23", "www.business-partner.com")), r.policy().allowedPairs(),
        "the redef after the event body is still read");
    assertNull(r.policy().suppressFor());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 }|t.bro:1: expected ; after the set",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8, 300.1.2.3/8 };|t.bro:1: RestrictedOutgoing::restricted_outgoing_networks: 300.1.2.3/8 is not imported: not a valid address or subnet",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8, 10.1.0.0/33 };|t.bro:1: RestrictedOutgoing::restricted_outgoing_networks: 10.1.0.0/33 is not imported: not a valid address or subnet",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::allowed_outgoing_dsts = set(10.0.0.0/8);|t.bro:1: not imported: redef RestrictedOutgoing::allowed_outgoing_dsts = set ( 10.0.0.0/8 ) ; (expected: a set in braces, { ... })",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::restricted_connection_timeout += 5 secs;|t.bro:1: not imported: redef RestrictedOutgoing::restricted_connection_timeout += 5 secs ; (expected: = INTERVAL for an interval)",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::restricted_connection_timeout = 1 usec;|t.bro:1: not imported: redef RestrictedOutgoing::restricted_connection_timeout = 1 usec ; (expected: an interval such as 120 secs, 2 mins, 500 msecs; flowsentry counts whole milliseconds)",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8, [10.0.0.1, 10.0.0.2] };|t.bro:1: RestrictedOutgoing::restricted_outgoing_networks: [10.0.0.1, 10.0.0.2] is not imported (expected: a subnet such as 192.168.4.0/24 or an address)",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::allowed_outgoing_dst_pairs = { [10.0.0.1, a..b] };|t.bro:1: RestrictedOutgoing::allowed_outgoing_dst_pairs: [10.0.0.1, a..b] is not imported: each side must be an address, a subnet or a hostname",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::allowed_outgoing_dst_pairs = { [10.0.0.1, 10.0.0.2, 10.0.0.3] };|t.bro:1: RestrictedOutgoing::allowed_outgoing_dst_pairs: [10.0.0.1, 10.0.0.2, 10.0.0.3] is not imported (expected: [host, host] of addresses, subnets or hostnames)",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::allowed_outgoing_network_service_pairs = { [www.x.org, 25/tcp] };|t.bro:1: RestrictedOutgoing::allowed_outgoing_network_service_pairs: [www.x.org, 25/tcp] is not imported: www.x.org is not a subnet or address",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::allowed_outgoing_network_service_pairs = { [10.0.0.0/8, smtp] };|t.bro:1: RestrictedOutgoing::allowed_outgoing_network_service_pairs: [10.0.0.0/8, smtp] is not imported: smtp is not a port such as 25/tcp",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 };redef RestrictedOutgoing::restricted_outgoing_networks = {|t.bro:1: not imported: redef RestrictedOutgoing::restricted_outgoing_networks = { (the set is not closed with } before the end of the file)",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 }; redef;|t.bro:1: not imported: redef ; (expected: redef NAME = VALUE;)",
      "redef RestrictedOutgoing::restricted_outgoing_networks = { 10.0.0.0/8 }; \"unterminated|t.bro:1: not imported: \"unterminated (only redefs of the restricted-outgoing script's settings are)",
      "# nothing but a comment|t.bro: no redef of RestrictedOutgoing::restricted_outgoing_networks: the policy has no restricted_networks"})
  void malformedInputIsReportedNeverThrown(String text, String problem) {
    assertEquals(List.of(problem), problems(text));
  }
}
