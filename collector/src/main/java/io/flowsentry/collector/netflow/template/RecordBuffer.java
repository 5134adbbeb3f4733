package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.FlowRecord;
import java.util.Arrays;

/**
 * The data records of one message between decoding and delivery ({@link DecodeSession} reports
 * them after the header, which needs their count). Builders are reused from message to message on
 * the same thread and lent to the listener, so a record it does not keep is never built. Bounded:
 * at most {@link #RETAINED} builders stay between messages.
 */
final class RecordBuffer {

  /** Builders kept between messages: a full-size datagram of typical records needs fewer than 100. */
  static final int RETAINED = 256;

  private static final ThreadLocal<RecordBuffer> PER_THREAD = ThreadLocal.withInitial(RecordBuffer::new);

  private FlowRecord.Builder[] builders = new FlowRecord.Builder[32];
  private int size;

  /** This thread's buffer, emptied: one message is decoded at a time per thread. */
  static RecordBuffer forThisThread() {
    RecordBuffer buffer = PER_THREAD.get();
    buffer.clear();
    return buffer;
  }

  /** The builder for the next record, not yet part of the buffer (see {@link #keep}); the caller resets it. */
  FlowRecord.Builder next() {
    if (size == builders.length) builders = Arrays.copyOf(builders, size * 2);
    FlowRecord.Builder b = builders[size];
    if (b == null) builders[size] = b = FlowRecord.builder();
    return b;
  }

  /** Adds the builder {@link #next} returned as the next record. */
  void keep() {
    size++;
  }

  int size() {
    return size;
  }

  FlowRecord.Builder get(int i) {
    return builders[i];
  }

  /** Builders held, kept or not. */
  int capacity() {
    return builders.length;
  }

  void clear() {
    size = 0;
    if (builders.length > RETAINED) builders = Arrays.copyOf(builders, RETAINED);
  }
}
