package io.flowsentry.analyzer.alarm;

import static io.flowsentry.analyzer.core.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.policy.NoteStyle;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnLogJson;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlarmFormatTest {
  private final AlarmFormat format = AlarmFormat.defaults();

  private static Alarm alarm(ConnectionEvent e, NoteStyle style) {
    return new Alarm("restricted-outgoing", style.alarmName(e.proto()), style.noticeNote(e.proto()), e, Duration.ofSeconds(60), null);
  }

  @Test
  void classicLineOfTheIssue() {
    ConnectionEvent e = event(1225743661.858791, "192.168.4.7", 137, "203.0.113.9", 137, ConnectionEvent.UDP);
    assertEquals("1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns"
        + " : Restricted Outgoing UDP Connection", format.classicLine(alarm(e, NoteStyle.ZEEK)));
    assertEquals("1225743661.858791 UnexpectedOutgoingUDPConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns"
        + " : Restricted Outgoing UDP Connection", format.classicLine(alarm(e, NoteStyle.LEGACY)));
  }

  @Test
  void unknownPortsStayNumbersAndNamesArePerProtocol() {
    ConnectionEvent e = event(1225743661.000001, "192.168.4.7", 51234, "203.0.113.9", 137, ConnectionEvent.TCP);
    // 137/tcp has no name in netbase's table, only 137/udp
    assertEquals("1225743661.000001 UnexpectedOutgoingTCPConnection 192.168.4.7/51234 > 203.0.113.9/137"
        + " : Restricted Outgoing TCP Connection", format.classicLine(alarm(e, NoteStyle.LEGACY)));
    ConnectionEvent https = event(1225743661, "192.168.4.7", 51234, "203.0.113.9", 443, ConnectionEvent.TCP);
    assertEquals("1225743661.000000 UnexpectedOutgoingConnection 192.168.4.7/51234 > 203.0.113.9/https"
        + " : Restricted Outgoing TCP Connection", format.classicLine(alarm(https, NoteStyle.ZEEK)));
  }

  @Test
  void ipv6AndIcmp() {
    ConnectionEvent e = event(1700000000.5, "fd00:4::7", 128, "2001:db8::1", 0, ConnectionEvent.ICMPV6);
    assertEquals("1700000000.500000 UnexpectedOutgoingICMPConnection fd00:4::7/128 > 2001:db8::1/0"
        + " : Restricted Outgoing ICMP Connection", format.classicLine(alarm(e, NoteStyle.LEGACY)));
  }

  @Test
  void noticeJson() {
    ConnectionEvent e = event(1225743661.858791, "192.168.4.7", 51234, "203.0.113.9", 443, ConnectionEvent.TCP)
        .toBuilder().uid("CHhAvVGS1DHFjwGM9").exporter("/opt/zeek/logs/current/conn.log").build();
    assertEquals("{\"ts\":1225743661.858791,\"uid\":\"CHhAvVGS1DHFjwGM9\",\"id.orig_h\":\"192.168.4.7\","
        + "\"id.orig_p\":51234,\"id.resp_h\":\"203.0.113.9\",\"id.resp_p\":443,\"proto\":\"tcp\","
        + "\"note\":\"RestrictedOutgoing::Unexpected_Outgoing_Connection\",\"msg\":\"Restricted Outgoing TCP Connection\","
        + "\"sub\":\"policy=restricted-outgoing source=zeek /opt/zeek/logs/current/conn.log\","
        + "\"src\":\"192.168.4.7\",\"dst\":\"203.0.113.9\",\"p\":443,\"actions\":[\"Notice::ACTION_LOG\"],"
        + "\"suppress_for\":60.000000,\"community_id\":\"1:AmYs63FdJn//K27QvPp4crcaYQw=\"}",
        format.noticeJson(alarm(e, NoteStyle.ZEEK)));
  }

  @Test
  void noticeNamesTheResponderAsTheOriginatorResolvedIt() {
    ConnectionEvent e = event(1225743661.858791, "192.168.4.7", 51234, "203.0.113.9", 443, ConnectionEvent.TCP);
    long[] askedAt = {0};
    AlarmFormat named = new AlarmFormat(ServiceNames.bundled(), CommunityId.DEFAULT_SEED, (orig, resp, at) -> {
      askedAt[0] = at;
      return orig.toString().equals("192.168.4.7") && resp.toString().equals("203.0.113.9") ? "updates.example.com" : null;
    });
    assertTrue(named.noticeJson(alarm(e, NoteStyle.ZEEK))
        .endsWith(",\"suppress_for\":60.000000,\"resp_name\":\"updates.example.com\",\"community_id\":\"1:AmYs63FdJn//K27QvPp4crcaYQw=\"}"));
    assertEquals(e.tsMicros(), askedAt[0], "looked up at the connection's time");
    assertEquals("1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/51234 > 203.0.113.9/https"
        + " : Restricted Outgoing TCP Connection", named.classicLine(alarm(e, NoteStyle.ZEEK)), "alarms.log unchanged");
  }

  @Test
  void noticeCommunityIdTakesTheSitesSeed() {
    ConnectionEvent e = event(1225743661.858791, "192.168.4.7", 51234, "203.0.113.9", 443, ConnectionEvent.TCP);
    // independently computed with seed 9
    assertTrue(new AlarmFormat(ServiceNames.bundled(), new CommunityId(9), ResponderNames.NONE).noticeJson(alarm(e, NoteStyle.ZEEK))
        .endsWith(",\"community_id\":\"1:i8cgE0viW1pwQUlCfha35BFyl40=\"}"));
  }

  @Test
  void noticeJsonWithoutUidFromNetflow() {
    ConnectionEvent e = event(1700000000, "2001:db8:4::7", 5353, "2001:db8::53", 53, ConnectionEvent.UDP)
        .toBuilder().uid(null).source(EventSource.IPFIX).exporter("192.0.2.1").build();
    assertEquals("{\"ts\":1700000000.000000,\"id.orig_h\":\"2001:db8:4::7\",\"id.orig_p\":5353,"
        + "\"id.resp_h\":\"2001:db8::53\",\"id.resp_p\":53,\"proto\":\"udp\","
        + "\"note\":\"RestrictedOutgoing::UnexpectedOutgoingUDPConnection\",\"msg\":\"Restricted Outgoing UDP Connection\","
        + "\"sub\":\"policy=restricted-outgoing source=ipfix 192.0.2.1\",\"src\":\"2001:db8:4::7\",\"dst\":\"2001:db8::53\","
        + "\"p\":53,\"actions\":[\"Notice::ACTION_LOG\"],\"suppress_for\":60.000000,"
        + "\"community_id\":\"1:aupXpArQKJhQ+05E44zJ+Tz7mNc=\"}", format.noticeJson(alarm(e, NoteStyle.LEGACY)));
  }

  @Test
  void secondsAlwaysHaveSixDecimals() {
    assertEquals("0.000000", ConnLogJson.seconds(0));
    assertEquals("1.000001", ConnLogJson.seconds(1_000_001));
    assertEquals("-0.500000", ConnLogJson.seconds(-500_000));
  }

  @Test
  void bundledServiceTable() {
    ServiceNames n = ServiceNames.bundled();
    assertEquals("smtp", n.name(25, ConnectionEvent.TCP));
    assertEquals("domain", n.name(53, ConnectionEvent.UDP));
    assertEquals("ntp", n.name(123, ConnectionEvent.UDP));
    assertNull(n.name(25, ConnectionEvent.UDP));
    assertNull(n.name(0, ConnectionEvent.ICMP));
  }
}
