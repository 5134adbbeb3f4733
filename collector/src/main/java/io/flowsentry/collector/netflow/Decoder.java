package io.flowsentry.collector.netflow;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * One export-protocol decoder as the collector sees it. The v5, v9 and IPFIX decoders all have
 * this method, so a method reference ({@code v9::decode}) fits whether or not the class
 * implements the interface.
 *
 * <p>The decoder reads {@code message} (one whole datagram, reader index at the version
 * field), reports the header, every record and every problem to {@code listener}, and never
 * throws for bad input. The buffer belongs to the caller and is valid only during the call.
 */
@FunctionalInterface
public interface Decoder {
  void decode(ByteBuf message, InetSocketAddress exporter, long receivedMillis, DecodeListener listener);
}
