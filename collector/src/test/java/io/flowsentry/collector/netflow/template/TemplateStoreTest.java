package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.NetflowLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TemplateStoreTest {

  private static final ExporterId A = new ExporterId(IpAddr.parse("192.0.2.1"), -1);
  private static final ExporterId B = new ExporterId(IpAddr.parse("2001:db8::1"), 2055);
  private static final long TIMEOUT = 30 * 60_000L;

  private static Template template(int id, int... fieldIds) {
    int[] lengths = new int[fieldIds.length];
    java.util.Arrays.fill(lengths, 4);
    return Template.of(10, id, false, 0, fieldIds, lengths, new long[fieldIds.length], 0);
  }

  @Test
  void replacementRefreshAndVersionScoping() {
    TemplateStore store = new TemplateStore(NetflowLimits.defaults());
    store.admit(A, 0);
    TemplateKey key = new TemplateKey(A, 10, 1, 256);
    Template first = template(256, 8);
    assertNull(store.put(key, first, 0));
    assertNull(store.put(key, template(256, 8), 1_000), "re-announcement");
    assertSame(first, store.get(key, 10, 1_000), "same definition keeps the compiled template");
    assertEquals(1_000, first.lastSeenMillis());
    Template second = template(256, 12);
    assertNull(store.put(key, second, 2_000));
    assertSame(second, store.get(key, 10, 2_000));
    assertNull(store.get(key, 9, 2_000), "a v9 lookup never sees an IPFIX template");
    assertNull(store.get(new TemplateKey(A, 10, 2, 256), 10, 2_000), "observation domains are separate");
    assertEquals(1, store.templateCount(A));
  }

  @Test
  void boundsOnExportersAndTemplates() {
    TemplateStore store = new TemplateStore(new NetflowLimits(1, 2, null, null, null, null, null, null, null, null, null));
    assertEquals(DecodeError.TOO_MANY_EXPORTERS, store.put(new TemplateKey(B, 10, 0, 256), template(256, 8), 0),
        "no template without a decoded header first");
    store.admit(A, 0);
    assertNull(store.put(new TemplateKey(A, 10, 0, 256), template(256, 8), 0));
    assertNull(store.put(new TemplateKey(A, 10, 7, 256), template(256, 8), 0));
    assertEquals(DecodeError.TOO_MANY_TEMPLATES, store.put(new TemplateKey(A, 10, 0, 257), template(257, 8), 0));
    assertNull(store.put(new TemplateKey(A, 10, 0, 256), template(256, 12), 0), "replacing does not need a new slot");
    assertEquals(2, store.templateCount(A));
    assertEquals(2, store.templateCount());
  }

  @Test
  void timeoutForgetsTemplatesThenIdleExporters() {
    TemplateStore store = new TemplateStore(NetflowLimits.defaults());
    RecordingListener out = new RecordingListener();
    store.admit(A, 0);
    TemplateKey key = new TemplateKey(A, 10, 0, 256);
    store.put(key, template(256, 8), 0);
    assertSame(store.get(key, 10, TIMEOUT), store.get(key, 10, TIMEOUT));
    assertNull(store.get(key, 10, TIMEOUT + 1), "timed out, even before a sweep");
    store.expire(TIMEOUT + 1, out);
    assertEquals(0, store.templateCount());
    assertEquals(0, store.exporterCount(), "silent for the timeout with nothing left");
    assertEquals(List.of(), out.errors);
  }

  @Test
  void withdrawAllKeepsTheOtherKindAndOtherDomains() {
    TemplateStore store = new TemplateStore(NetflowLimits.defaults());
    store.admit(A, 0);
    store.put(new TemplateKey(A, 10, 1, 256), template(256, 8), 0);
    store.put(new TemplateKey(A, 10, 1, 257), Template.of(10, 257, true, 1, new int[] {149, 34}, new int[] {4, 4},
        new long[2], 0), 0);
    store.put(new TemplateKey(A, 10, 2, 256), template(256, 8), 0);
    store.withdrawAll(A, 10, 1, false);
    assertEquals(2, store.templateCount(A));
    store.withdraw(new TemplateKey(A, 10, 2, 256));
    assertEquals(1, store.templateCount(A));
  }

  @Test
  void templatesWithoutFieldsOrBytesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> template(256));
    assertThrows(IllegalArgumentException.class,
        () -> Template.of(9, 256, false, 0, new int[] {8}, new int[] {0}, new long[1], 0));
  }

  @Test
  void concurrentDecodersShareOneBoundedStore() throws Exception {
    TemplateStore store = new TemplateStore(new NetflowLimits(8, 16, null, null, null, null, null, null, null, null, null));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 2_000; i++) {
          ExporterId e = new ExporterId(IpAddr.ofV4(i % 12), -1);
          store.admit(e, i);
          TemplateKey key = new TemplateKey(e, 10, thread, 256 + i % 40);
          store.put(key, template(key.templateId(), 8), i);
          store.get(key, 10, i);
          if (i % 97 == 0) store.withdrawAll(e, 10, thread, false);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
    pool.shutdown();
    assertTrue(store.exporterCount() <= 8);
    int sum = 0;
    for (ExporterId e : store.exporters()) {
      assertTrue(store.templateCount(e) <= 16);
      sum += store.templateCount(e);
    }
    assertEquals(store.templateCount(), sum, "per-exporter counts agree with the template map");
  }

  private static final ExporterId C = new ExporterId(IpAddr.parse("192.0.2.3"), -1);
  private static final ExporterId D = new ExporterId(IpAddr.parse("192.0.2.4"), -1);

  private static NetflowLimits limits(Integer maxTemplates, Integer templateBytes, Long stateBytes) {
    return new NetflowLimits(null, maxTemplates, templateBytes, null, null, null, stateBytes, null, null, null, null);
  }

  @Test
  void oneBoundPerExporterAcrossV9AndIpfix() {
    TemplateStore store = new TemplateStore(limits(2, null, null));
    store.admit(A, 0);
    Template v9 = Template.of(9, 256, false, 0, new int[] {8}, new int[] {4}, new long[1], 0);
    assertNull(store.put(new TemplateKey(A, 9, 0, 256), v9, 0));
    assertNull(store.put(new TemplateKey(A, 10, 0, 256), template(256, 8), 0), "same ids, other protocol: kept apart");
    assertSame(v9, store.get(new TemplateKey(A, 9, 0, 256), 9, 0));
    assertEquals(2, store.templateCount(A));
    assertEquals(DecodeError.TOO_MANY_TEMPLATES, store.put(new TemplateKey(A, 9, 0, 257), v9, 0));
  }

  @Test
  void templateBytesPerExporterAreBounded() {
    int cost = template(256, 8, 12).retainedBytes();
    TemplateStore store = new TemplateStore(limits(null, cost * 5 / 2, null));
    store.admit(A, 0);
    assertNull(store.put(new TemplateKey(A, 10, 0, 256), template(256, 8, 12), 0));
    assertNull(store.put(new TemplateKey(A, 10, 0, 257), template(257, 8, 12), 0));
    assertEquals(DecodeError.TOO_MANY_TEMPLATES, store.put(new TemplateKey(A, 10, 0, 258), template(258, 8, 12), 0));
    assertNull(store.put(new TemplateKey(A, 10, 0, 257), template(257, 8, 12, 7), 0), "a replacement costs the difference");
    assertEquals(cost + template(257, 8, 12, 7).retainedBytes(), store.stateBytes());
    store.withdraw(new TemplateKey(A, 10, 0, 257));
    assertEquals(cost, store.stateBytes());
  }

  @Test
  void aFullStateBudgetGivesWayToTheExporterThatDelivers() {
    int cost = template(256, 8).retainedBytes();
    TemplateStore store = new TemplateStore(limits(null, null, 2L * cost));
    TemplateStore.Exporter real = store.admit(A, 0);
    assertNull(store.put(new TemplateKey(A, 10, 0, 256), template(256, 8), 0));
    real.delivered(0);
    store.admit(B, 1);
    assertNull(store.put(new TemplateKey(B, 10, 0, 256), template(256, 8), 1));
    store.admit(C, 2);
    assertNull(store.put(new TemplateKey(C, 10, 0, 256), template(256, 8), 2), "B, heard before C, gave way");
    assertEquals(List.of(A, C), store.exporters().stream().sorted(java.util.Comparator.comparing(ExporterId::toString)).toList());
    assertEquals(1, store.evictions(EvictionReason.STATE_BUDGET));
    store.admit(A, 3);
    assertNull(store.put(new TemplateKey(A, 10, 0, 257), template(257, 8), 3), "the delivering exporter pushes C out");
    store.admit(D, 4);
    assertEquals(DecodeError.STATE_BUDGET, store.put(new TemplateKey(D, 10, 0, 256), template(256, 8), 4),
        "nobody less useful holds anything: refused");
    assertEquals(2, store.templateCount(A));
    assertEquals(2L * cost, store.stateBytes());
  }

  @Test
  void heldDataAndIdleExportersGoOnTheSweepWithoutTraffic() {
    TemplateStore store = new TemplateStore(NetflowLimits.defaults());
    RecordingListener out = new RecordingListener();
    TemplateStore.Exporter a = store.admit(A, 0);
    store.hold(a, new PendingSet(new TemplateKey(A, 9, 0, 300), 9, new byte[100], 0, 0, 0), out);
    assertEquals(1, store.pending().size(A));
    assertTrue(store.stateBytes() > 100);
    store.expire(60_000, out);
    assertEquals(1, store.pending().size(), "exactly pending_timeout old: kept");
    store.expire(60_001, out);
    assertEquals(0, store.pending().size());
    assertEquals(0, store.stateBytes());
    assertEquals(List.of(DecodeError.PENDING_EXPIRED), out.reasons());
    assertEquals(1, store.exporterCount());
    store.expire(TIMEOUT + 1, out);
    assertEquals(0, store.exporterCount(), "silent for exporter_timeout");
    assertEquals(1, store.evictions(EvictionReason.IDLE));
  }

  @Test
  void forgettingAnExporterGivesBackEverything() {
    TemplateStore store = new TemplateStore(new NetflowLimits(1, null, null, null, null, null, null, null, null, null, null));
    RecordingListener out = new RecordingListener();
    TemplateStore.Exporter a = store.admit(A, 0);
    store.put(new TemplateKey(A, 10, 0, 256), template(256, 8), 0);
    store.hold(a, new PendingSet(new TemplateKey(A, 10, 0, 300), 10, new byte[100], 0, -1, 0), out);
    store.admit(B, 1);
    assertEquals(0, store.stateBytes());
    assertEquals(0, store.templateCount());
    assertEquals(0, store.pending().size());
    assertEquals(1, store.evictions(EvictionReason.TABLE_FULL));
  }
}
