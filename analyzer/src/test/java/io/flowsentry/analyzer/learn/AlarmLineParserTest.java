package io.flowsentry.analyzer.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.analyzer.learn.AlarmLineParser.AlarmLine;
import io.flowsentry.collector.event.ConnectionEvent;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What AlarmFormat writes reads back to the same connection; malformed lines name their problem. */
class AlarmLineParserTest {
  private final AlarmLineParser parser = new AlarmLineParser(ServiceNames.bundled());

  @ParameterizedTest
  @CsvSource({
      "192.168.4.7, 137, 203.0.113.9, 137, 17",
      "192.168.4.7, 40001, 203.0.113.9, 443, 6",
      "192.168.4.7, 40001, 203.0.113.9, 61999, 6",
      "2001:db8:4::7, 40001, 2001:db8:9::9, 25, 6",
      "192.168.4.7, 8, 203.0.113.9, 0, 1",
      "2001:db8:4::7, 128, 2001:db8:9::9, 0, 58"})
  void aWrittenLineReadsBackToItsConnection(String orig, int origP, String resp, int respP, int proto) {
    ConnectionEvent e = ConnectionEvent.builder().tsMicros(1_225_743_661_858_791L).origH(orig).origP(origP)
        .respH(resp).respP(respP).proto(proto).build();
    Alarm a = new Alarm("servers", "UnexpectedOutgoingConnection", "RestrictedOutgoing::Restricted_Outgoing", e,
        Duration.ofMinutes(1), null);
    AlarmFormat format = AlarmFormat.defaults();
    for (String line : new String[] {format.classicLine(a), format.namedLine(a, "www.example.com"),
        format.namedLine(a, "www.example.com") + " mode=shadow"}) {
      AlarmLine back = assertInstanceOf(AlarmLine.class, parser.parse(line), line);
      assertEquals(e.tsMicros(), back.tsMicros());
      assertEquals(e.origH(), back.orig());
      assertEquals(e.respH(), back.resp());
      assertEquals(origP, back.origP(), line);
      assertEquals(respP, back.respP(), line);
      assertEquals(proto, back.proto());
      assertEquals("UnexpectedOutgoingConnection", back.alarmName());
    }
    assertEquals("www.example.com", ((AlarmLine) parser.parse(format.namedLine(a, "www.example.com"))).respName());
  }

  @Test
  void aSummaryLineIsToldApart() {
    String line = AlarmFormat.defaults().classicLine(new AlarmSummary("servers", 5000, 1, 1_764_547_260_000_000L, 1000));
    assertInstanceOf(AlarmLineParser.SummaryLine.class, parser.parse(line), line);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "| expected: TS NAME",
      "hello world | not a timestamp",
      "1.5 X 192.168.4.7/1 > 203.0.113.9/2 : Restricted Outgoing SCTP Connection | unknown protocol",
      "1.5 X 192.168.4.x/1 > 203.0.113.9/2 : Restricted Outgoing TCP Connection | not an IP address",
      "1.5 X 192.168.4.7/nosuch > 203.0.113.9/2 : Restricted Outgoing TCP Connection | not a port number or known service name",
      "1.5 X 192.168.4.7/1 < 203.0.113.9/2 : Restricted Outgoing TCP Connection | expected: TS NAME",
      "1.5 X 192.168.4.7 > 203.0.113.9/2 : Restricted Outgoing TCP Connection | expected ADDRESS/PORT",
      "1.1234567 X 192.168.4.7/1 > 203.0.113.9/2 : Restricted Outgoing TCP Connection | not a timestamp"})
  void malformedLinesNameTheirProblem(String line, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.parse(line == null ? "" : line));
    assertTrue(e.getMessage().contains(why.strip()), e.getMessage());
  }
}
