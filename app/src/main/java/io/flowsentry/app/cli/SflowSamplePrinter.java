package io.flowsentry.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flowsentry.collector.event.ConnLogJson;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.sflow.CounterSample;
import io.flowsentry.collector.sflow.DiscardSample;
import io.flowsentry.collector.sflow.FlowSample;
import io.flowsentry.collector.sflow.SflowDatagram;
import io.flowsentry.collector.sflow.SflowListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@code decode --pcap} for sFlow: one JSON line per sample, marked {@code "protocol": "sflow"}
 * and {@code "sample": "flow" | "counter" | "discard"}. A flow sample's line carries its sample
 * fields, the flow key of its sampled packet by IANA name (what the live path makes its event of),
 * and the switch, router and gateway fields of its records; a flow sample without an IP packet
 * has its sample fields only. A counter sample's line carries the generic interface counters.
 */
final class SflowSamplePrinter implements SflowListener {

  private final JsonGenerator json;
  private final BiConsumer<DecodeError, String> errors;
  private InetSocketAddress sender;
  private SflowDatagram header;
  /** The flow sample reported last, until its sampled packet (or the next sample) comes. */
  private FlowSample pending;
  long flowSamples;
  long counterSamples;
  long discardSamples;

  SflowSamplePrinter(JsonGenerator json, BiConsumer<DecodeError, String> errors) {
    this.json = json;
    this.errors = errors;
  }

  /** Before each datagram: who sent it. */
  void from(InetSocketAddress sender) {
    flushPending();
    this.sender = sender;
    header = null;
  }

  /** After each datagram. */
  void end() {
    flushPending();
  }

  @Override
  public void datagram(SflowDatagram h) {
    header = h;
  }

  @Override
  public void flowSample(FlowSample sample) {
    flushPending();
    flowSamples++;
    pending = sample;
  }

  @Override
  public void decoded(FlowRecord.Builder packet) {
    FlowSample s = pending;
    pending = null;
    IpAddr src = packet.sourceAddress(), dst = packet.destinationAddress();
    write(() -> {
      start(s.expanded() ? "expanded_flow" : "flow");
      field("sourceIPv" + (src.v6() ? 6 : 4) + "Address", src.toString());
      field("destinationIPv" + (dst.v6() ? 6 : 4) + "Address", dst.toString());
      field("protocolIdentifier", packet.protocol);
      if (packet.sourcePort >= 0) field("sourceTransportPort", packet.sourcePort);
      if (packet.destinationPort >= 0) field("destinationTransportPort", packet.destinationPort);
      if (packet.tcpFlags >= 0) field("tcpControlBits", packet.tcpFlags);
      if (packet.icmpType >= 0) field(packet.protocol == 58 ? "icmpTypeIPv6" : "icmpTypeIPv4", packet.icmpType);
      if (packet.icmpCode >= 0) field(packet.protocol == 58 ? "icmpCodeIPv6" : "icmpCodeIPv4", packet.icmpCode);
      if (packet.tos >= 0) field("ipClassOfService", packet.tos);
      if (packet.octets >= 0) field("ipTotalLength", packet.octets);
      if (packet.inputInterface >= 0) field("ingressInterface", packet.inputInterface);
      if (packet.outputInterface >= 0) field("egressInterface", packet.outputInterface);
      if (packet.raw != null) fields(packet.raw);
      else sampleFields(s);
    });
  }

  @Override
  public void counterSample(CounterSample c) {
    flushPending();
    counterSamples++;
    write(() -> {
      start(c.expanded() ? "expanded_counter" : "counter");
      field("sampleSequenceNumber", c.sequence());
      field("sourceIdType", c.sourceIdType());
      field("sourceIdIndex", c.sourceIdIndex());
      field("records", c.records());
      fields(c.genericInterface());
    });
  }

  @Override
  public void discardSample(DiscardSample d) {
    flushPending();
    discardSamples++;
    write(() -> {
      start("discard");
      field("sampleSequenceNumber", d.sequence());
      field("sourceIdType", d.sourceIdType());
      field("sourceIdIndex", d.sourceIdIndex());
      field("drops", d.drops());
      field("input", d.input());
      field("output", d.output());
      field("reason", d.reason());
      field("records", d.records());
    });
  }

  @Override
  public void unknownSample(int enterprise, int format) {
    flushPending();
  }

  @Override
  public void recordsSkipped(int count) {}

  @Override
  public void error(DecodeError reason, String detail) {
    errors.accept(reason, detail);
  }

  private void flushPending() {
    FlowSample s = pending;
    if (s == null) return;
    pending = null;
    write(() -> {
      start(s.expanded() ? "expanded_flow" : "flow");
      sampleFields(s);
    });
  }

  private void start(String sample) throws IOException {
    json.writeStartObject();
    json.writeStringField("exporter", sender.getAddress().getHostAddress());
    json.writeStringField("protocol", "sflow");
    json.writeStringField("sample", sample);
    if (header != null) {
      json.writeStringField("agentAddress", header.agent().toString());
      json.writeNumberField("subAgentId", header.subAgentId());
      json.writeNumberField("sequenceNumber", header.sequence());
      json.writeNumberField("uptimeMillis", header.uptimeMillis());
    }
  }

  private void sampleFields(FlowSample s) throws IOException {
    field("sampleSequenceNumber", s.sequence());
    field("sourceIdType", s.sourceIdType());
    field("sourceIdIndex", s.sourceIdIndex());
    field("samplingPacketInterval", s.samplingRate());
    field("samplePool", s.samplePool());
    field("drops", s.drops());
    field("records", s.records());
  }

  private void field(String name, Object value) throws IOException {
    if (name.equals("agentAddress") || name.equals("subAgentId")) return; // in every line's head already
    json.writeFieldName(name);
    ConnLogJson.writeValue(json, value); // AS paths and communities are lists
  }

  private void fields(Map<String, Object> values) throws IOException {
    for (Map.Entry<String, Object> e : values.entrySet()) field(e.getKey(), e.getValue());
  }

  private interface JsonWrite {
    void run() throws IOException;
  }

  /** One whole line. */
  private void write(JsonWrite body) {
    try {
      body.run();
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
