package io.flowsentry.analyzer.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DomainProposalsTest {
  @Test
  void threeNamesUnderTheLastTwoLabelsBecomeOneWildcard() {
    assertEquals(List.of("*.cdn.example", "other.example"),
        DomainProposals.entries(List.of("a.cdn.example", "other.example", "b.cdn.example", "x.y.cdn.example")));
  }

  @Test
  void twoNamesStayExact() {
    assertEquals(List.of("a.cdn.example", "b.cdn.example"), DomainProposals.entries(List.of("a.cdn.example", "b.cdn.example")));
  }

  @Test
  void theSuffixItselfStaysExactBesideItsWildcard() {
    // *.cdn.example does not match cdn.example
    assertEquals(List.of("*.cdn.example", "cdn.example"),
        DomainProposals.entries(List.of("cdn.example", "a.cdn.example", "b.cdn.example", "c.cdn.example")));
  }

  @Test
  void namesCheckConfigWouldRejectAreNotProposed() {
    assertEquals(List.of("ok.example"), DomainProposals.entries(List.of("bad name.example", "ok.example", "-x-.example")));
  }

  @Test
  void lastTwoLabels() {
    assertEquals("b.example", DomainProposals.lastTwoLabels("a.b.example"));
    assertNull(DomainProposals.lastTwoLabels("b.example"));
    assertNull(DomainProposals.lastTwoLabels("localhost"));
  }

  @Test
  void aWildcardIsQuotedInYaml() {
    assertEquals("\"*.cdn.example\"", DomainProposals.yaml("*.cdn.example"));
    assertEquals("a.cdn.example", DomainProposals.yaml("a.cdn.example"));
  }
}
