package io.flowsentry.collector.bench;

import static io.flowsentry.collector.bench.TemplateBenchSupport.IPV4_FIELDS;

import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.ExportWriter.Field;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * NetFlow v9 decoding. {@code synthetic}: one 30-record IPv4 data flowset (template already
 * known); {@code goflow2}: goflow2's template + 21-record capture; {@code akvorado}: akvorado's
 * template + 4-record data capture.
 */
public class V9DecoderBenchmark extends TemplateDecoderBenchmark {

  @Param({"synthetic", "goflow2", "akvorado"})
  public String input;

  private NetflowV9Decoder decoder;

  @Setup
  public void setUp() throws IOException {
    decoder = new NetflowV9Decoder(new TemplateStore(NetflowLimits.defaults()), NetflowLimits.defaults(), false);
    switch (input) {
      case "synthetic" -> {
        List<Field> fields = new ArrayList<>(IPV4_FIELDS);
        fields.add(Field.of(22, 4));
        fields.add(Field.of(21, 4));
        decode(TemplateBenchSupport.direct(TemplateBenchSupport.writer(9).template(256, fields).build()),
            TemplateBenchSupport.SETUP);
        messages.add(TemplateBenchSupport.direct(TemplateBenchSupport.writer(9)
            .data(256, fields, TemplateBenchSupport.ipv4Records(30, fields)).build()));
      }
      case "goflow2" -> {
        messages.addAll(TemplateBenchSupport.capture("testdata/netflow/goflow2/goflow2_vectors.pcap"));
        messages.removeIf(m -> m.getUnsignedShort(0) != NetflowV9Decoder.VERSION);
      }
      case "akvorado" -> {
        messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/template.pcap"));
        messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/data.pcap"));
      }
      default -> throw new IllegalArgumentException(input);
    }
  }

  @Override
  void decode(ByteBuf message, DecodeListener listener) {
    decoder.decode(message, EXPORTER, NOW, listener);
  }
}
