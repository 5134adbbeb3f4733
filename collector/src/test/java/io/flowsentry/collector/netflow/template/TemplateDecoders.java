package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A v9 and an IPFIX decoder with fresh stores, fed by version, as the collector's dispatch would. */
public final class TemplateDecoders {

  public static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 2055);

  public final TemplateStore v9Store;
  public final TemplateStore ipfixStore;
  public final NetflowV9Decoder v9;
  public final IpfixDecoder ipfix;

  public TemplateDecoders(NetflowLimits limits, boolean keepRaw) {
    this(limits, keepRaw, Decapsulation.NONE);
  }

  public TemplateDecoders(NetflowLimits limits, boolean keepRaw, Decapsulation decapsulation) {
    v9Store = new TemplateStore(limits);
    ipfixStore = new TemplateStore(limits);
    v9 = new NetflowV9Decoder(v9Store, limits, keepRaw, decapsulation);
    ipfix = new IpfixDecoder(ipfixStore, limits, keepRaw, decapsulation);
  }

  public TemplateDecoders() {
    this(NetflowLimits.defaults(), false);
  }

  /** Decodes one message from {@link #EXPORTER}; v5 and unknown versions are ignored. */
  public void feed(byte[] message, long receivedMillis, DecodeListener listener) {
    feed(message, EXPORTER, receivedMillis, listener);
  }

  public void feed(byte[] message, InetSocketAddress exporter, long receivedMillis, DecodeListener listener) {
    feed(Unpooled.wrappedBuffer(message), exporter, receivedMillis, listener);
  }

  /**
   * Decodes the message in {@code buf} as the receive path hands it over; the message may sit
   * at any reader index, in a slice, or in direct memory.
   */
  public void feed(ByteBuf buf, InetSocketAddress exporter, long receivedMillis, DecodeListener listener) {
    byte[] message = new byte[Math.min(2, buf.readableBytes())];
    buf.getBytes(buf.readerIndex(), message);
    int version = message.length == 2 ? ((message[0] & 0xFF) << 8) | (message[1] & 0xFF) : -1;
    if (version == NetflowV9Decoder.VERSION) v9.decode(buf, exporter, receivedMillis, listener);
    if (version == IpfixDecoder.VERSION) ipfix.decode(buf, exporter, receivedMillis, listener);
  }

  /** {@code message} in a direct buffer, preceded by {@code offset} bytes of other data (reader index past them). */
  public static ByteBuf direct(byte[] message, int offset) {
    ByteBuf buf = Unpooled.directBuffer(offset + message.length).writeZero(offset).writeBytes(message);
    return buf.readerIndex(offset);
  }

  /** {@code message} as a slice of a larger heap array (non-zero array offset). */
  public static ByteBuf sliced(byte[] message, int offset) {
    byte[] big = new byte[offset + message.length + 7];
    System.arraycopy(message, 0, big, offset, message.length);
    return Unpooled.wrappedBuffer(big).slice(offset, message.length);
  }

  /**
   * Feeds every datagram of the captures in order, all as from {@link #EXPORTER} (akvorado's
   * tests also use one exporter whatever the capture says), received at {@code receivedMillis}.
   */
  public void feedPcaps(Path dir, long receivedMillis, DecodeListener listener, String... files) {
    for (String f : files) {
      try {
        for (CapturedDatagram d : PcapReader.readAll(dir.resolve(f))) feed(d.payload(), receivedMillis, listener);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
