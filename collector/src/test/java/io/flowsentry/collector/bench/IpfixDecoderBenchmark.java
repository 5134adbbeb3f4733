package io.flowsentry.collector.bench;

import static io.flowsentry.collector.bench.TemplateBenchSupport.IPV4_FIELDS;

import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.ExportWriter.Field;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * IPFIX decoding. {@code synthetic}: one 25-record IPv4 data set (template already known);
 * {@code ipfixprobe}: akvorado's RFC 5103 biflow templates + 4-record capture;
 * {@code physical}: akvorado's physicalinterfaces capture (templates, options and data in one message).
 */
public class IpfixDecoderBenchmark extends TemplateDecoderBenchmark {

  @Param({"synthetic", "ipfixprobe", "physical"})
  public String input;

  private IpfixDecoder decoder;

  @Setup
  public void setUp() throws IOException {
    decoder = new IpfixDecoder(new TemplateStore(NetflowLimits.defaults()), NetflowLimits.defaults(), false);
    switch (input) {
      case "synthetic" -> {
        List<Field> fields = new ArrayList<>(IPV4_FIELDS);
        fields.add(Field.of(152, 8));
        fields.add(Field.of(153, 8));
        decode(TemplateBenchSupport.direct(TemplateBenchSupport.writer(10).template(256, fields).build()),
            TemplateBenchSupport.SETUP);
        messages.add(TemplateBenchSupport.direct(TemplateBenchSupport.writer(10)
            .data(256, fields, TemplateBenchSupport.ipv4Records(25, fields)).build()));
      }
      case "ipfixprobe" -> {
        messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/ipfixprobe-templates.pcap"));
        messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/ipfixprobe-data.pcap"));
      }
      case "physical" -> messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/physicalinterfaces.pcap"));
      default -> throw new IllegalArgumentException(input);
    }
  }

  @Override
  void decode(ByteBuf message, DecodeListener listener) {
    decoder.decode(message, EXPORTER, NOW, listener);
  }
}
