package io.flowsentry.analyzer.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flowsentry.analyzer.config.ConfigException;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.Decoder;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Offline decoding of captured export datagrams with the live decoders (same template store,
 * same limits from the configuration), one JSON line per data record with every element by its
 * IANA name. Decode problems go to standard error with the datagram's position.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Decode NetFlow v5/v9/IPFIX datagrams from a pcap or pcapng capture (tcpdump -w) to JSON lines,",
        "one per data record, with exporter, version, observation domain, template id and every element by IANA name."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:decoded (decode errors, if any, are reported on stderr)", "1:capture unreadable", "3:invalid configuration"})
final class DecodeCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(names = "--pcap", required = true, paramLabel = "FILE", description = "Capture file (pcap or pcapng).")
  Path pcap;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    UdpInputConfig input;
    try {
      input = config.load().inputs().netflow();
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return ExitCodes.INVALID_CONFIG;
    }
    // the same decoders and settings as the live path, with every element kept
    NetflowLimits limits = input.limits();
    Decoder v5 = new NetflowV5Decoder(true)::decode;
    TemplateStore templates = new TemplateStore(limits); // one for both protocols, as in the daemon
    Decoder v9 = new NetflowV9Decoder(templates, limits, true, input.decapsulationMode())::decode;
    Decoder ipfix = new IpfixDecoder(templates, limits, true, input.decapsulationMode())::decode;
    JsonGenerator json = new JsonFactory().createGenerator(spec.commandLine().getOut());
    json.setRootValueSeparator(null);
    RecordPrinter printer = new RecordPrinter(json, err);
    PcapReader.Result result;
    try {
      result = PcapReader.read(pcap, d -> printer.datagram(d, v5, v9, ipfix));
    } catch (IOException e) {
      err.println("decode: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    json.flush();
    err.printf("decode: %d datagrams, %d records, %d frames skipped (not UDP)%s%n", result.datagrams(),
        printer.records, result.skippedFrames(), printer.errors.isEmpty() ? "" : ", decode errors " + printer.errors);
    err.flush();
    return ExitCodes.OK;
  }

  /** Prints each record as it is decoded; counts errors by reason. */
  private static final class RecordPrinter implements DecodeListener {
    private final JsonGenerator json;
    private final PrintWriter err;
    final Map<DecodeError, Long> errors = new EnumMap<>(DecodeError.class);
    long records;
    private long datagram;

    RecordPrinter(JsonGenerator json, PrintWriter err) {
      this.json = json;
      this.err = err;
    }

    void datagram(CapturedDatagram d, Decoder v5, Decoder v9, Decoder ipfix) {
      datagram++;
      ByteBuf buf = Unpooled.wrappedBuffer(d.payload());
      int version = buf.readableBytes() >= 2 ? buf.getUnsignedShort(0) : -1;
      switch (version) {
        case 5 -> v5.decode(buf, d.sender(), d.timestampMicros() / 1000, this);
        case 9 -> v9.decode(buf, d.sender(), d.timestampMicros() / 1000, this);
        case 10 -> ipfix.decode(buf, d.sender(), d.timestampMicros() / 1000, this);
        default -> error(DecodeError.UNKNOWN_VERSION, "version " + version);
      }
    }

    @Override
    public void header(MessageHeader header) {}

    @Override
    public void record(FlowRecord r) {
      records++;
      try {
        json.writeStartObject();
        json.writeStringField("exporter", r.exporter().toString());
        json.writeNumberField("version", r.version());
        json.writeNumberField("observation_domain", r.observationDomain());
        json.writeNumberField("template_id", r.templateId());
        if (r.samplingInterval() > 1) json.writeNumberField("sampling_rate", r.samplingInterval());
        if (r.raw() != null) {
          for (Map.Entry<String, Object> e : r.raw().entrySet()) {
            json.writeFieldName(e.getKey());
            json.writeObject(e.getValue());
          }
        }
        json.writeEndObject();
        json.writeRaw('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void error(DecodeError reason, String detail) {
      errors.merge(reason, 1L, Long::sum);
      err.println("decode: datagram " + datagram + ": " + reason.tag() + ": " + detail);
    }
  }
}
