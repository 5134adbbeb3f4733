package io.flowsentry.collector.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * A connection event as one line of Zeek's conn.log JSON ({@code LogAscii::use_json=T}), the
 * form of the events sink (ARCHITECTURE.md, "Outputs"), so flows from routers feed the same
 * pipelines as Zeek's own conn.log:
 * <pre>
 * {"ts":1700000000.000001,"uid":"C3eiCBGOLw3VtHfOj","id.orig_h":"192.168.2.16","id.orig_p":1578,
 *  "id.resp_h":"75.126.203.78","id.resp_p":80,"proto":"tcp","ip_proto":6,"service":"http",
 *  "duration":0.407908,"orig_bytes":790,"resp_bytes":171,"conn_state":"RSTO","orig_pkts":6,
 *  "orig_ip_bytes":1038,"resp_pkts":4,"resp_ip_bytes":335,"community_id":"1:44c7NytMvywtkmzLLkHS+3IYKhs=",
 *  "source":"zeek","exporter":"conn.log","observation_domain":0,"direction_confidence":"exporter",
 *  "sampling_rate":1}
 * </pre>
 * Unknown values are omitted, as Zeek omits unset fields. {@code proto} is tcp/udp/icmp (icmp
 * for ICMPv6 too, as Zeek writes it), {@code unknown_transport} when unknown, else the number;
 * {@code ip_proto} (Zeek 7.1) always carries the number. {@code community_id} follows the counters,
 * where Zeek's {@code policy/protocols/conn/community-id-logging} appends it, then {@code resp_name}
 * (passive DNS) when known. With {@code raw}, every element of
 * {@link ConnectionEvent#raw()} follows under its own name unless a key above already has it.
 */
public final class ConnLogJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Set<String> CONN_KEYS = Set.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h",
      "id.resp_p", "proto", "ip_proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state",
      "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "community_id", "resp_name", "source", "exporter",
      "observation_domain", "direction_confidence", "sampling_rate");

  private ConnLogJson() {}

  /** The event as one JSON object without a responder name; see {@link #toJson(ConnectionEvent, boolean, CommunityId, String)}. */
  public static String toJson(ConnectionEvent e, boolean raw, CommunityId communityId) {
    return toJson(e, raw, communityId, null);
  }

  /**
   * The event as one JSON object, without a line terminator; {@code communityId} hashes it with
   * the site's seed, {@code respName} (null = unknown) is what the originator resolved to the responder.
   */
  public static String toJson(ConnectionEvent e, boolean raw, CommunityId communityId, String respName) {
    StringWriter out = new StringWriter(440);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, e, raw, communityId, respName);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** Writes the event as one JSON object to {@code g}; the caller adds the line terminator and flushes. */
  public static void write(JsonGenerator g, ConnectionEvent e, boolean raw, CommunityId communityId, String respName)
      throws IOException {
    g.writeStartObject();
    writeConnectionId(g, e);
    writeProto(g, e.proto());
    if (e.service() != null) g.writeStringField("service", e.service());
    if (e.durationMicros() >= 0) {
      g.writeFieldName("duration");
      g.writeNumber(seconds(e.durationMicros()));
    }
    counter(g, "orig_bytes", e.origBytes());
    counter(g, "resp_bytes", e.respBytes());
    if (e.connState() != null) g.writeStringField("conn_state", e.connState());
    counter(g, "orig_pkts", e.origPkts());
    counter(g, "orig_ip_bytes", e.origIpBytes());
    counter(g, "resp_pkts", e.respPkts());
    counter(g, "resp_ip_bytes", e.respIpBytes());
    if (e.proto() >= 0) g.writeStringField("community_id", communityId.of(e)); // no protocol, nothing to hash
    if (respName != null) g.writeStringField("resp_name", respName);
    g.writeStringField("source", e.source().label());
    if (e.exporter() != null) g.writeStringField("exporter", e.exporter());
    g.writeNumberField("observation_domain", e.observationDomain());
    g.writeStringField("direction_confidence", e.directionConfidence().label());
    g.writeNumberField("sampling_rate", e.samplingRate());
    if (raw && e.raw() != null) {
      for (Map.Entry<String, Object> el : e.raw().entrySet()) {
        if (CONN_KEYS.contains(el.getKey())) continue;
        g.writeFieldName(el.getKey());
        writeValue(g, el.getValue());
      }
    }
    g.writeEndObject();
  }

  /**
   * The fields every Zeek log about a connection starts with: {@code ts}, {@code uid} (when
   * known) and the {@code id.*} 4-tuple (conn.log here, notice.log in the analyzer).
   */
  public static void writeConnectionId(JsonGenerator g, ConnectionEvent e) throws IOException {
    g.writeFieldName("ts");
    g.writeNumber(seconds(e.tsMicros()));
    if (e.uid() != null) g.writeStringField("uid", e.uid());
    g.writeStringField("id.orig_h", e.origH().toString());
    g.writeNumberField("id.orig_p", e.origP());
    g.writeStringField("id.resp_h", e.respH().toString());
    g.writeNumberField("id.resp_p", e.respP());
  }

  private static void writeProto(JsonGenerator g, int proto) throws IOException {
    switch (proto) {
      case ConnectionEvent.TCP -> g.writeStringField("proto", "tcp");
      case ConnectionEvent.UDP -> g.writeStringField("proto", "udp");
      case ConnectionEvent.ICMP, ConnectionEvent.ICMPV6 -> g.writeStringField("proto", "icmp");
      default -> {
        if (proto < 0) g.writeStringField("proto", "unknown_transport");
        else g.writeNumberField("proto", proto);
      }
    }
    if (proto >= 0) g.writeNumberField("ip_proto", proto);
  }

  private static void counter(JsonGenerator g, String name, long value) throws IOException {
    if (value >= 0) g.writeNumberField(name, value);
  }

  /** Microseconds as decimal seconds with exactly 6 decimals, as Zeek writes time and interval. */
  public static String seconds(long micros) {
    if (micros < 0) return "-" + seconds(Math.negateExact(micros));
    String f = Long.toString(micros % 1_000_000L);
    return micros / 1_000_000L + "." + "000000".substring(f.length()) + f;
  }

  /** One raw element value as JSON: numbers, booleans, byte arrays as hex, collections as arrays, the rest as text. */
  public static void writeValue(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber(i);
      case Short s -> g.writeNumber(s);
      case Byte b -> g.writeNumber(b);
      case Double d -> g.writeNumber(d);
      case Float f -> g.writeNumber(f);
      case Number n -> g.writeNumber(n.toString());
      case Boolean b -> g.writeBoolean(b);
      case byte[] bytes -> g.writeString(HexFormat.of().formatHex(bytes));
      case Collection<?> items -> {
        g.writeStartArray();
        for (Object item : items) writeValue(g, item);
        g.writeEndArray();
      }
      default -> g.writeString(v.toString());
    }
  }
}
