package io.flowsentry.collector.zeek.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.ZeekTestData;
import io.flowsentry.collector.zeek.ZeekTestData.Entry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every conn.log from Zeek's own test suite (../shared/testdata/zeek/conn), against index.tsv. */
class ConnLogTestDataTest {
  private static final long BASE = 1_700_000_000L;

  /** Outcomes of one file. */
  record Parsed(List<ConnectionEvent> events, Map<BadLineReason, Integer> bad, int columnNameLines, ConnLogParser parser) {
    int badCount() {
      return bad.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  static Stream<Entry> files() {
    return ZeekTestData.index().stream();
  }

  static Parsed parse(Entry e, boolean unmask) {
    ConnLogParser parser = new ConnLogParser(e.path().toString(), false);
    List<ConnectionEvent> events = new ArrayList<>();
    Map<BadLineReason, Integer> bad = new EnumMap<>(BadLineReason.class);
    int columnNameLines = 0;
    int[] counter = {0};
    for (String line : ZeekTestData.lines(e)) {
      String text = unmask ? ZeekTestData.unmask(line, BASE, counter) : line;
      switch (parser.parse(text)) {
        case LineOutcome.Event ev -> events.add(ev.event());
        case LineOutcome.Bad b -> bad.merge(b.reason(), 1, Integer::sum);
        case LineOutcome.Meta m -> columnNameLines += line.startsWith("#") || line.isEmpty() ? 0 : 1;
        case LineOutcome.Taken t -> throw new AssertionError("conn.log lines become events: " + line);
      }
    }
    return new Parsed(events, bad, columnNameLines, parser);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void eventsPlusBadLinesAreTheDataLines(Entry e) {
    Parsed p = parse(e, false);
    assertEquals(e.records(), p.events().size() + p.badCount(), "events + bad lines vs records " + p.bad());
    // index.tsv counts a zeek-cut style column-name line as a data line; it is header, not data
    assertEquals(e.cutStyle() ? 1 : 0, p.columnNameLines());
    assertEquals(e.dataLines(), p.events().size() + p.badCount() + p.columnNameLines());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void maskedTimestampsAreBadLines(Entry e) {
    long masked = ZeekTestData.lines(e).stream()
        .filter(l -> !l.startsWith("#") && l.startsWith(ZeekTestData.MASK)).count();
    Parsed p = parse(e, false);
    if (!e.cutStyle()) {
      assertEquals(masked, (long) p.bad().getOrDefault(BadLineReason.MASKED_TIMESTAMP, 0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void withRealTimestampsEveryFullLineIsAnEvent(Entry e) {
    Parsed p = parse(e, true);
    assertFalse(p.bad().containsKey(BadLineReason.MASKED_TIMESTAMP));
    if (e.cutStyle()) {
      // zeek-cut subsets lack ts or the addresses: no event can be made, and the reason says so
      assertEquals(Map.of(BadLineReason.MISSING_FIELD, e.records()), p.bad());
    } else {
      assertEquals(e.records(), p.events().size(), "bad: " + p.bad());
      for (ConnectionEvent ev : p.events()) {
        assertEquals(DirectionConfidence.EXPORTER, ev.directionConfidence());
        assertEquals(EventSource.ZEEK, ev.source());
        assertEquals(e.path().toString(), ev.exporter());
        assertNotNull(ev.uid());
        assertTrue(ev.tsMicros() >= BASE * 1_000_000);
      }
    }
  }

  private static Entry entry(String file) {
    return ZeekTestData.index().stream().filter(e -> e.file().equals(file)).findFirst().orElseThrow();
  }

  private static ConnectionEvent byUid(List<ConnectionEvent> events, String uid) {
    return events.stream().filter(e -> uid.equals(e.uid())).findFirst().orElseThrow();
  }

  @Test
  void icmpv6OverPppoe() {
    // XXX CP5puj4I8PtEU4qzYg fc00:0:2:100::1:1 128 fc00::1 129 icmp - 0.156000 260 260 OTH T T 0 - 5 500 5 500 - 58
    ConnectionEvent ev = byUid(parse(entry("core.pppoe__conn.log"), true).events(), "CP5puj4I8PtEU4qzYg");
    assertEquals(IpAddr.parse("fc00:0:2:100::1:1"), ev.origH());
    assertEquals(IpAddr.parse("fc00::1"), ev.respH());
    assertEquals(ConnectionEvent.ICMPV6, ev.proto());
    assertEquals(128, ev.origP());
    assertEquals(129, ev.respP());
    assertEquals(128, ev.icmpType());
    assertEquals(129, ev.icmpCode());
    assertEquals(156_000, ev.durationMicros());
    assertEquals(260, ev.origBytes());
    assertEquals(260, ev.respBytes());
    assertEquals("OTH", ev.connState());
    assertEquals(5, ev.origPkts());
    assertEquals(500, ev.origIpBytes());
    assertEquals(5, ev.respPkts());
    assertEquals(500, ev.respIpBytes());
    assertEquals(null, ev.service());
    // the second line: duration and byte counts unset
    ConnectionEvent ns = byUid(parse(entry("core.pppoe__conn.log"), true).events(), "CtPZjS20MLrsMUOJi2");
    assertEquals(-1, ns.durationMicros());
    assertEquals(-1, ns.origBytes());
    assertEquals(134, ns.icmpType());
    assertEquals(133, ns.icmpCode());
  }

  @Test
  void icmpv4InsideErspanTunnel() {
    // XXX ClEkJM2Vm5giqnMf4h 172.16.133.2 8 172.217.11.78 0 icmp - 0.014360 280 280 OTH T F 0 - 5 420 5 420 CHhAvVGS1DHFjwGM9 1
    Parsed p = parse(entry("core.erspanI__conn.log"), true);
    ConnectionEvent ev = p.events().getFirst();
    assertEquals("ClEkJM2Vm5giqnMf4h", ev.uid());
    assertEquals(IpAddr.parse("172.16.133.2"), ev.origH());
    assertEquals(IpAddr.parse("172.217.11.78"), ev.respH());
    assertEquals(ConnectionEvent.ICMP, ev.proto());
    assertEquals(8, ev.icmpType());
    assertEquals(0, ev.icmpCode());
    assertEquals(14_360, ev.durationMicros());
    assertEquals(420, ev.origIpBytes());
    assertEquals(BASE * 1_000_000, ev.tsMicros());
  }

  @Test
  void teredoTunnelledTcpAndUdp() {
    List<ConnectionEvent> events = parse(entry("core.tunnels.teredo__conn.log"), true).events();
    // C3eiCBGOLw3VtHfOj 192.168.2.16 1578 75.126.203.78 80 tcp http 0.407908 790 171 RSTO T F 0 ShADadR 6 1038 4 335 - 6
    ConnectionEvent http = byUid(events, "C3eiCBGOLw3VtHfOj");
    assertEquals(IpAddr.parse("192.168.2.16"), http.origH());
    assertEquals(1578, http.origP());
    assertEquals(IpAddr.parse("75.126.203.78"), http.respH());
    assertEquals(80, http.respP());
    assertEquals(ConnectionEvent.TCP, http.proto());
    assertEquals("http", http.service());
    assertEquals(407_908, http.durationMicros());
    assertEquals(790, http.origBytes());
    assertEquals(171, http.respBytes());
    assertEquals("RSTO", http.connState());
    assertEquals(6, http.origPkts());
    assertEquals(1038, http.origIpBytes());
    assertEquals(4, http.respPkts());
    assertEquals(335, http.respIpBytes());
    assertEquals(-1, http.icmpType());
    ConnectionEvent dns = byUid(events, "CtxTCR2Yer0FR1tIBg");
    assertEquals(ConnectionEvent.UDP, dns.proto());
    assertEquals(53, dns.respP());
    assertEquals(682, dns.respIpBytes());
    assertTrue(events.stream().anyMatch(e -> e.origH().v6()), "teredo carries IPv6 inside IPv4");
  }

  @Test
  void ipv6FromCiscoFabricPath() {
    // XXX CGLPPc35OzDQij1XX8 1234::e 57005 5678:: 48879 tcp - 0.001139 0 0 S0 F F 0 S 2 120 0 0 - 6
    ConnectionEvent ev = byUid(parse(entry("core.cisco-fabric-path__conn.log"), true).events(), "CGLPPc35OzDQij1XX8");
    assertEquals(IpAddr.parse("1234::e"), ev.origH());
    assertEquals(IpAddr.parse("5678::"), ev.respH());
    assertEquals(57005, ev.origP());
    assertEquals(48879, ev.respP());
    assertEquals(ConnectionEvent.TCP, ev.proto());
    assertEquals(1139, ev.durationMicros());
    assertEquals(0, ev.origBytes());
    assertEquals("S0", ev.connState());
    assertEquals(120, ev.origIpBytes());
  }

  @Test
  void writeTsBeforeTsIsNotTheTimestamp() {
    // _write_ts _stream _system_name ts uid ...: each line holds two masks, the second is ts
    Parsed p = parse(entry("scripts.base.frameworks.logging.field-extension__conn.log"), true);
    ConnectionEvent first = p.events().getFirst();
    assertEquals((BASE + 1) * 1_000_000 + 1, first.tsMicros());
    assertEquals("CFSwNi4CNGxcuffo49", first.uid());
    assertEquals(IpAddr.parse("173.192.163.128"), first.origH());
    assertEquals(6705, first.respP());
  }

  @Test
  void underscoreScopeSeparator() {
    Parsed p = parse(entry("scripts.base.frameworks.logging.scope_sep__conn.log"), true);
    ConnectionEvent dns = byUid(p.events(), "C0LAHyvtKSQHyJxIl");
    assertEquals(IpAddr.parse("141.142.220.118"), dns.origH());
    assertEquals(32902, dns.origP());
    assertEquals(IpAddr.parse("141.142.2.2"), dns.respH());
    assertEquals(53, dns.respP());
    assertEquals(117, dns.respIpBytes());
  }

  @Test
  void unknownTransportUsesIpProto() {
    Parsed p = parse(entry("core.unknown-ip-protocol__conn.log"), true);
    assertEquals(1, p.events().size());
    String line = ZeekTestData.lines(entry("core.unknown-ip-protocol__conn.log")).stream()
        .filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    String ipProto = line.substring(line.lastIndexOf('\t') + 1);
    assertEquals(Integer.parseInt(ipProto), p.events().getFirst().proto());
  }

  @Test
  void headerIsRead() {
    Parsed p = parse(entry("core.pppoe__conn.log"), false);
    TsvHeader h = p.parser().header();
    assertEquals("conn", h.path());
    assertEquals("XXXX-XX-XX-XX-XX-XX", h.open());
    assertEquals(",", h.setSeparator());
    assertEquals(22, h.fields().size());
    assertEquals("set[string]", h.types().get(20));
    assertEquals(ZeekFormat.TSV, p.parser().format());
  }
}
