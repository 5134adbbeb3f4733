package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.DecodeError;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingDataTest {

  private static final ExporterId A = new ExporterId(IpAddr.parse("192.0.2.1"), -1);
  private static final ExporterId B = new ExporterId(IpAddr.parse("192.0.2.2"), -1);

  /** Heap a held set of {@code bytes} data bytes costs. */
  private static int cost(int bytes) {
    return PendingData.cost(set(A, 256, bytes, 0));
  }

  private static PendingData pending(int maxSets, int maxBytes) {
    return new PendingData(maxSets, maxBytes, 60_000, new MemoryBudget(Long.MAX_VALUE));
  }

  private static void hold(PendingData pending, PendingSet set, RecordingListener out) {
    pending.hold(set, out, bytes -> true);
  }

  private static PendingSet set(ExporterId e, int templateId, int bytes, long received) {
    return new PendingSet(new TemplateKey(e, 10, 0, templateId), 10, new byte[bytes], 0, -1, received);
  }

  @Test
  void boundedPerExporterByCountOldestDroppedFirst() {
    PendingData pending = pending(2, 10 * cost(10));
    RecordingListener out = new RecordingListener();
    hold(pending, set(A, 256, 10, 0), out);
    hold(pending, set(A, 257, 10, 1), out);
    hold(pending, set(B, 256, 10, 2), out);
    hold(pending, set(A, 258, 10, 3), out);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED), out.reasons());
    assertEquals(2, pending.size(A));
    assertEquals(1, pending.size(B));
    assertEquals(List.of(), pending.take(new TemplateKey(A, 10, 0, 256), 10, 4, out), "the oldest was dropped");
    assertEquals(1, pending.take(new TemplateKey(A, 10, 0, 258), 10, 4, out).size());
  }

  @Test
  void boundedByBytes() {
    PendingData pending = pending(100, 2 * cost(60) + 10);
    RecordingListener out = new RecordingListener();
    hold(pending, set(A, 256, 60, 0), out);
    hold(pending, set(A, 257, 60, 0), out);
    hold(pending, set(A, 258, 1_000, 0), out);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED), out.reasons(), "a set larger than the bound is not held");
    assertEquals(2, pending.size(), "two fit");
    hold(pending, set(A, 259, 60, 0), out);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED, DecodeError.PENDING_EXPIRED), out.reasons());
    assertEquals(2, pending.size(), "a third pushes out the oldest");
  }

  @Test
  void everyHeldByteIsChargedToTheBudgetAndGivenBack() {
    MemoryBudget budget = new MemoryBudget(3 * cost(100));
    PendingData pending = new PendingData(10, 10 * cost(100), 60_000, budget);
    RecordingListener out = new RecordingListener();
    for (int i = 0; i < 4; i++) pending.hold(set(A, 256 + i, 100, 0), out, budget::tryCharge);
    assertEquals(List.of(DecodeError.STATE_BUDGET), out.reasons(), "the fourth does not fit the budget");
    assertEquals(3L * cost(100), budget.used());
    pending.take(new TemplateKey(A, 10, 0, 256), 10, 1, out);
    assertEquals(2L * cost(100), budget.used());
    pending.expire(60_001, out);
    assertEquals(0, budget.used(), "expired sets give their bytes back");
  }

  @Test
  void expiresByAgeAndTakesOnlyItsKey() {
    PendingData pending = pending(10, 10 * cost(4));
    RecordingListener out = new RecordingListener();
    hold(pending, set(A, 256, 4, 0), out);
    hold(pending, set(A, 256, 4, 30_000), out);
    hold(pending, set(A, 257, 4, 30_000), out);
    pending.expire(60_001, out);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED), out.reasons());
    assertEquals(List.of(), pending.take(new TemplateKey(A, 10, 0, 256), 9, 60_001, out), "v9 never takes IPFIX data");
    List<PendingSet> taken = pending.take(new TemplateKey(A, 10, 0, 256), 10, 60_001, out);
    assertEquals(1, taken.size());
    assertEquals(30_000, taken.get(0).receivedMillis());
    assertEquals(1, pending.size(), "template 257's set still waits");
  }
}
