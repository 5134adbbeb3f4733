package io.flowsentry.collector.netflow.template;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;

/** The documented outcomes of decoding arbitrary bytes, checked for the fuzz tests. */
public final class FuzzSupport {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 2055);

  /** A decoder's entry point. */
  @FunctionalInterface
  public interface Decoder {
    void decode(ByteBuf message, InetSocketAddress exporter, long receivedMillis, DecodeListener listener);
  }

  /** Builds a decoder over a store with the given limits and raw setting. */
  @FunctionalInterface
  public interface DecoderFactory {
    Decoder create(TemplateStore store, NetflowLimits limits, boolean keepRaw);
  }

  private FuzzSupport() {}

  /**
   * Feeds the fuzzer's bytes as a few messages, optionally after {@code validTemplate}, through a
   * fresh store with small limits (so the bounds are hit); the version field is forced to
   * {@code version} half of the time so the fuzzer gets past the header. Only listener callbacks
   * within the contract may happen, and the template bound must hold.
   */
  public static void fuzz(FuzzedDataProvider data, int version, byte[] validTemplate, DecoderFactory factory) {
    NetflowLimits limits = new NetflowLimits(2, 4, null, 16, 4, 4096, null, "60s", "30m", null, false);
    TemplateStore store = new TemplateStore(limits);
    Decoder decoder = factory.create(store, limits, data.consumeBoolean());
    long now = 1_700_000_000_000L;
    if (data.consumeBoolean()) decoder.decode(Unpooled.wrappedBuffer(validTemplate), EXPORTER, now, strictListener(version));
    int messages = data.consumeInt(1, 4);
    for (int i = 0; i < messages; i++) {
      byte[] body = i == messages - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(1500);
      if (i % 2 == 0 && body.length >= 2) {
        body[0] = (byte) (version >> 8);
        body[1] = (byte) version;
      }
      decoder.decode(Unpooled.wrappedBuffer(body), EXPORTER, now + i * 61_000L, strictListener(version));
    }
    if (store.templateCount() > limits.maxExporters() * limits.maxTemplatesPerExporter()) {
      throw new AssertionError("template bound exceeded");
    }
  }

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
