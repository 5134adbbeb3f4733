package io.flowsentry.collector.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.IpAddr;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReverseFlowCacheTest {

  private static final IpAddr A = IpAddr.parse("10.0.0.1"), B = IpAddr.parse("2001:db8::2");

  @Test
  void remembersTheOrientationItWasToldOnly() {
    ReverseFlowCache c = new ReverseFlowCache(16, Duration.ofSeconds(10));
    c.remember(A, 1000, B, 80, 6, 5_000);
    assertTrue(c.seen(A, 1000, B, 80, 6, 5_000));
    assertTrue(c.seen(A, 1000, B, 80, 6, 15_000));
    assertFalse(c.seen(A, 1000, B, 80, 6, 15_001));
    assertFalse(c.seen(B, 80, A, 1000, 6, 5_000));
    assertFalse(c.seen(A, 1000, B, 80, 17, 5_000));
  }

  @Test
  void aNewerSightingExtendsTheWindowAndAnOlderOneDoesNotShortenIt() {
    ReverseFlowCache c = new ReverseFlowCache(16, Duration.ofSeconds(10));
    c.remember(A, 1000, B, 80, 6, 5_000);
    c.remember(A, 1000, B, 80, 6, 20_000);
    c.remember(A, 1000, B, 80, 6, 1_000);
    assertTrue(c.seen(A, 1000, B, 80, 6, 30_000));
  }

  @Test
  void staysWithinItsCapacity() {
    ReverseFlowCache c = new ReverseFlowCache(100, Duration.ofMinutes(1));
    assertEquals(128, c.capacity());
    for (int port = 1; port <= 10_000; port++) c.remember(A, port, B, 80, 6, 0);
    int remembered = 0;
    for (int port = 1; port <= 10_000; port++) if (c.seen(A, port, B, 80, 6, 0)) remembered++;
    assertTrue(remembered > 0 && remembered <= 128, "remembered " + remembered);
    assertEquals(1, new ReverseFlowCache(1, Duration.ZERO).capacity());
  }

  @Test
  void rejectsImpossibleBounds() {
    assertThrows(IllegalArgumentException.class, () -> new ReverseFlowCache(0, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new ReverseFlowCache(16, Duration.ofSeconds(-1)));
  }
}
