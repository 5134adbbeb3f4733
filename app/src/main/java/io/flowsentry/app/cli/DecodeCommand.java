package io.flowsentry.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flowsentry.app.config.ConfigException;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.Decoder;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.OptionsRecord;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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
 * IANA name, and one per options data record (marked {@code "options": true}, its scope fields
 * in {@code "scope"}), so the lines are every record the exporter sent. Decode problems go to
 * standard error with the datagram's position; the summary says what could not be decoded and
 * why (data whose template the captures lack, a file that ends mid-packet). Several captures are
 * decoded in the order given with one template state, as if they were one.
 */
@Command(name = "decode", mixinStandardHelpOptions = true, versionProvider = Version.class,
    // the first line alone is the summary in `flowsentry --help`: a whole sentence
    description = {"Decode NetFlow v5/v9/IPFIX and sFlow v5 datagrams from a pcap or pcapng capture (tcpdump -w) to JSON lines.",
        "One line per data or options record, with exporter, version, observation domain, template id and every element by"
            + " its IANA name; options records (interface names, sampler settings, exporter statistics) are marked"
            + " \"options\": true and carry their scope fields in \"scope\". sFlow: one line per sample (\"protocol\": \"sflow\","
            + " \"sample\": flow, counter or discard), a flow sample with the flow key of the packet it sampled."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:decoded (decode errors, if any, are reported on stderr)",
        "1:capture missing, unreadable, or cut short mid-packet (the records before the cut are printed)",
        "2:usage error (unknown option, no --pcap)",
        "3:invalid configuration"})
