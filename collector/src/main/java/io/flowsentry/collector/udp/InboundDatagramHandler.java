package io.flowsentry.collector.udp;

import io.flowsentry.collector.logging.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin adapter between Netty and the decoders: sender and content in, handler called,
 * buffer released. A failure is counted and logged (rate-limited) and the socket keeps
 * receiving: one bad datagram must never stop the collector.
 */
@Sharable
final class InboundDatagramHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(InboundDatagramHandler.class);

  private final DatagramHandler handler;
  private final ExporterAllowlist allowlist;
  private final Clock clock;
  private final Counter notAllowed;
  private final Counter handlerErrors;
  private final Counter receiveErrors;
  private static final int NOT_ALLOWED = 0;
  private static final int FAILED = 1;
  private final RateLimitedLog logLimit;

  InboundDatagramHandler(DatagramHandler handler, ExporterAllowlist allowlist, Clock clock, Counter notAllowed, Counter handlerErrors, Counter receiveErrors) {
    this.handler = handler;
    this.allowlist = allowlist;
    this.clock = clock;
    this.notAllowed = notAllowed;
    this.handlerErrors = handlerErrors;
    this.receiveErrors = receiveErrors;
    this.logLimit = new RateLimitedLog(clock, Duration.ofMinutes(1), 2);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    InetSocketAddress sender = packet.sender();
    try {
      if (allowlist.allows(sender.getAddress())) {
        handler.onDatagram(sender, packet.content(), clock.millis());
      } else {
        notAllowed.increment();
        warn(NOT_ALLOWED, "dropped datagram: exporter not in inputs.netflow.allowed_exporters", sender, null);
      }
    } catch (Exception e) {
      handlerErrors.increment();
      warn(FAILED, "datagram handler failed; datagram dropped", sender, e);
    } finally {
      packet.release();
    }
  }

  /** Read errors (e.g. ICMP port unreachable echoes) must not close a listening socket. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    receiveErrors.increment();
    warn(FAILED, "receive error, socket keeps listening", ctx.channel().localAddress(), cause);
  }

  /** One line per kind and minute, saying how many were held back in between. */
  private void warn(int slot, String message, Object where, Throwable cause) {
    long held = logLimit.permit(slot);
    if (held < 0) return;
    log.warn("{} from {}{}", message, where, held == 0 ? "" : " (" + held + " more since the last report)", cause);
  }
}
