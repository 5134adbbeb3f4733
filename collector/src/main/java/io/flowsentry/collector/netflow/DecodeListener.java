package io.flowsentry.collector.netflow;

/**
 * What a pure decoder reports to while it walks one export message. The decoder never throws
 * for bad input: it reports an error and resumes at the next set (or stops the message when
 * the header itself is unusable), so good records in the same datagram still come out.
 */
public interface DecodeListener {

  /** The message header, once per message, before any record of it. */
  void header(MessageHeader header);

  /** A decoded data record (including ones held for a template that just arrived). */
  void record(FlowRecord record);

  /**
   * How decoders hand over each data record: lent, valid only during this call, since the decoder
   * reuses the builder for the next record. The default builds the record for {@link #record}; a
   * listener that keeps only some records overrides this and builds just those.
   */
  default void decoded(FlowRecord.Builder record) {
    record(record.build());
  }

  /**
   * An options data record, reported while the message is walked (before its header and data
   * records), and only by decoders that keep every element ({@code keepRaw}). Its sampling rate
   * or system init time has already been applied to later data records whether or not a listener
   * looks at it; the live path does not.
   */
  default void optionsRecord(OptionsRecord record) {}

  /**
   * Values of enterprise-specific elements that no decoder reads, skipped by their length in
   * this message (once per message, before its records; not called when there were none).
   */
  default void enterpriseElementsSkipped(long count) {}

  /**
   * Data of protocol {@code version} (9 or 10) held for a template that did not come in time,
   * dropped. Reported by whoever sweeps the store, which may be a timer rather than a message
   * of that protocol.
   */
  default void pendingExpired(int version, String detail) {
    error(DecodeError.PENDING_EXPIRED, detail);
  }

  /** Bad input, counted per reason; {@code detail} says where, e.g. "set 3 at offset 120: length 2 (expected: 4+)". */
  void error(DecodeError reason, String detail);
}
