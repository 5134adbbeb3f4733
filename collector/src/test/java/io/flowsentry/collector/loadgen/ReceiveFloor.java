package io.flowsentry.collector.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What receiving alone costs on each transport a Java collector could use, for comparing with
 * the daemon and with nfcapd at the same load (BENCHMARKS.md, "The receive floor"): one socket,
 * 16 MiB receive buffer, every datagram read and its NetFlow header count added up, nothing
 * else. Prints datagrams and records received once a second; stop it with a signal.
 *
 * <pre>
 * ReceiveFloor epoll|uring|nio [--listen 127.0.0.1:9995]
 * </pre>
 * {@code epoll}: Netty's native epoll with recvmmsg of 4 datagrams, as {@code UdpServer} reads;
 * {@code uring}: Netty's io_uring transport; {@code nio}: the JDK's blocking DatagramChannel on a
 * thread of its own (one recvfrom per datagram, no selector).
 */
public final class ReceiveFloor {
  private static final int MAX_DATAGRAM = 65_507;
  private static final int RECEIVE_BUFFER = 16 << 20;

  private final AtomicLong datagrams = new AtomicLong();
  private final AtomicLong records = new AtomicLong();

  private ReceiveFloor() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 && args.length != 3) throw new IllegalArgumentException("usage: ReceiveFloor epoll|uring|nio [--listen HOST:PORT]");
    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 9995);
    if (args.length == 3) {
      String[] hostPort = args[2].split(":");
      listen = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }
    ReceiveFloor floor = new ReceiveFloor();
    switch (args[0]) {
      case "epoll", "uring" -> floor.netty(args[0].equals("uring"), listen);
      case "nio" -> floor.nio(listen);
      default -> throw new IllegalArgumentException(args[0] + ": unknown transport (expected: epoll, uring, nio)");
    }
    while (true) {
      Thread.sleep(1000);
      System.out.println("datagrams=" + floor.datagrams.get() + " records=" + floor.records.get());
    }
  }

  private void count(int recordCount) {
    // one writer thread: a plain add through the atomic keeps the printed totals exact and cheap
    datagrams.lazySet(datagrams.get() + 1);
    records.lazySet(records.get() + recordCount);
  }

  private void netty(boolean uring, InetSocketAddress listen) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
    Bootstrap b = new Bootstrap().group(group)
        .channel(uring ? IoUringDatagramChannel.class : EpollDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket p = (DatagramPacket) msg;
            ByteBuf c = p.content();
            count(c.readableBytes() >= 4 ? c.getUnsignedShort(c.readerIndex() + 2) : 0);
            p.release();
          }
        });
    if (uring) {
      b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM).maxMessagesPerRead(64));
    } else {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 4).maxMessagesPerRead(64));
    }
    b.bind(listen).syncUninterruptibly();
  }

  private void nio(InetSocketAddress listen) throws Exception {
    DatagramChannel channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
    channel.bind(listen);
    Thread reader = new Thread(() -> {
      ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
      try {
        while (true) {
          buffer.clear();
          channel.receive(buffer);
          count(buffer.position() >= 4 ? buffer.getShort(2) & 0xFFFF : 0);
        }
      } catch (Exception e) {
        System.err.println("receive floor: " + e);
      }
    }, "receive-floor-nio");
    reader.setDaemon(true);
    reader.start();
  }
}
