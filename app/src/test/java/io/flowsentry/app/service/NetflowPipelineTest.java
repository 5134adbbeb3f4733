package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.loadgen.HostileDatagrams;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon's timer side of the NetFlow pipeline: state goes on time with nothing arriving. */
class NetflowPipelineTest {

  private static final long T0 = 1_700_000_000_000L;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NetflowPipeline pipeline = NetflowPipeline.collector(
      new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), null, null, null, null, null), false, e -> { }, registry,
      Clock.systemUTC());

  private double evicted(String reason) {
    FunctionCounter c = registry.find("flowsentry.exporters.evicted").tag("reason", reason).functionCounter();
    return c == null ? -1 : c.count();
  }

  private double expired(String protocol) {
    var c = registry.find("flowsentry.decode.errors").tags("protocol", protocol, "reason", "pending_expired").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void heldSetsAndSilentExportersGoOnTheSweepEachCountedUnderItsProtocol() {
    assertEquals(0, evicted("table_full"), "every reason exists from start-up");
    assertEquals(0, evicted("state_budget"));
    for (long n = 0; n < 4; n++) { // v9, IPFIX, v9, IPFIX from one forged source
      ByteBuf buf = Unpooled.buffer();
      HostileDatagrams.PENDING.write(buf, n, T0);
      pipeline.collector().onDatagram(new InetSocketAddress("127.10.0.1", 4739), buf, T0);
    }
    assertEquals(4, pipeline.templates().pending().size());
    pipeline.sweep(T0 + 60_000);
    assertEquals(4, pipeline.templates().pending().size(), "exactly pending_timeout old");
    pipeline.sweep(T0 + 60_001);
    assertEquals(0, pipeline.templates().pending().size());
    assertEquals(0, pipeline.templates().stateBytes());
    assertEquals(2, expired("netflow9"));
    assertEquals(2, expired("ipfix"));
    pipeline.sweep(T0 + 30 * 60_000 + 1);
    assertEquals(0, pipeline.collector().exporterCount(), "silent for exporter_timeout");
    assertEquals(1, evicted("idle"));
  }
}
