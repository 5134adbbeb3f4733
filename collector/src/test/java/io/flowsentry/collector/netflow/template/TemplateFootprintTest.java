package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.NetflowLimits;
import java.lang.management.ManagementFactory;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The byte budgets charge {@link Template#retainedBytes} and {@link PendingData#cost}; these
 * tests hold thousands of entries (enough to cover ZGC's 2 MB pages) in a real store and compare the charge with the heap they
 * really take, measured after full collections. The charge must cover what is used (else the
 * budget is a lie) and not exceed it by much (else the bound wastes the operator's heap).
 */
class TemplateFootprintTest {

  private static long usedHeap() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  private static Template template(int templateId, int fields, IntFunction<Integer> elementId) {
    int[] ids = new int[fields];
    int[] lengths = new int[fields];
    for (int i = 0; i < fields; i++) {
      ids[i] = elementId.apply(i);
      lengths[i] = 4;
    }
    return Template.of(10, templateId, false, 0, ids, lengths, new long[fields], 0);
  }

  /** Stores {@code count} templates over 100 exporters; returns {measured bytes per template, charged per template}. */
  private static long[] measure(int count, int fields, IntFunction<Integer> elementId) {
    NetflowLimits limits = new NetflowLimits(null, 100_000, Integer.MAX_VALUE, null, null, null, Long.MAX_VALUE, null, null,
        null, null);
    TemplateStore store = new TemplateStore(limits);
    for (int e = 0; e < 100; e++) store.admit(new ExporterId(IpAddr.ofV4(e), -1), 0);
    long before = usedHeap();
    for (int i = 0; i < count; i++) {
      ExporterId e = new ExporterId(IpAddr.ofV4(i % 100), -1);
      store.put(new TemplateKey(e, 10, 0, 256 + i / 100), template(256 + i / 100, fields, elementId), 0);
    }
    long after = usedHeap();
    long charged = store.stateBytes() / count;
    long measured = (after - before) / count;
    assertTrue(store.templateCount() == count);
    return new long[] {measured, charged};
  }

  private static void assertCharged(String what, long[] m) {
    System.out.printf("%s: measured %d bytes per template, charged %d%n", what, m[0], m[1]);
    assertTrue(m[1] >= m[0], what + ": charged " + m[1] + " covers the measured " + m[0]);
    assertTrue(m[1] <= 2 * m[0] + 512, what + ": charged " + m[1] + " is not far above the measured " + m[0]);
  }

  @Test
  void thirteenKnownFields() {
    assertCharged("13 IANA fields", measure(20_000, 13, i -> new int[] {8, 12, 7, 11, 4, 1, 2, 22, 21, 10, 14, 6, 5}[i]));
  }

  @Test
  void twoHundredFiftySixUnknownFields() {
    // ids no registry names: each field gets a name string of its own ("ie40000")
    assertCharged("256 unknown fields", measure(4_000, 256, i -> 40_000 + i));
  }

  @Test
  void twoHundredFiftySixKnownFields() {
    assertCharged("256 IANA fields", measure(4_000, 256, i -> 1 + i % 100));
  }

  @Test
  void heldDataSets() {
    NetflowLimits limits = new NetflowLimits(null, null, null, null, 100_000, Integer.MAX_VALUE, Long.MAX_VALUE, null, null,
        null, null);
    TemplateStore store = new TemplateStore(limits);
    RecordingListener out = new RecordingListener();
    TemplateStore.Exporter a = store.admit(new ExporterId(IpAddr.ofV4(1), -1), 0);
    long before = usedHeap();
    for (int i = 0; i < 20_000; i++) {
      store.hold(a, new PendingSet(new TemplateKey(a.id, 10, 0, 256 + i % 1000), 10, new byte[1 + i % 200], 0, -1, 0), out);
    }
    long after = usedHeap();
    long[] m = {(after - before) / 20_000, store.stateBytes() / 20_000};
    System.out.printf("held sets: measured %d bytes per set, charged %d%n", m[0], m[1]);
    assertTrue(m[1] >= m[0] && m[1] <= 2 * m[0] + 64, "held sets: charged " + m[1] + ", measured " + m[0]);
  }
}
