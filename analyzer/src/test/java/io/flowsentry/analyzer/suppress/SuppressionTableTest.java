package io.flowsentry.analyzer.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SuppressionTableTest {
  private static final long T0 = 1_225_743_661_858_791L;
  private final EventTimeTicker ticker = new EventTimeTicker();
  private final SuppressionTable table = new SuppressionTable(Duration.ofSeconds(60), 1000, ticker);

  private static SuppressionKey key(String resp, int port) {
    return new SuppressionKey(IpAddr.parse("192.168.4.7"), IpAddr.parse(resp), port, ConnectionEvent.UDP);
  }

  private boolean at(double secondsAfterT0, SuppressionKey k) {
    ticker.advanceTo(T0 + Math.round(secondsAfterT0 * 1_000_000));
    return table.firstSighting(k);
  }

  @Test
  void suppressedAt59sAlarmsAgainAt61s() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    assertFalse(at(59, k));
    // 59 s restarted the timer: 61 s after the first event is 2 s after the last
    assertFalse(at(61, k));
    assertTrue(at(121.000001, k), "more than 60 s after the last sighting");
  }

  @Test
  void quietFor61sAlarmsAgain() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    assertTrue(at(61, k));
  }

  @Test
  void exactlySuppressForIsExpired() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    assertFalse(at(59.999999, k));
    assertTrue(at(119.999999, k), "60 s to the microsecond after the last sighting");
  }

  @Test
  void repeatsKeepResettingTheTimer() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    for (int s = 50; s <= 500; s += 50) assertFalse(at(s, k), "at " + s);
    assertTrue(at(561, k));
  }

  @Test
  void outOfOrderEventTouchesAtTheCurrentClock() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    ticker.advanceTo(T0 + 50_000_000);
    // an event stamped 10 s is older than the clock (50 s): the clock stays, the key is touched at 50 s
    assertFalse(at(10, k));
    assertEquals(T0 + 50_000_000, ticker.nowMicros());
    assertFalse(at(109, k), "59 s after the touch at 50 s");
    ticker.advanceTo(T0 + 170_000_000);
    assertTrue(at(100, k), "an old timestamp cannot revive an expired key");
  }

  @Test
  void keysDifferByResponderPortAndProtocol() {
    assertTrue(at(0, key("203.0.113.9", 137)));
    assertTrue(at(0, key("203.0.113.9", 138)));
    assertTrue(at(0, key("203.0.113.10", 137)));
    assertTrue(at(0, new SuppressionKey(IpAddr.parse("192.168.4.7"), IpAddr.parse("203.0.113.9"), 137, ConnectionEvent.TCP)));
    assertFalse(at(1, key("203.0.113.9", 137)));
  }

  @Test
  void sizeBoundOnlyEverCausesExtraAlarms() {
    SuppressionTable small = new SuppressionTable(Duration.ofSeconds(60), 10, ticker);
    ticker.advanceTo(T0);
    int firstRound = 0;
    for (int i = 0; i < 100; i++) {
      if (small.firstSighting(key("203.0.113." + i, 80))) firstRound++;
    }
    assertEquals(100, firstRound, "every key is new");
    assertEquals(10, small.size());
    // without the bound no later sighting would alarm; with it, exactly the keys the table no
    // longer holds alarm again, and every key it still holds is suppressed
    for (int round = 1; round < 3; round++) {
      for (int i = 0; i < 100; i++) {
        SuppressionKey k = key("203.0.113." + i, 80);
        boolean held = small.entries().stream().anyMatch(e -> e.key().equals(k));
        assertEquals(!held, small.firstSighting(k), "round " + round + ", key " + i + (held ? " (held)" : " (evicted)"));
      }
      assertEquals(10, small.size());
    }
  }

  @Test
  void reconfigureKeepsEntries() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    table.reconfigure(Duration.ofSeconds(120), 10);
    assertFalse(at(100, k));
    assertEquals(Duration.ofSeconds(120), table.suppressFor());
    assertTrue(at(221, k));
  }

  @Test
  void aSnapshotWhileRunningLeavesOutKeysWhoseAlarmIsNotWrittenYet() {
    ticker.advanceTo(T0);
    SuppressionTable.Sighting written = table.newSighting(key("203.0.113.1", 443));
    SuppressionTable.Sighting queued = table.newSighting(key("203.0.113.2", 443));
    assertEquals(null, table.newSighting(key("203.0.113.1", 443)), "suppressed: no new sighting");
    written.markDurable();
    assertEquals(java.util.List.of(key("203.0.113.1", 443)), table.entries(true).stream().map(SuppressionTable.Entry::key).toList());
    assertEquals(2, table.entries().size(), "at a clean stop every alarm is written: all of them");
    queued.markDurable();
    assertEquals(2, table.entries(true).size());
  }
}
