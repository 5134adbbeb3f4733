package io.flowsentry.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.ExportWriter.Field;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.flowsentry.collector.netflow.template.TemplateDecoders;
import io.flowsentry.collector.zeek.ZeekTestData;
import io.flowsentry.collector.zeek.parse.ConnLogParser;
import io.flowsentry.collector.zeek.parse.LineOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same ICMP connection exported by a router (NetFlow v9 with the type and code in the
 * destination port, as Cisco does; IPFIX with icmpTypeCodeIPv4) and logged by Zeek gets the same
 * Community ID, so an analyst can pivot from a flow alarm to Zeek's conn.log.
 */
class CommunityIdAcrossSourcesTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final long ADDR_SRC = 0xC0A80407L; // 192.168.4.7
  private static final long ADDR_DST = 0xCB007109L; // 203.0.113.9
  private static final String ZEEK_HEADER = ZeekTestData.connHeader(true);

  private static String zeekId(String line) {
    ConnLogParser p = new ConnLogParser("/var/zeek/conn.log", false);
    ZEEK_HEADER.lines().forEach(p::parse);
    return CommunityId.DEFAULT_SEED.of(assertInstanceOf(LineOutcome.Event.class, p.parse(line)).event());
  }

  private static String flowId(byte[] message) {
    RecordingListener out = new RecordingListener();
    new TemplateDecoders().feed(message, NOW, out);
    assertEquals(List.of(), out.errors);
    ConnectionEvent e = FlowNormalizer.withDefaults().normalize(out.records.get(0));
    return CommunityId.DEFAULT_SEED.of(e);
  }

  private static byte[] v9WithIcmpInDestinationPort(int type, int code) {
    List<Field> f = List.of(Field.of(8, 4), Field.of(12, 4), Field.of(4, 1), Field.of(7, 2), Field.of(11, 2));
    return ExportWriter.v9(100_000, NOW / 1000, 1, 5).template(300, f)
        .data(300, f, List.of(List.of(ADDR_SRC, ADDR_DST, 1L, 0L, (long) (type << 8 | code)))).build();
  }

  private static byte[] ipfixWithIcmpTypeCode(int type, int code) {
    List<Field> f = List.of(Field.of(8, 4), Field.of(12, 4), Field.of(4, 1), Field.of(32, 2));
    return ExportWriter.ipfix(NOW / 1000, 1, 5).template(300, f)
        .data(300, f, List.of(List.of(ADDR_SRC, ADDR_DST, 1L, (long) (type << 8 | code)))).build();
  }

  @Test
  void destinationUnreachableFromNetflowV9AndIpfixMatchesZeek() {
    // Zeek: orig_p is the type, resp_p the code for a type without a counterpart
    String zeek = zeekId("1700000000.000000\tC1\t192.168.4.7\t3\t203.0.113.9\t1\ticmp\t-\t-\t-\t-\tOTH\tT\tF\t0\t-\t1\t56\t0\t0\t-\t1");
    assertEquals(zeek, flowId(v9WithIcmpInDestinationPort(3, 1)));
    assertEquals(zeek, flowId(ipfixWithIcmpTypeCode(3, 1)));
  }

  @Test
  void echoRequestFromNetflowV9AndIpfixMatchesZeek() {
    // Zeek: resp_p of an echo request is the counterpart type, 0 (echo reply)
    String zeek = zeekId("1700000000.000000\tC2\t192.168.4.7\t8\t203.0.113.9\t0\ticmp\t-\t0.001000\t56\t56\tOTH\tT\tF\t0\t-\t1\t84\t1\t84\t-\t1");
    assertEquals("1:aO3aHIfhAgqkqGc56RW/W9sQLtc=", zeek);
    assertEquals(zeek, flowId(v9WithIcmpInDestinationPort(8, 0)));
    assertEquals(zeek, flowId(ipfixWithIcmpTypeCode(8, 0)));
  }
}
