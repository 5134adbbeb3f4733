package io.flowsentry.collector.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.ExporterId;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each kind of hostile datagram makes the real decoders hold: what bench/hostile.sh relies on. */
class HostileDatagramsTest {

  private static final InetSocketAddress SOURCE = new InetSocketAddress("127.10.0.1", 40000);
  private static final long NOW = 1_700_000_000_000L;

  private final TemplateStore store = new TemplateStore(NetflowLimits.defaults());
  private final NetflowV9Decoder v9 = new NetflowV9Decoder(store, NetflowLimits.defaults(), false);
  private final IpfixDecoder ipfix = new IpfixDecoder(store, NetflowLimits.defaults(), false);
  private final RecordingListener out = new RecordingListener();

  private void feed(HostileDatagrams kind, long n) {
    ByteBuf buf = Unpooled.buffer();
    kind.write(buf, n, NOW);
    if ((n & 1) == 0) v9.decode(buf, SOURCE, NOW, out); else ipfix.decode(buf, SOURCE, NOW, out);
  }

  @Test
  void templateFloodsDefineANewTemplateInBothProtocolsEveryRound() {
    for (long n = 0; n < 6; n++) feed(HostileDatagrams.TEMPLATES_256, n);
    assertEquals(List.of(), out.reasons());
    assertEquals(6, store.templateCount(ExporterId.of(SOURCE, false)), "3 rounds x (v9 + IPFIX)");
    for (long n = 0; n < 2; n++) feed(HostileDatagrams.TEMPLATES_13, 100 + n);
    assertEquals(8, store.templateCount());
  }

  @Test
  void pendingFloodHoldsDataSetsOfBothProtocols() {
    for (long n = 0; n < 4; n++) feed(HostileDatagrams.PENDING, n);
    assertEquals(List.of(), out.reasons());
    assertEquals(4, store.pending().size());
  }

  @Test
  void headerOnlyDecodesAndGarbageDoesNot() {
    feed(HostileDatagrams.HEADER_ONLY, 0);
    feed(HostileDatagrams.HEADER_ONLY, 1);
    assertEquals(2, out.headers.size());
    assertTrue(out.records.isEmpty());
    feed(HostileDatagrams.GARBAGE, 2);
    assertEquals(List.of(DecodeError.TRUNCATED_HEADER), out.reasons());
  }

  @Test
  void optionsAreCheckedAndLoopbackOnly() {
    assertEquals(HostileDatagrams.TEMPLATES_256, HostileLoad.parse(new String[] {"--kind", "templates-256"}).kind());
    assertEquals(1000, HostileLoad.parse(new String[] {"--kind", "pending", "--rounds", "1"}).packets());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HostileLoad.parse(new String[] {"--kind", "pending", "--target", "192.0.2.1:2055", "--sources", "0"}));
    assertTrue(e.getMessage().contains("--target") && e.getMessage().contains("--sources"), e.getMessage());
  }
}
