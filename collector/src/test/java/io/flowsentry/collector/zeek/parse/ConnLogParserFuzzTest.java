package io.flowsentry.collector.zeek.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnLogJson;
import io.flowsentry.collector.zeek.ZeekTestData;
import java.nio.charset.StandardCharsets;

/**
 * Any bytes, as lines after a real conn.log header or on their own (format detection, header
 * directives, JSON): the only outcomes are an event, header text or a bad line — no exception.
 * Every event must also be writable as conn.log JSON.
 */
class ConnLogParserFuzzTest {

  @FuzzTest(maxDuration = "15s")
  void tsvLinesAfterAHeader(FuzzedDataProvider data) {
    ConnLogParser p = new ConnLogParser("fuzz", data.consumeBoolean());
    ZeekTestData.connHeader(data.consumeBoolean()).lines().forEach(p::parse);
    feed(p, data.consumeRemainingAsBytes());
  }

  @FuzzTest(maxDuration = "15s")
  void anyLines(byte[] input) {
    feed(new ConnLogParser("fuzz", true), input);
  }

  @FuzzTest(maxDuration = "15s")
  void jsonObjects(FuzzedDataProvider data) {
    ConnLogParser p = new ConnLogParser("fuzz", data.consumeBoolean());
    byte[] body = data.consumeRemainingAsBytes();
    byte[] line = new byte[body.length + 1];
    line[0] = '{';
    System.arraycopy(body, 0, line, 1, body.length);
    feed(p, line);
  }

  /** Whatever the fast path reads, Jackson reads to the same outcome. */
  @FuzzTest(maxDuration = "15s")
  void fastJsonPathAgreesWithJackson(FuzzedDataProvider data) {
    String line = data.consumeRemainingAsString();
    byte[] b = ("{" + line).getBytes(StandardCharsets.UTF_8);
    LineOutcome fast = new JsonLineParser(false).parseFast(b, 0, b.length, "fuzz");
    LineOutcome full = new JsonLineParser(false).parseWithJackson(b, 0, b.length, "fuzz");
    if (fast != null) assertEquals(full, fast, new String(b, StandardCharsets.UTF_8));
  }

  private static void feed(ConnLogParser p, byte[] input) {
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == '\n') {
        LineOutcome o = p.parse(input, start, i);
        assertNotNull(o);
        if (o instanceof LineOutcome.Event e) assertNotNull(ConnLogJson.toJson(e.event(), true, CommunityId.DEFAULT_SEED));
        start = i + 1;
      }
    }
  }
}
