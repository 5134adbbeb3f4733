package io.flowsentry.collector.netflow.v9;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.FuzzSupport;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.List;

class NetflowV9DecoderFuzzTest {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 2055);
  private static final List<Field> FIELDS = List.of(Field.of(8, 4), Field.of(12, 4), Field.of(1, 4), Field.of(22, 4));

  /**
   * Arbitrary bytes, optionally after a valid template (and with small limits, so the bounds are
   * hit), through a fresh store: only header / record / error callbacks, never an exception.
   */
  @FuzzTest(maxDuration = "20s")
  void arbitraryPackets(FuzzedDataProvider data) {
    NetflowLimits limits = new NetflowLimits(2, 4, 16, 4, 4096, "60s", "30m", false);
    TemplateStore store = new TemplateStore(limits);
    NetflowV9Decoder decoder = new NetflowV9Decoder(store, limits, data.consumeBoolean());
    long now = 1_700_000_000_000L;
    if (data.consumeBoolean()) {
      byte[] template = ExportWriter.v9(1000, 1_700_000_000L, 1, 0).template(256, FIELDS).build();
      decoder.decode(Unpooled.wrappedBuffer(template), EXPORTER, now, FuzzSupport.strictListener(9));
    }
    int messages = data.consumeInt(1, 4);
    for (int i = 0; i < messages; i++) {
      byte[] body = i == messages - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(1500);
      // keep the header valid half of the time so the fuzzer reaches the flowsets
      byte[] packet = data.remainingBytes() % 2 == 0 && body.length >= 2 ? withV9Version(body) : body;
      decoder.decode(Unpooled.wrappedBuffer(packet), EXPORTER, now + i * 61_000L, FuzzSupport.strictListener(9));
    }
    if (store.templateCount() > 2 * 4) throw new AssertionError("template bound exceeded");
  }

  private static byte[] withV9Version(byte[] body) {
    byte[] p = body.clone();
    p[0] = 0;
    p[1] = 9;
    return p;
  }
}
