package io.flowsentry.collector.udp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives export datagrams on every configured address and hands each one to a
 * {@link DatagramHandler} on the receiving thread.
 *
 * <p>On Linux (native epoll) each address gets {@code sockets_per_address} sockets bound with
 * SO_REUSEPORT, one per event-loop thread, so the kernel spreads exporters over the threads
 * (by flow hash: one exporter always lands on the same thread, which keeps its template and
 * sequence state single-threaded in practice — the handler must still be thread-safe). Reads
 * are batched with recvmmsg. Elsewhere one NIO socket per address and one thread.
 *
 * <p>Kernel receive-queue drops per address are exported as {@code flowsentry.socket.drops}
 * where Linux shows them; datagrams from exporters outside the allowlist and datagrams the
 * handler failed on are counted in {@code flowsentry.packets.dropped} by reason.
 */
public final class UdpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpServer.class);

  /** Largest UDP payload over IPv4 (65535 - 8 - 20); IPv6 jumbograms do not occur on export paths. */
  static final int MAX_DATAGRAM = 65_507;
  /**
   * Datagrams fetched per recvmmsg call, at most: Netty's adaptive allocator sizes each read
   * from the last ones, between one slot (a plain recvmsg, when datagrams arrive one by one) and
   * this many. Each slot is a full {@link #MAX_DATAGRAM} so nothing is ever truncated. A fixed 4
   * read 3.6 datagrams per call on average at 125k IPFIX pps (the queue is rarely empty at
   * such rates), each call with a second system call Netty makes (getsockopt
   * IP_RECVORIGDSTADDR); up to 8 halved the calls at 150k. Not 16: a 1 MiB read buffer is a
   * quarter of the pooled allocator's 4 MiB chunk, which moves the chunk to the list whose chunks
   * are freed when empty, so every read allocated (and the JDK zeroed) a fresh chunk.
   */
  static final int MAX_DATAGRAMS_PER_READ = 8;
  /** Reads (datagrams) an event loop serves from one socket before turning to the next. */
  private static final int MAX_MESSAGES_PER_READ = 64;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  /** setsockopt(SOL_SOCKET, SO_RCVBUFFORCE): asm-generic/socket.h, the same on every Linux architecture Netty ships for. */
  private static final IntegerUnixChannelOption SO_RCVBUFFORCE = new IntegerUnixChannelOption("SO_RCVBUFFORCE", 1, 33);

  public enum Transport { EPOLL, NIO }

  private final UdpInputConfig config;
  private final DatagramHandler handler;
  private final MeterRegistry registry;
  private final Clock clock;
  private final ProcNetUdp procNetUdp;
  private final Transport transport;
  private final ExporterAllowlist allowlist;
  private final Counter notAllowed;
  private final Counter handlerErrors;
  private final Counter receiveErrors;
  private final List<Channel> channels = new ArrayList<>();
  /** Socket address actually bound (port 0 resolved) → the same as a listen address; REUSEPORT siblings share one entry. */
  private final Map<InetSocketAddress, ListenAddress> bound = new LinkedHashMap<>();
  private final List<Meter> dropMeters = new ArrayList<>();
  private EventLoopGroup group;
  private long receiveBufferGranted;

  public UdpServer(UdpInputConfig config, DatagramHandler handler, MeterRegistry registry) {
    this(config, handler, registry, Clock.systemUTC(), ProcNetUdp.system(), Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);
  }

  UdpServer(UdpInputConfig config, DatagramHandler handler, MeterRegistry registry, Clock clock, ProcNetUdp procNetUdp, Transport transport) {
    List<String> problems = config.validate("inputs.netflow");
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    this.config = config;
    this.handler = handler;
    this.registry = registry;
    this.clock = clock;
    this.procNetUdp = procNetUdp;
    this.transport = transport;
    this.allowlist = ExporterAllowlist.parse(config.allowedExporters());
    this.notAllowed = dropped(registry, "exporter_not_allowed");
    this.handlerErrors = dropped(registry, "handler_error");
    this.receiveErrors = dropped(registry, "receive_error");
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("flowsentry.packets.dropped")
        .description("Datagrams received but not decoded, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  public Transport transport() {
    return transport;
  }

  /**
   * Binds every configured address and returns once all sockets receive.
   *
   * @throws BindException naming the address when one cannot be bound; nothing stays bound then
   */
  public synchronized void start() throws BindException {
    if (group != null) throw new IllegalStateException("already started");
    int socketsPerAddress = transport == Transport.EPOLL ? config.socketsPerAddress() : 1;
    group = new MultiThreadIoEventLoopGroup(socketsPerAddress, new DefaultThreadFactory("flowsentry-udp", true),
        transport == Transport.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    InboundDatagramHandler inbound = new InboundDatagramHandler(handler, allowlist, clock, notAllowed, handlerErrors, receiveErrors);
    try {
      for (ListenAddress address : config.listenAddresses()) {
        bindAll(address, socketsPerAddress, inbound);
      }
    } catch (BindException | RuntimeException e) {
      close();
      throw e;
    }
    ensureReceiveBuffer();
    if (procNetUdp.readable()) {
      for (ListenAddress address : bound.values()) {
        dropMeters.add(FunctionCounter.builder("flowsentry.socket.drops", procNetUdp, p -> p.drops(address))
            .description("Datagrams the kernel dropped because the socket receive queue was full")
            .tag("listen", address.toString())
            .register(registry));
      }
    }
    log.info("receiving NetFlow/IPFIX on {} ({}, {} socket(s) per address, {} byte receive buffer each, allowed exporters: {})",
        bound.values(), transport, socketsPerAddress, receiveBufferGranted,
        allowlist.allowsAny() ? "any" : config.allowedExporters());
  }

  private void bindAll(ListenAddress address, int sockets, InboundDatagramHandler inbound) throws BindException {
    // SO_REUSEPORT would let a second collector of the same user join this port and silently
    // take part of the traffic: refuse a port some other socket already holds
    if (address.port() != 0 && procNetUdp.readable() && procNetUdp.bound(address)) {
      throw new BindException("cannot listen for NetFlow/IPFIX on udp " + address + ": another socket (another collector?) is already bound to it");
    }
    Bootstrap bootstrap = bootstrap(address, inbound);
    InetSocketAddress target = address.toSocketAddress();
    for (int i = 0; i < sockets; i++) {
      Channel channel;
      try {
        channel = bootstrap.bind(target).syncUninterruptibly().channel();
      } catch (Exception e) { // Netty rethrows the native bind error unchecked
        BindException b = new BindException("cannot listen for NetFlow/IPFIX on udp " + address + ": " + e.getMessage());
        b.initCause(e);
        throw b;
      }
      channels.add(channel);
      InetSocketAddress local = (InetSocketAddress) channel.localAddress();
      // with port 0 the first socket picks the port; its REUSEPORT siblings join that one
      target = local;
      bound.put(local, new ListenAddress(address.address(), local.getPort()));
    }
  }

  private Bootstrap bootstrap(ListenAddress address, InboundDatagramHandler inbound) {
    SocketProtocolFamily family = address.address().v6() ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    Bootstrap b = new Bootstrap()
        .group(group)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.SO_RCVBUF, config.receiveBuffer())
        .handler(inbound);
    if (transport == Transport.EPOLL) {
      b.channelFactory(() -> new EpollDatagramChannel(family))
          .option(UnixChannelOption.SO_REUSEPORT, true)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
          .option(ChannelOption.RCVBUF_ALLOCATOR,
              new AdaptiveRecvByteBufAllocator(readBuffer(1), readBuffer(4), readBuffer(MAX_DATAGRAMS_PER_READ))
                  .maxMessagesPerRead(MAX_MESSAGES_PER_READ));
    } else {
      b.channelFactory(() -> new NioDatagramChannel(family))
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM).maxMessagesPerRead(MAX_MESSAGES_PER_READ));
    }
    return b;
  }

  /**
   * A read buffer with room for {@code datagrams} slots: the adaptive allocator only hands out
   * sizes from its table (powers of two at this size), rounding a maximum down.
   */
  static int readBuffer(int datagrams) {
    return Integer.highestOneBit(MAX_DATAGRAM * datagrams) << 1;
  }

  /**
   * Linux silently caps SO_RCVBUF at net.core.rmem_max, and reads back twice the value it kept
   * (the other half is its bookkeeping allowance). A process with CAP_NET_ADMIN (root, or a unit
   * granted the capability) may go past the cap with SO_RCVBUFFORCE, as systemd-journald does for
   * its sockets: the configured buffer is what the operator asked for, and it is the time a
   * stall (a JIT deoptimization at start, a descheduled vCPU) can last before the kernel drops.
   * Without the capability the kernel refuses, and the warning says how to raise the cap.
   */
  private void ensureReceiveBuffer() {
    int asked = config.receiveBuffer();
    if (transport == Transport.EPOLL) {
      for (Channel c : channels) {
        if (granted(c) >= asked) continue;
        try {
          c.config().setOption(SO_RCVBUFFORCE, asked);
        } catch (RuntimeException refused) { // EPERM without CAP_NET_ADMIN: keep what SO_RCVBUF granted
          log.debug("SO_RCVBUFFORCE refused on {}: {}", c.localAddress(), refused.getMessage());
        }
      }
    }
    long granted = channels.stream().mapToLong(this::granted).min().orElse(asked);
    receiveBufferGranted = granted;
    if (granted < asked) {
      log.warn("asked for a {} byte UDP receive buffer but the kernel granted {}; bursts may be dropped. "
          + "Raise the limit with: sysctl -w net.core.rmem_max={}", asked, granted, asked);
    }
  }

  private long granted(Channel c) {
    return c.config().getOption(ChannelOption.SO_RCVBUF) / (transport == Transport.EPOLL ? 2 : 1);
  }

  /** The receive buffer the kernel granted each socket (the smallest), in bytes; 0 before {@link #start}. */
  public synchronized long receiveBufferGranted() {
    return receiveBufferGranted;
  }

  /** The local addresses actually bound (one per socket; port 0 resolved). */
  public synchronized List<InetSocketAddress> boundAddresses() {
    return List.copyOf(bound.keySet());
  }

  /** Stops receiving and waits, bounded, for datagrams already being handled. */
  @Override
  public synchronized void close() {
    if (group == null) return;
    long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    for (Channel c : channels) {
      // the close runs on the channel's event loop, after the read in progress has been handled
      c.close().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    group.shutdownGracefully(0, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    channels.clear();
    bound.clear();
    receiveBufferGranted = 0;
    dropMeters.forEach(registry::remove); // the sockets are gone: their counts no longer exist
    dropMeters.clear();
    group = null;
  }
}