final class DecodeCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(names = "--pcap", required = true, paramLabel = "FILE", description = {"Capture file (pcap or pcapng). Repeat it to"
      + " decode several in order with one template state: the capture holding an exporter's templates, then its data."})
  List<Path> pcaps;

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
    for (Path pcap : pcaps) { // before any output: a typo in the second name should not cost a decode of the first
      if (Files.isDirectory(pcap)) {
        err.println("decode: " + pcap + ": is a directory (expected: a pcap or pcapng file)");
        return ExitCodes.FAILURE;
      }
      if (!Files.exists(pcap)) {
        err.println("decode: " + pcap + ": file does not exist");
        return ExitCodes.FAILURE;
      }
    }
    // the same decoders and settings as the live path, with every element kept
    NetflowLimits limits = input.limits();
    Decoder v5 = new NetflowV5Decoder(true)::decode;
    TemplateStore templates = new TemplateStore(limits); // one for both protocols, as in the daemon
    Decoder v9 = new NetflowV9Decoder(templates, limits, true, input.decapsulationMode())::decode;
    Decoder ipfix = new IpfixDecoder(templates, limits, true, input.decapsulationMode())::decode;
    SflowDecoder sflow = new SflowDecoder(true, input.decapsulationMode() == Decapsulation.SRV6);
    JsonGenerator json = new JsonFactory().createGenerator(spec.commandLine().getOut());
    json.setRootValueSeparator(null);
    RecordPrinter printer = new RecordPrinter(json, err);
    long datagrams = 0;
    long skippedFrames = 0;
    List<String> cutShort = new ArrayList<>();
    for (Path pcap : pcaps) {
      PcapReader.Result result;
      try {
        result = PcapReader.read(pcap, d -> printer.datagram(d, v5, v9, ipfix, sflow));
      } catch (AccessDeniedException e) {
        json.flush();
        err.println("decode: " + pcap + ": permission denied");
        return ExitCodes.FAILURE;
      } catch (IOException e) {
        json.flush(); // the records decoded before the failure
        // the reader's own messages name the file; the JDK's for other I/O errors may not
        String message = String.valueOf(e.getMessage());
        err.println("decode: " + (message.contains(pcap.toString()) ? message : pcap + ": " + message));
        return ExitCodes.FAILURE;
      }
      datagrams += result.datagrams();
      skippedFrames += result.skippedFrames();
      result.cutShort().ifPresent(where -> cutShort.add("decode: " + pcap + " ended mid-packet (" + where + "): the "
          + result.datagrams() + " datagrams before it were decoded"));
    }
    json.flush();
    SflowSamplePrinter samples = printer.sflow;
    long sflowSamples = samples.flowSamples + samples.counterSamples + samples.discardSamples;
    err.printf("decode: %d datagrams, %d records (%d data, %d options)%s, %d frames skipped (not UDP)%s%n", datagrams,
        printer.dataRecords + printer.optionsRecords, printer.dataRecords, printer.optionsRecords,
        sflowSamples == 0 ? "" : String.format(", %d sFlow samples (%d flow, %d counter, %d discard)", sflowSamples,
            samples.flowSamples, samples.counterSamples, samples.discardSamples),
        skippedFrames, printer.errors.isEmpty() ? "" : ", decode errors " + printer.errors);
    // held data is reported as pending_expired when it times out or is pushed out; what is still held never met its template either
    long neverMet = printer.errors.getOrDefault(DecodeError.PENDING_EXPIRED, 0L) + templates.pending().size();
    if (neverMet > 0) {
      err.printf("decode: %d data %s never met %s template: no capture given holds it (exporters resend templates"
          + " periodically: capture for longer, or give the capture holding the templates first: --pcap TEMPLATES --pcap DATA)%n",
          neverMet, neverMet == 1 ? "set" : "sets", neverMet == 1 ? "its" : "their");
    }
    cutShort.forEach(err::println);
    err.flush();
    return cutShort.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /** Prints each record as it is decoded; counts errors by reason. */
  private static final class RecordPrinter implements DecodeListener {
    private final JsonGenerator json;
    private final PrintWriter err;
    final Map<DecodeError, Long> errors = new EnumMap<>(DecodeError.class);
    final SflowSamplePrinter sflow;
    long dataRecords;
    long optionsRecords;
    private long datagram;

    RecordPrinter(JsonGenerator json, PrintWriter err) {
      this.json = json;
      this.err = err;
      this.sflow = new SflowSamplePrinter(json, this::error);
    }

    void datagram(CapturedDatagram d, Decoder v5, Decoder v9, Decoder ipfix, SflowDecoder sflowDecoder) {
      datagram++;
      ByteBuf buf = Unpooled.wrappedBuffer(d.payload());
      if (SflowDecoder.isSflow(buf)) {
        sflow.from(d.sender());
        sflowDecoder.decode(buf, d.sender(), d.timestampMicros() / 1000, sflow);
        sflow.end();
        return;
      }
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
      dataRecords++;
      try {
        startRecord(r.exporter(), r.version(), r.observationDomain(), r.templateId());
        if (r.samplingInterval() > 1) json.writeNumberField("sampling_rate", r.samplingInterval());
        if (r.raw() != null) writeFields(r.raw());
        json.writeEndObject();
        json.writeRaw('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Opens a record's JSON object with the fields data and options records share. */
    private void startRecord(IpAddr exporter, int version, long observationDomain, int templateId) throws IOException {
      json.writeStartObject();
      json.writeStringField("exporter", exporter.toString());
      json.writeNumberField("version", version);
      json.writeNumberField("observation_domain", observationDomain);
      json.writeNumberField("template_id", templateId);
    }

    @Override
    public void optionsRecord(OptionsRecord r) {
      optionsRecords++;
      try {
        startRecord(r.exporter(), r.version(), r.observationDomain(), r.templateId());
        json.writeBooleanField("options", true);
        json.writeObjectFieldStart("scope");
        writeFields(r.scope());
        json.writeEndObject();
        writeFields(r.values());
        json.writeEndObject();
        json.writeRaw('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void writeFields(Map<String, Object> fields) throws IOException {
      for (Map.Entry<String, Object> e : fields.entrySet()) {
        json.writeFieldName(e.getKey());
        json.writeObject(e.getValue());
      }
    }

    @Override
    public void error(DecodeError reason, String detail) {
      errors.merge(reason, 1L, Long::sum);
      err.println("decode: datagram " + datagram + ": " + reason.tag() + ": " + detail);
    }
  }
}
