package io.flowsentry.collector.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundDatagramHandlerTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Counter notAllowed = registry.counter("not_allowed");
  private final Counter handlerErrors = registry.counter("handler_errors");
  private final Counter receiveErrors = registry.counter("receive_errors");
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
  private final InetSocketAddress router = new InetSocketAddress("192.0.2.1", 40000);
  private final InetSocketAddress us = new InetSocketAddress("127.0.0.1", 2055);

  private EmbeddedChannel channel(DatagramHandler handler, List<String> allowed) {
    return new EmbeddedChannel(new InboundDatagramHandler(handler, ExporterAllowlist.parse(allowed), clock, notAllowed, handlerErrors, receiveErrors));
  }

  private DatagramPacket packet(String text) {
    return new DatagramPacket(Unpooled.copiedBuffer(text.getBytes()), us, router);
  }

  @Test
  void handsSenderContentAndTimeToTheHandlerAndReleases() {
    List<String> seen = new ArrayList<>();
    EmbeddedChannel ch = channel((sender, content, millis) -> seen.add(sender + " " + content.toString(java.nio.charset.StandardCharsets.US_ASCII) + " " + millis), List.of());
    DatagramPacket p = packet("v5");
    ch.writeInbound(p);
    assertEquals(List.of(router + " v5 1700000000123"), seen);
    assertEquals(0, p.refCnt());
  }

  @Test
  void notAllowedIsCountedAndReleased() {
    EmbeddedChannel ch = channel((sender, content, millis) -> { throw new AssertionError("must not be called"); }, List.of("10.0.0.0/8"));
    DatagramPacket p = packet("v9");
    ch.writeInbound(p);
    assertEquals(1, notAllowed.count());
    assertEquals(0, p.refCnt());
  }

  @Test
  void aThrowingHandlerNeitherLeaksNorClosesTheChannel() {
    EmbeddedChannel ch = channel((sender, content, millis) -> { throw new IllegalStateException("bug"); }, List.of());
    DatagramPacket p = packet("ipfix");
    ch.writeInbound(p);
    ch.pipeline().fireExceptionCaught(new java.net.PortUnreachableException("icmp"));
    ch.checkException();
    assertEquals(0, p.refCnt());
    assertEquals(1, handlerErrors.count());
    assertEquals(1, receiveErrors.count());
    assertTrue(ch.isOpen());
  }
}
