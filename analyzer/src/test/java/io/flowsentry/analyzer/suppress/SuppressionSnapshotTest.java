package io.flowsentry.analyzer.suppress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuppressionSnapshotTest {
  private static final long T0 = 1_700_000_000_000_000L;
  @TempDir Path dir;

  private static SuppressionKey key(String resp) {
    return new SuppressionKey(IpAddr.parse("192.168.4.7"), IpAddr.parse(resp), 443, ConnectionEvent.TCP);
  }

  @Test
  void restartKeepsLiveEntriesWithTheirLastSighting() throws Exception {
    Path file = dir.resolve(SuppressionSnapshot.FILE_NAME);
    EventTimeTicker t1 = new EventTimeTicker();
    SuppressionTable a = new SuppressionTable(Duration.ofSeconds(60), 100, t1);
    SuppressionTable b = new SuppressionTable(Duration.ofSeconds(600), 100, t1);
    t1.advanceTo(T0);
    a.firstSighting(key("203.0.113.1"), t1.nowMicros());                 // last seen T0: window ended by T0+70, kept for late events
    t1.advanceTo(T0 + 30_000_000);
    a.firstSighting(key("2001:db8::2"), t1.nowMicros());                 // last seen T0+30
    b.firstSighting(key("203.0.113.1"), t1.nowMicros());
    t1.advanceTo(T0 + 70_000_000);
    SuppressionSnapshot.save(file, t1, Map.of("a", a, "b", b, "gone", new SuppressionTable(Duration.ofSeconds(60), 1, t1)));
    assertFalse(Files.exists(file.resolveSibling(file.getFileName() + ".tmp")));

    EventTimeTicker t2 = new EventTimeTicker();
    SuppressionTable a2 = new SuppressionTable(Duration.ofSeconds(60), 100, t2);
    SuppressionTable b2 = new SuppressionTable(Duration.ofSeconds(600), 100, t2);
    SuppressionSnapshot.Restored r = SuppressionSnapshot.restore(file, t2, Map.of("a", a2, "b", b2));
    assertEquals(3, r.restored(), "an entry whose window ended 10 s ago is kept for events up to LATE_ALLOWANCE late");
    assertEquals(T0 + 70_000_000, t2.nowMicros(), "the event clock continues where it stopped");
    assertEquals(2, a2.size());
    assertEquals(1, b2.size());
    t2.advanceTo(T0 + 89_000_000);
    assertFalse(a2.firstSighting(key("2001:db8::2"), t2.nowMicros()), "59 s after its last sighting before the restart");
    assertTrue(a2.firstSighting(key("203.0.113.1"), t2.nowMicros()), "its window had ended when saved");
    t2.advanceTo(T0 + 700_000_000);
    assertTrue(b2.firstSighting(key("203.0.113.1"), t2.nowMicros()), "expires by its last sighting before the restart, not the restore time");
  }

  @Test
  void missingFileRestoresNothingAndBadLinesAreSkipped() throws Exception {
    EventTimeTicker t = new EventTimeTicker();
    SuppressionTable a = new SuppressionTable(Duration.ofSeconds(60), 100, t);
    Path file = dir.resolve("s");
    assertEquals(0, SuppressionSnapshot.restore(file, t, Map.of("a", a)).restored());
    Files.writeString(file, """
        # flowsentry suppression snapshot v1
        clock 1700000000000000
        a\t192.168.4.7\t203.0.113.1\t443\t6\t1699999990000000
        a\tnot-an-ip\t203.0.113.1\t443\t6\t1699999990000000
        a\t192.168.4.7\t203.0.113.1
        """);
    SuppressionSnapshot.Restored r = SuppressionSnapshot.restore(file, t, Map.of("a", a));
    assertEquals(1, r.restored());
    assertEquals(2, r.badLines());
  }

  @Test
  void anUnreadableSnapshotIsMovedAsideAndTheNextSaveTakesItsPlace() throws Exception {
    byte[] noise = new byte[4096];
    new java.util.Random(15).nextBytes(noise);
    Path randomBytes = dir.resolve("random").resolve(SuppressionSnapshot.FILE_NAME);
    Files.createDirectories(randomBytes.getParent());
    Files.write(randomBytes, noise);
    Path directory = dir.resolve("directory").resolve(SuppressionSnapshot.FILE_NAME);
    Files.createDirectories(directory.resolve("inside"));
    for (Path file : java.util.List.of(randomBytes, directory)) {
      EventTimeTicker t = new EventTimeTicker();
      SuppressionTable a = new SuppressionTable(Duration.ofSeconds(60), 100, t);
      assertEquals(0, SuppressionSnapshot.restore(file, t, Map.of("a", a)).restored(), file.toString());
      assertFalse(Files.exists(file), "moved out of the way: " + file);
      try (var aside = Files.list(file.getParent())) {
        assertEquals(1, aside.filter(p -> p.getFileName().toString().startsWith(SuppressionSnapshot.FILE_NAME + ".unreadable-")).count());
      }
      t.advanceTo(T0);
      a.firstSighting(key("203.0.113.1"), t.nowMicros());
      SuppressionSnapshot.save(file, t, Map.of("a", a));
      SuppressionTable again = new SuppressionTable(Duration.ofSeconds(60), 100, new EventTimeTicker());
      assertEquals(1, SuppressionSnapshot.restore(file, new EventTimeTicker(), Map.of("a", again)).restored());
    }
  }
}
