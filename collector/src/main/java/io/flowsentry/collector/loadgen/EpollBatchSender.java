package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.udp.ListenAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Batches packets into one sendmmsg call: Netty's epoll channel flushes several queued datagrams
 * with sendmmsg. Measured on loopback (v5, 2 busy cores): 350k packets/s against 120k for one
 * NIO write per packet. Encoding and counting run on the channel's event loop, so the totals
 * have a single writer; {@link #send} waits for its batch.
 */
final class EpollBatchSender implements PacketSender {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final Channel channel;
  private long sendErrors;

  /** @param source the local address to send from, null = the kernel's choice */
  EpollBatchSender(ListenAddress target, ListenAddress source) throws IOException {
    SocketProtocolFamily family = target.address().v6() ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    try {
      channel = new Bootstrap().group(group)
          .channelFactory(() -> new EpollDatagramChannel(family))
          .handler(new ChannelInboundHandlerAdapter())
          .connect(target.toSocketAddress(), source == null ? null : source.toSocketAddress()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot open a UDP socket to " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void send(ExportEncoder encoder, long first, int count, ExportTotals totals) throws IOException {
    try {
      channel.eventLoop().submit(() -> {
        for (long n = first; n < first + count; n++) {
          // encoding into a heap buffer and letting Netty copy it once into direct memory costs
          // less than ~20 bounds- and session-checked writes per record into a direct one (JDK 25)
          ByteBuf buf = PooledByteBufAllocator.DEFAULT.heapBuffer(2048);
          ExportTotals packet = new ExportTotals();
          encoder.encode(buf, n, System.currentTimeMillis(), packet);
          channel.write(buf).addListener(f -> {
            if (f.isSuccess()) totals.add(packet);
            else sendErrors++;
          });
        }
        channel.flush();
      }).sync();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending");
    }
  }

  @Override
  public long sendErrors() {
    try {
      return channel.eventLoop().submit(() -> sendErrors).get();
    } catch (Exception e) {
      throw new IllegalStateException("event loop gone", e);
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
