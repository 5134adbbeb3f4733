package io.flowsentry.collector.udp;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * What receives export datagrams: the live UDP server and the offline pcap reader both call
 * it, so live and offline decoding give the same records. Called on the receiving thread; the
 * buffer is only valid during the call (the caller releases it).
 */
@FunctionalInterface
public interface DatagramHandler {
  void onDatagram(InetSocketAddress sender, ByteBuf content, long receivedMillis);
}
