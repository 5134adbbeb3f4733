package io.flowsentry.analyzer.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.analyzer.learn.AlarmLineParser.AlarmLine;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The alarm-line parser gives only documented outcomes: an alarm line, a summary line, or an
 * IllegalArgumentException. An alarm it accepts writes back (through AlarmFormat) to a line that
 * parses to the same connection. Seeded with lines AlarmFormat wrote (the resource folder).
 */
class AlarmLineParserFuzzTest {
  private static final AlarmLineParser PARSER = new AlarmLineParser(ServiceNames.bundled());

  /** Without a fuzzing engine: random mutations of a real line. */
  @Test
  void mutatedRealLinesGiveOnlyDocumentedOutcomes() {
    String real = "1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns"
        + " : Restricted Outgoing UDP Connection resp_name=www.example.com";
    String alphabet = "0123456789abcdef:./ >-_=TCPUDPICMRestrictedOutgoingConnection";
    Random rnd = new Random(18);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(real);
      for (int m = rnd.nextInt(4); m >= 0; m--) {
        int at = rnd.nextInt(sb.length() + 1);
        switch (rnd.nextInt(3)) {
          case 0 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
          case 1 -> { if (at < sb.length()) sb.deleteCharAt(at); }
          default -> { if (at < sb.length()) sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length()))); }
        }
      }
      anyLine(sb.toString());
    }
  }

  @FuzzTest(maxDuration = "15s")
  void anyLine(String line) {
    AlarmLineParser.Line parsed;
    try {
      parsed = PARSER.parse(line);
    } catch (IllegalArgumentException expected) {
      return;
    }
    if (!(parsed instanceof AlarmLine a)) return;
    assertTrue(a.origP() >= 0 && a.origP() <= 65535 && a.respP() >= 0 && a.respP() <= 65535, line);
    String again = AlarmFormat.defaults().classicLine(new Alarm("p", a.alarmName(), "n", a.toEvent(), Duration.ZERO, null));
    AlarmLine back = (AlarmLine) PARSER.parse(again);
    assertEquals(a.orig(), back.orig(), again);
    assertEquals(a.resp(), back.resp(), again);
    assertEquals(a.respP(), back.respP(), again);
    assertEquals(a.proto(), back.proto(), again);
    assertEquals(a.tsMicros(), back.tsMicros(), again);
  }
}
