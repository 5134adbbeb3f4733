package io.flowsentry.analyzer.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DomainSetTest {
  private final DomainSet set = DomainSet.of(List.of("Updates.Example.com.", "*.windowsupdate.com"));

  @Test
  void exactNamesIgnoreCaseAndTheRootDot() {
    assertTrue(set.test("updates.example.com"));
    assertFalse(set.test("www.updates.example.com"), "an exact name has no sub-domains");
    assertFalse(set.test("example.com"));
  }

  @Test
  void wildcardsMatchEveryNameBelowButNotTheNameItself() {
    assertTrue(set.test("download.windowsupdate.com"));
    assertTrue(set.test("a.b.windowsupdate.com"));
    assertFalse(set.test("windowsupdate.com"));
    assertFalse(set.test("evilwindowsupdate.com"), "a label boundary, not a string suffix");
    assertFalse(set.test("windowsupdate.com.evil.example"));
  }

  @Test
  void validEntries() {
    for (String ok : List.of("updates.example.com", "*.windowsupdate.com", "localhost", "_dmarc.example.com", "x.example.")) {
      assertTrue(DomainSet.isValid(ok), ok);
    }
    for (String bad : List.of("", " ", "*", "*.", "a..b", "-a.example", "a*.example.com", "exa mple.com", "http://x.example")) {
      assertFalse(DomainSet.isValid(bad), bad);
    }
    assertTrue(DomainSet.of(List.of()).isEmpty());
  }
}
