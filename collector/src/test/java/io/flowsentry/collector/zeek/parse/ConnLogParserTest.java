package io.flowsentry.collector.zeek.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.ZeekTestData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnLogParserTest {
  static final String TSV_HEADER = ZeekTestData.connHeader(false);
  static final String TSV_LINE =
      "1300475168.892936\tCHhAvVGS1DHFjwGM9\t141.142.220.118\t48649\t208.80.152.118\t80\ttcp\thttp\t0.119905\t525\t232\tS1\tT\tF\t0\tShADad\t4\t741\t3\t396\t(empty)";
  static final String JSON_LINE = """
      {"ts":1300475168.892936,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"141.142.220.118","id.orig_p":48649,\
      "id.resp_h":"208.80.152.118","id.resp_p":80,"proto":"tcp","service":"http","duration":0.119905,\
      "orig_bytes":525,"resp_bytes":232,"conn_state":"S1","local_orig":true,"local_resp":false,\
      "missed_bytes":0,"history":"ShADad","orig_pkts":4,"orig_ip_bytes":741,"resp_pkts":3,"resp_ip_bytes":396}""";

  static ConnLogParser tsv(boolean raw) {
    ConnLogParser p = new ConnLogParser("conn.log", raw);
    TSV_HEADER.lines().forEach(l -> assertInstanceOf(LineOutcome.Meta.class, p.parse(l)));
    return p;
  }

  static ConnectionEvent event(LineOutcome o) {
    return assertInstanceOf(LineOutcome.Event.class, o).event();
  }

  static BadLineReason bad(LineOutcome o) {
    return assertInstanceOf(LineOutcome.Bad.class, o).reason();
  }

  @Test
  void tsvAndJsonOfTheSameConnectionGiveTheSameEvent() {
    ConnectionEvent t = event(tsv(false).parse(TSV_LINE));
    ConnectionEvent j = event(new ConnLogParser("conn.log", false).parse(JSON_LINE));
    assertEquals(t, j);
    assertEquals(1_300_475_168_892_936L, t.tsMicros());
    assertEquals(IpAddr.parse("141.142.220.118"), t.origH());
    assertEquals(741, t.origIpBytes());
  }

  @Test
  void detectsFormatPerFile() {
    ConnLogParser p = new ConnLogParser("x", false);
    assertEquals(ZeekFormat.UNKNOWN, p.format());
    p.parse("");
    assertEquals(ZeekFormat.UNKNOWN, p.format());
    p.parse(JSON_LINE);
    assertEquals(ZeekFormat.JSON, p.format());
    assertEquals(ZeekFormat.TSV, tsv(false).format());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"2011-03-18T19:06:08.892936Z\"|1300475168892936",
      "\"2011-03-18T20:06:08.892936+01:00\"|1300475168892936",
      "1300475168892|1300475168892000",
      "1300475168|1300475168000000",
      "1.300475168892936e9|1300475168892936",
      "\"1300475168.892936\"|1300475168892936",
  })
  void jsonTimestampForms(String ts, long micros) {
    String line = "{\"ts\":" + ts + ",\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}";
    assertEquals(micros, event(new ConnLogParser("x", false).parse(line)).tsMicros());
  }

  @Test
  void jsonNestedIdAndIcmpv6() {
    ConnectionEvent e = event(new ConnLogParser("x", false).parse(
        "{\"ts\":1.5,\"id\":{\"orig_h\":\"fe80::1\",\"orig_p\":135,\"resp_h\":\"ff02::1\",\"resp_p\":136},\"proto\":\"icmp\"}"));
    assertEquals(ConnectionEvent.ICMPV6, e.proto());
    assertEquals(135, e.icmpType());
    assertEquals(136, e.icmpCode());
    assertEquals(-1, e.durationMicros());
    assertNull(e.uid());
  }

  @Test
  void zeeksOwnJsonTakesTheFastPathAndTheRestFallsBackToJackson() {
    byte[] typical = JSON_LINE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    LineOutcome fast = new JsonLineParser(false).parseFast(typical, 0, typical.length, "x");
    assertEquals(new JsonLineParser(false).parseWithJackson(typical, 0, typical.length, "x"), fast);
    for (String other : List.of(
        "{\"ts\":1,\"id\":{\"orig_h\":\"10.0.0.1\",\"resp_h\":\"10.0.0.2\"}}",
        "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"uid\":\"C\\u0041\"}",
        "{\"ts\":\"2011-03-18T19:06:08.892936Z\",\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}",
        "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":65536}",
        "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"} x")) {
      byte[] b = other.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertNull(new JsonLineParser(false).parseFast(b, 0, b.length, "x"), other);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"ts\":\"XXXXXXXXXX.XXXXXX\",\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}|MASKED_TIMESTAMP",
      "{\"ts\":\"yesterday\",\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}|BAD_TIMESTAMP",
      "{\"ts\":true,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}|BAD_TIMESTAMP",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.256\",\"id.resp_h\":\"10.0.0.2\"}|BAD_ADDRESS",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":65536}|BAD_NUMBER",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"orig_bytes\":-1}|BAD_NUMBER",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\",\"orig_bytes\":\"7\"}|BAD_NUMBER",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\"}|MISSING_FIELD",
      "{\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}|MISSING_FIELD",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"} {}|BAD_JSON",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",|BAD_JSON",
      "{\"ts\":1,\"id.orig_h\":\"10.0.0.1\",\"id.resp_h\":\"10.0.0.2\"}}|BAD_JSON",
      "{{|BAD_JSON",
  })
  void badJsonLines(String line, BadLineReason reason) {
    ConnLogParser p = new ConnLogParser("x", false);
    assertEquals(reason, bad(p.parse(line)));
    // the next line is read normally
    assertEquals(1_300_475_168_892_936L, event(p.parse(JSON_LINE)).tsMicros());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "XXXXXXXXXX.XXXXXX\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|MASKED_TIMESTAMP",
      "1e\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|BAD_TIMESTAMP",
      "-\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|MISSING_FIELD",
      "1.0\tC\t10.0.0\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|BAD_ADDRESS",
      "1.0\tC\t10.0.0.1\t1\tfe80::1::2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|BAD_ADDRESS",
      "1.0\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-|COLUMN_COUNT",
      "1.0\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-\textra|COLUMN_COUNT",
      "1.0\tC\t10.0.0.1\t99999\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|BAD_NUMBER",
      "1.0\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-1.0\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|BAD_NUMBER",
      "1.0\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t12x\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t-\t-|BAD_NUMBER",
      "1.0\tC\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\t-\t-\t-\t-\t99999999999999999999\t-|BAD_NUMBER",
  })
  void badTsvLines(String line, BadLineReason reason) {
    ConnLogParser p = tsv(false);
    assertEquals(reason, bad(p.parse(line)));
    assertEquals(741, event(p.parse(TSV_LINE)).origIpBytes());
  }

  @Test
  void tsvUnescapesAndReadsSets() {
    ConnLogParser p = tsv(true);
    ConnectionEvent e = event(p.parse(
        "1.0\tC\\x09x\\\\y\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\tssl,http\t-\t-\t-\tS0\tT\tF\t0\t-\t-\t-\t-\t-\tA\\x2cB,C"));
    assertEquals("C\tx\\y", e.uid());
    assertEquals("ssl,http", e.service());
    Map<String, Object> raw = e.raw();
    assertEquals(List.of("A,B", "C"), raw.get("tunnel_parents"));
    assertEquals(Boolean.TRUE, raw.get("local_orig"));
    assertEquals(0L, raw.get("missed_bytes"));
    assertEquals(null, raw.get("duration"));
  }

  @Test
  void dataBeforeHeaderAndNewHeaderBlocks() {
    ConnLogParser p = new ConnLogParser("x", false);
    assertEquals(BadLineReason.NO_HEADER, bad(p.parse("1.0\t10.0.0.1\t10.0.0.2")));
    // a second block (Zeek reopening the log) with other columns and a comma separator
    p.parse("#separator \\x2c");
    p.parse("#path,conn");
    p.parse("#fields,id.resp_h,ts,id.orig_h,community_id");
    ConnectionEvent e = event(p.parse("10.0.0.2,2.5,10.0.0.1,1:abc="));
    assertEquals(2_500_000, e.tsMicros());
    assertEquals(IpAddr.parse("10.0.0.1"), e.origH());
    assertEquals(-1, e.proto());
    p.parse("#close,2026-11-28-01-00-00");
    p.parse("#separator \\x09");
    p.parse("#fields\tts\tid.orig_h\tid.resp_h\tproto");
    assertEquals(ConnectionEvent.UDP, event(p.parse("3\t10.0.0.1\t10.0.0.2\tudp\r")).proto());
    assertNull(p.header().path(), "the new block has no #path");
  }

  @Test
  void bro2LogWithoutOpen() {
    ConnLogParser p = new ConnLogParser("x", false);
    for (String l : List.of("#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)", "#unset_field\t-",
        "#path\tconn", "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents",
        "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tcount\tstring\tcount\tcount\tcount\tcount\ttable[string]")) {
      p.parse(l);
    }
    ConnectionEvent e = event(p.parse(
        "1331901000.000000\tPnD4HZ8SFvf\t192.168.202.79\t50465\t192.168.229.251\t80\ttcp\thttp\t0.010000\t166\t214\tSF\t-\t0\tShADfFa\t4\t382\t3\t382\t(empty)"));
    assertEquals("PnD4HZ8SFvf", e.uid());
    assertNull(p.header().open());
    assertEquals("SF", e.connState());
  }
}
