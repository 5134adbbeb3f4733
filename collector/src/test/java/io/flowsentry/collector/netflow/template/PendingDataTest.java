package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.DecodeError;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingDataTest {

  private static final ExporterId A = new ExporterId(IpAddr.parse("192.0.2.1"), -1);
  private static final ExporterId B = new ExporterId(IpAddr.parse("192.0.2.2"), -1);

  private static PendingSet set(ExporterId e, int templateId, int bytes, long received) {
    return new PendingSet(new TemplateKey(e, 0, templateId), 10, new byte[bytes], 0, -1, received);
  }

  @Test
  void boundedPerExporterByCountOldestDroppedFirst() {
    PendingData pending = new PendingData(2, 1_000, 60_000);
    RecordingListener out = new RecordingListener();
    pending.hold(set(A, 256, 10, 0), out);
    pending.hold(set(A, 257, 10, 1), out);
    pending.hold(set(B, 256, 10, 2), out);
    pending.hold(set(A, 258, 10, 3), out);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED), out.reasons());
    assertEquals(2, pending.size(A));
    assertEquals(1, pending.size(B));
    assertEquals(List.of(), pending.take(new TemplateKey(A, 0, 256), 10, 4, out), "the oldest was dropped");
    assertEquals(1, pending.take(new TemplateKey(A, 0, 258), 10, 4, out).size());
  }

  @Test
  void boundedByBytes() {
    PendingData pending = new PendingData(100, 100, 60_000);
    RecordingListener out = new RecordingListener();
    pending.hold(set(A, 256, 60, 0), out);
    pending.hold(set(A, 257, 60, 0), out);
    pending.hold(set(A, 258, 101, 0), out);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED, DecodeError.PENDING_EXPIRED), out.reasons());
    assertEquals(1, pending.size());
  }

  @Test
  void expiresByAgeAndTakesOnlyItsKey() {
    PendingData pending = new PendingData(10, 1_000, 60_000);
    RecordingListener out = new RecordingListener();
    pending.hold(set(A, 256, 4, 0), out);
    pending.hold(set(A, 256, 4, 30_000), out);
    pending.hold(set(A, 257, 4, 30_000), out);
    pending.expire(60_001, out);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED), out.reasons());
    assertEquals(List.of(), pending.take(new TemplateKey(A, 0, 256), 9, 60_001, out), "v9 never takes IPFIX data");
    List<PendingSet> taken = pending.take(new TemplateKey(A, 0, 256), 10, 60_001, out);
    assertEquals(1, taken.size());
    assertEquals(30_000, taken.get(0).receivedMillis());
    assertEquals(1, pending.size(), "template 257's set still waits");
  }
}
