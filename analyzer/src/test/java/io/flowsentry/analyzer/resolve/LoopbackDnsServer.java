package io.flowsentry.analyzer.resolve;

import io.flowsentry.collector.event.IpAddr;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, tiny authoritative DNS server on 127.0.0.1 (UDP, Netty codec-dns) whose answers a test
 * changes between refreshes. Names it does not know get NXDOMAIN; {@link #failing} answers
 * SERVFAIL to everything.
 */
public final class LoopbackDnsServer implements AutoCloseable {
  /** One address record: the literal and its TTL in seconds. */
  public record Answer(String address, long ttl) {}

  private final Map<String, List<Answer>> zone = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;
  private volatile boolean failing;

  public LoopbackDnsServer() throws InterruptedException {
    channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Responder());
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** "127.0.0.1:port", as written in {@code site.dns.servers}. */
  public String serverSpec() {
    return "127.0.0.1:" + address().getPort();
  }

  public void answer(String name, Answer... answers) {
    zone.put(name.toLowerCase(Locale.ROOT), List.of(answers));
  }

  public void failing(boolean on) {
    failing = on;
  }

  /** Questions received so far (A and AAAA count separately). */
  public int queries() {
    return queries.get();
  }

  private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      queries.incrementAndGet();
      DnsQuestion q = query.recordAt(DnsSection.QUESTION);
      DatagramDnsResponse r = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      r.setAuthoritativeAnswer(true).setRecursionAvailable(true);
      r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
      String name = q.name().toLowerCase(Locale.ROOT);
      if (name.endsWith(".")) name = name.substring(0, name.length() - 1);
      List<Answer> answers = zone.get(name);
      if (failing) {
        r.setCode(DnsResponseCode.SERVFAIL);
      } else if (answers == null) {
        r.setCode(DnsResponseCode.NXDOMAIN);
      } else {
        for (Answer a : answers) {
          IpAddr ip = IpAddr.parse(a.address());
          DnsRecordType type = ip.v6() ? DnsRecordType.AAAA : DnsRecordType.A;
          if (type.equals(q.type())) {
            r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), type, a.ttl(), Unpooled.wrappedBuffer(ip.toBytes())));
          }
        }
      }
      ctx.writeAndFlush(r);
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
  }
}
