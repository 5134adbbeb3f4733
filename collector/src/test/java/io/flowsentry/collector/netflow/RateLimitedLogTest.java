package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import io.flowsentry.collector.logging.RateLimitedLog;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v5.V5Datagrams;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final InstantSource clock = () -> now;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(DatagramPipeline.class);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void permitsOneLinePerSlotAndIntervalAndCountsTheRest() {
    RateLimitedLog limit = new RateLimitedLog(clock, Duration.ofMinutes(1), 2);
    assertEquals(0, limit.permit(0));
    assertEquals(-1, limit.permit(0));
    assertEquals(-1, limit.permit(0));
    assertEquals(0, limit.permit(1)); // another slot has its own budget
    now = now.plusSeconds(59);
    assertEquals(-1, limit.permit(0));
    now = now.plusSeconds(1);
    assertEquals(3, limit.permit(0));
  }

  @Test
  void aFloodOfBadDatagramsLogsOneLineNamingTheExporterPerMinute() {
    NetflowV5Decoder v5 = new NetflowV5Decoder(false);
    DatagramPipeline c = new DatagramPipeline(v5, v5, v5, new SflowDecoder(false, false), FlowNormalizer.withDefaults(), e -> { },
        NetflowLimits.defaults(), new SimpleMeterRegistry(), clock);
    InetSocketAddress exporter = new InetSocketAddress("192.0.2.77", 2055);
    byte[] truncated = Arrays.copyOf(V5Datagrams.synthetic(1, 0), 10);
    for (int i = 0; i < 100; i++) c.onDatagram(exporter, Unpooled.wrappedBuffer(truncated), 0);
    now = now.plus(Duration.ofMinutes(1));
    c.onDatagram(exporter, Unpooled.wrappedBuffer(truncated), 0);

    List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(2, messages.size(), messages::toString);
    assertTrue(messages.get(0).contains("192.0.2.77") && messages.get(0).contains("truncated_header"), messages.get(0));
    assertTrue(messages.get(1).contains("99 similar lines held back"), messages.get(1));
  }
}
