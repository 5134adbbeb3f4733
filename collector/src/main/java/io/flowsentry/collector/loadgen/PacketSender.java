package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.udp.ListenAddress;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;

/**
 * Where encoded packets go: a connected UDP socket. Only datagrams the kernel accepted are added
 * to the totals, so the printed totals are exactly what a receiver could have got.
 */
sealed interface PacketSender extends AutoCloseable permits EpollBatchSender, NioPacketSender {
  /** Most packets handed to the kernel at once (one sendmmsg call on Linux). */
  int MAX_BATCH = 32;

  /** Encodes packets {@code first .. first + count - 1} and sends them; {@code count <= MAX_BATCH}. */
  void send(ExportEncoder encoder, long first, int count, ExportTotals totals) throws IOException;

  /** Packets the kernel refused (e.g. port unreachable while the receiver starts). */
  long sendErrors();

  @Override
  void close();

  /**
   * sendmmsg through Netty's native epoll where available (about 3x the packet rate), plain NIO elsewhere.
   *
   * @param source the local address to send from (port 0 = any port), null = the kernel's choice
   */
  static PacketSender open(ListenAddress target, ListenAddress source) throws IOException {
    return Epoll.isAvailable() ? new EpollBatchSender(target, source) : new NioPacketSender(target, source);
  }
}
