package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;

/** The documented outcomes of decoding arbitrary bytes, checked for the fuzz tests. */
public final class FuzzSupport {

  private FuzzSupport() {}

  /** A listener that fails on anything outside the decoder contract. */
  public static DecodeListener strictListener(int version) {
    return new DecodeListener() {
      private boolean header;

      @Override
      public void header(MessageHeader h) {
        if (header) throw new AssertionError("second header for one message");
        if (h.version() != version) throw new AssertionError("header of version " + h.version());
        header = true;
      }

      @Override
      public void record(FlowRecord r) {
        if (!header) throw new AssertionError("record before the header");
        if (r.version() != version || r.exporter() == null) throw new AssertionError("inconsistent record " + r);
      }

      @Override
      public void error(DecodeError reason, String detail) {
        if (reason == null || detail == null) throw new AssertionError("error without reason or detail");
      }
    };
  }
}
