package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The documented outcomes of decoding arbitrary bytes, checked for the v9 and IPFIX fuzz tests.
 *
 * <p>A fuzz input is one flags byte, then messages, each a 2-byte big-endian length and that
 * many bytes (the last one may be cut short). This framing, rather than Jazzer's
 * FuzzedDataProvider, lets real captures be written as seeds ({@link #input}): a template
 * message followed by the data messages it describes.
 */
public final class FuzzSupport {

  /** Decode with {@code keepRaw}. */
  public static final int KEEP_RAW = 1;
  /** Decode {@code validTemplate} before the messages. */
  public static final int SYNTHETIC_TEMPLATE = 2;
  /** Use the default limits, so real templates with many fields are stored; otherwise small limits, so the bounds are hit. */
  public static final int DEFAULT_LIMITS = 4;
  /** Bounds the work per input. */
  public static final int MAX_MESSAGES = 64;

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 2055);
  private static final NetflowLimits SMALL_LIMITS = new NetflowLimits(2, 4, null, 16, 4, 4096, null, "60s", "30m", null, false);

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
   * Decodes the messages of {@code input} through a fresh store, one message a minute apart;
   * the version field of every other message is forced to {@code version} so the fuzzer gets
   * past the header. Only listener callbacks within the contract may happen, and the template
   * bound must hold.
   *
   * @return the records decoded
   */
  public static long fuzz(byte[] input, int version, byte[] validTemplate, DecoderFactory factory) {
    if (input.length == 0) return 0;
    int flags = input[0];
    NetflowLimits limits = (flags & DEFAULT_LIMITS) != 0 ? NetflowLimits.defaults() : SMALL_LIMITS;
    TemplateStore store = new TemplateStore(limits);
    Decoder decoder = factory.create(store, limits, (flags & KEEP_RAW) != 0);
    StrictListener listener = new StrictListener(version);
    long now = 1_700_000_000_000L;
    if ((flags & SYNTHETIC_TEMPLATE) != 0) decoder.decode(Unpooled.wrappedBuffer(validTemplate), EXPORTER, now, listener.next());
    int at = 1;
    for (int i = 0; i < MAX_MESSAGES && at < input.length; i++) {
      int length = at + 1 < input.length ? ((input[at] & 0xFF) << 8) | (input[at + 1] & 0xFF) : 0;
      at += 2;
      byte[] body = Arrays.copyOfRange(input, Math.min(at, input.length), Math.min(at + length, input.length));
      at += length;
      if (i % 2 == 0 && body.length >= 2) {
        body[0] = (byte) (version >> 8);
        body[1] = (byte) version;
      }
      decoder.decode(Unpooled.wrappedBuffer(body), EXPORTER, now + i * 61_000L, listener.next());
    }
    if (store.templateCount() > limits.maxExporters() * limits.maxTemplatesPerExporter()) {
      throw new AssertionError("template bound exceeded");
    }
    return listener.records;
  }

  /** The fuzz input that decodes {@code messages} in order with {@code flags}. */
  public static byte[] input(int flags, List<byte[]> messages) {
    if (messages.size() > MAX_MESSAGES) throw new IllegalArgumentException(messages.size() + " messages (expected: at most " + MAX_MESSAGES + ")");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(flags);
    for (byte[] m : messages) {
      if (m.length > 0xFFFF) throw new IllegalArgumentException("message of " + m.length + " bytes (expected: at most 65535)");
      out.write(m.length >> 8);
      out.write(m.length);
      out.writeBytes(m);
    }
    return out.toByteArray();
  }

  /** A listener that fails on anything outside the decoder contract, and counts records. */
  private static final class StrictListener implements DecodeListener {
    private final int version;
    private boolean header;
    private long records;

    StrictListener(int version) {
      this.version = version;
    }

    /** Ready for the next message. */
    StrictListener next() {
      header = false;
      return this;
    }

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
      records++;
    }

    @Override
    public void error(DecodeError reason, String detail) {
      if (reason == null || detail == null) throw new AssertionError("error without reason or detail");
    }
  }
}
