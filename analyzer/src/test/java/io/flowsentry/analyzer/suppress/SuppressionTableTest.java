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
    long t = T0 + Math.round(secondsAfterT0 * 1_000_000);
    ticker.advanceTo(t);
    return table.firstSighting(k, t);
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
  void aSightingWithinASecondOfTheLastRestartsTheWindowToo() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    assertFalse(at(0.5, k));
    assertFalse(at(60.4, k), "59.9 s after the sighting at 0.5 s");
    assertTrue(at(120.5, k));
  }

  @Test
  void aLateEventIsJudgedByItsOwnTimeNotTheClock() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    ticker.advanceTo(T0 + 50_000_000); // another source's events moved the clock on
    // stamped 10 s: 10 s after the key's last sighting, suppressed, and the key is last seen at 10 s
    assertFalse(at(10, k));
    assertEquals(T0 + 50_000_000, ticker.nowMicros(), "an older event leaves the clock");
    assertTrue(at(70.5, k), "60.5 s after the sighting at 10 s, though only 20.5 s after the clock was at 50 s");
  }

  @Test
  void aSightingNeverCountsBeforeTheKeysLastOne() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(30, k));
    assertFalse(at(5, k), "older than the last sighting: counts at 30 s");
    assertFalse(at(89, k), "59 s after 30 s");
    assertTrue(at(149.5, k));
  }

  @Test
  void anEventLaterThanTheAllowanceMayAlarmAgainNeverTheOtherWay() {
    SuppressionKey k = key("203.0.113.9", 137);
    assertTrue(at(0, k));
    long allowance = SuppressionTable.LATE_ALLOWANCE.toSeconds();
    ticker.advanceTo(T0 + (60 + allowance) * 1_000_000); // window and allowance ended: the entry goes
    assertEquals(0, table.size());
    assertTrue(at(30, k), "30 s after its sighting by its own time, but the key was forgotten");
  }

  @Test
  void theAnswerDoesNotDependOnHowSourcesInterleave() {
    // two sources, each in its own time order and with keys of its own, 40 s apart in time: any
    // interleaving that keeps events within LATE_ALLOWANCE of the clock gives the time-ordered answer
    java.util.SplittableRandom r = new java.util.SplittableRandom(19);
    java.util.List<long[]> a = new java.util.ArrayList<>(), b = new java.util.ArrayList<>();
    long ta = T0, tb = T0 + 40_000_000;
    for (int i = 0; i < 3_000; i++) {
      a.add(new long[] {ta += r.nextLong(0, 200_000), r.nextInt(20)});
      b.add(new long[] {tb += r.nextLong(0, 200_000), 100 + r.nextInt(20)});
    }
    java.util.List<String> reference = null;
    for (int run = 0; run < 5; run++) {
      EventTimeTicker clock = new EventTimeTicker();
      SuppressionTable t = new SuppressionTable(Duration.ofSeconds(7), 1000, clock);
      java.util.List<String> alarms = new java.util.ArrayList<>();
      int i = 0, j = 0;
      java.util.SplittableRandom order = new java.util.SplittableRandom(run);
      while (i < a.size() || j < b.size()) {
        boolean takeA;
        if (i >= a.size() || j >= b.size()) takeA = i < a.size();
        else if (run == 0) takeA = a.get(i)[0] <= b.get(j)[0]; // in time order: what one source alone would give
        else if (a.get(i)[0] - b.get(j)[0] > 45_000_000) takeA = false; // no event more than 45 s behind
        else if (b.get(j)[0] - a.get(i)[0] > 45_000_000) takeA = true;
        else takeA = order.nextBoolean();
        long[] e = takeA ? a.get(i++) : b.get(j++);
        clock.advanceTo(e[0]);
        if (t.firstSighting(key("203.0.113." + e[1], 80), e[0])) alarms.add(e[1] + "@" + e[0]);
      }
      alarms.sort(null);
      if (reference == null) reference = alarms;
      else assertEquals(reference, alarms, "interleaving " + run);
    }
    assertTrue(reference.size() > 100 && reference.size() < 5_000, reference.size() + " alarms");
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
      if (small.firstSighting(key("203.0.113." + i, 80), T0)) firstRound++;
    }
    assertEquals(100, firstRound, "every key is new");
    assertEquals(10, small.size());
    // without the bound no later sighting would alarm; with it, exactly the keys the table no
    // longer holds alarm again, and every key it still holds is suppressed
    for (int round = 1; round < 3; round++) {
      for (int i = 0; i < 100; i++) {
        SuppressionKey k = key("203.0.113." + i, 80);
        boolean held = small.entries().stream().anyMatch(e -> e.key().equals(k));
        assertEquals(!held, small.firstSighting(k, T0), "round " + round + ", key " + i + (held ? " (held)" : " (evicted)"));
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
    SuppressionTable.Sighting written = table.newSighting(key("203.0.113.1", 443), T0);
    SuppressionTable.Sighting queued = table.newSighting(key("203.0.113.2", 443), T0);
    assertEquals(null, table.newSighting(key("203.0.113.1", 443), T0), "suppressed: no new sighting");
    written.markDurable();
    assertEquals(java.util.List.of(key("203.0.113.1", 443)), table.entries(true).stream().map(SuppressionTable.Entry::key).toList());
    assertEquals(2, table.entries().size(), "at a clean stop every alarm is written: all of them");
    queued.markDurable();
    assertEquals(2, table.entries(true).size());
  }
}
