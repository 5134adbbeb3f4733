package io.flowsentry.analyzer.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What explain reads from a command line or an /explain query (addresses, PORT/PROTO, TIME)
 * gives only documented outcomes: a value, or an IllegalArgumentException naming the word.
 */
class ExplainInputFuzzTest {
  @Test
  void randomWordsGiveOnlyDocumentedOutcomes() {
    String alphabet = "0123456789abcdef:./-TZ+ tcpudpicm";
    Random rnd = new Random(18);
    for (int i = 0; i < 10_000; i++) {
      String[] w = new String[4];
      for (int k = 0; k < 4; k++) {
        StringBuilder sb = new StringBuilder();
        for (int j = rnd.nextInt(26); j > 0; j--) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        w[k] = sb.toString();
      }
      connection(w[0], w[1], w[2]);
      moment(w[3]);
    }
    assertEquals(1_772_366_400_000_000L, Moment.parseMicros("2026-03-01T12:00:00Z"));
    assertEquals(1_772_366_400_500_000L, Moment.parseMicros("1772366400.5"));
    assertEquals(1_772_366_400_000_000L, Moment.parseMicros("2026-03-01T13:00:00+01:00"));
  }

  @FuzzTest(maxDuration = "15s")
  void words(FuzzedDataProvider data) {
    connection(data.consumeString(48), data.consumeString(48), data.consumeString(16));
    moment(data.consumeRemainingAsString());
  }

  private static void connection(String orig, String resp, String service) {
    Connection c;
    try {
      c = Connection.parse(orig, resp, service, 0);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertTrue(c.port() >= 0 && c.port() <= 65535);
    Connection again = Connection.parse(c.orig().toString(), c.resp().toString(), c.service(), 0);
    assertEquals(c, again);
  }

  private static void moment(String text) {
    try {
      long micros = Moment.parseMicros(text);
      assertTrue(Explainer.time(micros).endsWith("Z"));
    } catch (IllegalArgumentException expected) {
      // documented
    }
  }
}
