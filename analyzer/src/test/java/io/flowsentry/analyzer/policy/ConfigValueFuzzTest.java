package io.flowsentry.analyzer.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.analyzer.net.PrefixSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The configuration value parsers accept only documented outcomes: a value, or an
 * IllegalArgumentException (which validate() turns into a listed problem). Accepted values
 * print back to text that parses to the same value.
 */
class ConfigValueFuzzTest {
  /** Without a fuzzing engine, random text from the parsers' own alphabet exercises the same checks. */
  @Test
  void randomTextGivesOnlyDocumentedOutcomes() {
    String alphabet = "0123456789abcdefABCDEF:./-[]%tcpudpicmx ";
    Random rnd = new Random(2008);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(24);
      for (int j = 0; j < len; j++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      String text = sb.toString();
      portSpec(text);
      cidr(text);
      pairSide(text);
    }
  }

  @FuzzTest(maxDuration = "15s")
  void portSpec(String text) {
    PortSpec p;
    try {
      p = PortSpec.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertEquals(p, PortSpec.parse(p.toString()));
    assertTrue(p.low() >= 0 && p.high() <= 65535 && p.low() <= p.high());
  }

  @FuzzTest(maxDuration = "15s")
  void cidr(String text) {
    Cidr c;
    try {
      c = Cidr.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertEquals(c, Cidr.parse(c.toString()));
    PrefixSet set = PrefixSet.of(List.of(c));
    assertTrue(set.contains(c.first()) && set.contains(c.last()));
  }

  @FuzzTest(maxDuration = "15s")
  void pairSide(String text) {
    List<String> problems = new AllowedPair(text, "198.51.100.1").validate("p");
    assertTrue(problems.size() <= 1);
    if (problems.isEmpty() && !AllowedPair.isAddress(text)) assertTrue(AllowedPair.isHostname(text));
  }
}
