package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.collector.event.CommunityId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogMessageTest {
  @Test
  void anAlarmAsRfc5424WithItsFieldsAsStructuredData() {
    AlarmFormat format = new AlarmFormat(ServiceNames.bundled(), CommunityId.DEFAULT_SEED,
        (orig, resp, at) -> "up\"dates]\\.example.com");
    SyslogMessage m = new SyslogMessage(new SyslogConfig("127.0.0.1", null, null, "local0", "warning", null).priority(),
        "sensor-1", 4242, format);
    assertEquals("<132>1 2023-11-14T22:13:20.000007Z sensor-1 flowsentry 4242 UnexpectedOutgoingConnection"
        + " [flowsentry@32473 policy=\"restricted-outgoing\" note=\"RestrictedOutgoing::Unexpected_Outgoing_Connection\""
        + " orig_h=\"192.168.4.7\" orig_p=\"10007\" resp_h=\"203.0.113.9\" resp_p=\"443\" proto=\"tcp\" uid=\"C7\""
        + " community_id=\"" + CommunityId.DEFAULT_SEED.of(Alarms.alarm(7).event()) + "\""
        + " resp_name=\"up\\\"dates\\]\\\\.example.com\"]"
        + " 1700000000.000007 UnexpectedOutgoingConnection 192.168.4.7/10007 > 203.0.113.9/https : Restricted Outgoing TCP Connection",
        m.format(Alarms.alarm(7)));
  }

  @Test
  void facilityAndSeverityByNameOrNumber() {
    assertEquals(13 * 8 + 4, new SyslogConfig("h", null, null, "security", "warning", null).priority());
    assertEquals(23 * 8 + 7, new SyslogConfig("h", null, null, "23", "7", null).priority());
    assertEquals(List.of(
        "o.port: 0 (expected: 1..65535)",
        "o.transport: \"sctp\" (expected: udp, tcp or tls)",
        "o.facility: \"local9\" (expected: a facility name such as local0 or 0..23)",
        "o.severity: \"8\" (expected: a severity name such as warning or 0..7)",
        "o.queue_capacity: 0 (expected: 1..1000000)"),
        new SyslogConfig("h", 0, "sctp", "local9", "8", 0).validate("o"));
    assertTrue(SyslogConfig.defaults().validate("o").isEmpty());
  }

  @Test
  void tlsFilesMustBeReadableAndTheClientCertificateNeedsItsKey() {
    assertEquals(List.of(
        "o.ca_file: \"/nonexistent/ca.pem\" (expected: a readable PEM file)",
        "o.cert_file: \"/nonexistent/client.pem\" (expected: a readable PEM file)",
        "o.key_file: \"\" (expected: cert_file and key_file both set (a client certificate) or both empty)"),
        new SyslogConfig("h", 6514, "tls", null, null, null, "/nonexistent/ca.pem", "/nonexistent/client.pem", null,
            null, null).validate("o"));
    assertEquals(List.of("o.transport: \"tcp\" (expected: tls, since ca_file, cert_file, key_file, server_name or"
        + " verify_server_name is set)"),
        new SyslogConfig("h", 514, "tcp", null, null, null, null, null, null, "syslog.example", null).validate("o"));
    assertTrue(new SyslogConfig("h", 6514, "tls", null, null, null).validate("o").isEmpty(), "the JVM's trust store");
  }
}
