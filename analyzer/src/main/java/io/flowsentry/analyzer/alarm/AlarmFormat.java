package io.flowsentry.analyzer.alarm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnLogJson;
import io.flowsentry.collector.event.ConnectionEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/** The text of an alarm in each output. Pure functions of the alarm. */
public final class AlarmFormat {
  private static final JsonFactory JSON = new JsonFactory();
  static final String SUMMARY_NAME = "AlarmsSummarized";
  static final String SUMMARY_NOTE = "RestrictedOutgoing::Alarms_Summarized";
  /** The field that marks a shadow policy's line in {@code <policy>.log}. */
  public static final String SHADOW_MARK = "mode=shadow";

  private final ServiceNames services;
  private final CommunityId communityId;
  private final ResponderNames names;

  /**
   * @param communityId hashes the notice's connection with the site's seed ({@code site.community_id_seed})
   * @param names what the originator resolved to the responder ({@code resp_name}), asked when the line is written
   */
  public AlarmFormat(ServiceNames services, CommunityId communityId, ResponderNames names) {
    this.services = services;
    this.communityId = communityId;
    this.names = names;
  }

  /** Service names from the bundled table, seed 0, no responder names. */
  public static AlarmFormat defaults() {
    return new AlarmFormat(ServiceNames.bundled(), CommunityId.DEFAULT_SEED, ResponderNames.NONE);
  }

  /**
   * The classic Bro alarms.log line, without the newline:
   * {@code 1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns : Restricted Outgoing UDP Connection}.
   */
  public String classicLine(Alarm a) {
    ConnectionEvent e = a.event();
    return ConnLogJson.seconds(e.tsMicros()) + " " + a.alarmName() + " "
        + e.origH() + "/" + port(e.origP(), e.proto()) + " > "
        + e.respH() + "/" + port(e.respP(), e.proto()) + " : " + message(e);
  }

  /**
   * The classic line with the responder's name appended as {@code resp_name=NAME} when one is
   * known ({@code <policy>.log}, and alarms.log with {@code outputs.alarm_line_names: true}):
   * {@code ... : Restricted Outgoing TCP Connection resp_name=www.example.com}. A DNS name has
   * no spaces, so the name is the line's last field for anything that splits on them.
   *
   * @param respName from {@link #respName}; null = the classic line
   */
  public String namedLine(Alarm a, String respName) {
    String classic = classicLine(a);
    return respName == null ? classic : classic + " resp_name=" + respName;
  }

  /**
   * A shadow policy's {@code <policy>.log} line: the classic line, then {@code mode=shadow}, then
   * {@code resp_name=NAME} when a name is known, e.g.
   * {@code ... : Restricted Outgoing TCP Connection mode=shadow resp_name=www.example.com}. The
   * marking is a trailing space-separated {@code key=value} field like {@code resp_name}, so a
   * reader of the classic line splits it off the same way, and {@code resp_name} stays the last
   * field. Enforcing policies never get it: their lines stay byte-for-byte the classic ones.
   */
  public String shadowLine(Alarm a, String respName) {
    String marked = classicLine(a) + " " + SHADOW_MARK;
    return respName == null ? marked : marked + " resp_name=" + respName;
  }

  /** A shadow policy's summary line: the classic summary line with the same marking. */
  public String shadowLine(AlarmSummary s) {
    return classicLine(s) + " " + SHADOW_MARK;
  }

  /**
   * One notice.log line in Zeek's JSON form, without the newline. {@code resp_name} (when a
   * name is known) and {@code community_id} follow Zeek's own fields, the latter last, where
   * Zeek's {@code policy/frameworks/notice/community-id} script appends it.
   */
  public String noticeJson(Alarm a) {
    return noticeJson(a, respName(a.event()));
  }

  /** The notice.log line with a name already looked up, so the alarm's lines all agree on it. */
  public String noticeJson(Alarm a, String respName) {
    ConnectionEvent e = a.event();
    StringWriter out = new StringWriter(320);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      ConnLogJson.writeConnectionId(g, e);
      g.writeStringField("proto", zeekProto(e.proto()));
      g.writeStringField("note", a.noticeNote());
      g.writeStringField("msg", message(e));
      g.writeStringField("sub", sub(a));
      g.writeStringField("src", e.origH().toString());
      g.writeStringField("dst", e.respH().toString());
      // Zeek's JSON writer prints a port value as its number; the protocol is in "proto"
      g.writeNumberField("p", e.respP());
      g.writeArrayFieldStart("actions");
      g.writeString("Notice::ACTION_LOG");
      g.writeEndArray();
      g.writeFieldName("suppress_for");
      g.writeNumber(ConnLogJson.seconds(a.suppressFor().toNanos() / 1000));
      if (respName != null) g.writeStringField("resp_name", respName);
      String id = communityId(e);
      if (id != null) g.writeStringField("community_id", id);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * The summary of alarms over a policy's cap, in the classic line's shape:
   * {@code 1764547260.000000 AlarmsSummarized 5000 more alarms for policy restricted-outgoing in the last minute (max_alarms_per_minute: 1000)}.
   */
  public String classicLine(AlarmSummary s) {
    return ConnLogJson.seconds(s.endMicros()) + " " + SUMMARY_NAME + " " + s.message() + " (max_alarms_per_minute: " + s.cap() + ")";
  }

  /** The summary as a Zeek notice: {@code n} is the number of alarms it stands for. */
  public String noticeJson(AlarmSummary s) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("ts");
      g.writeNumber(ConnLogJson.seconds(s.endMicros()));
      g.writeStringField("note", SUMMARY_NOTE);
      g.writeStringField("msg", s.message());
      g.writeStringField("sub", "policy=" + s.policy() + " max_alarms_per_minute=" + s.cap());
      g.writeNumberField("n", s.count());
      g.writeArrayFieldStart("actions");
      g.writeString("Notice::ACTION_LOG");
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not fail
    }
    return out.toString();
  }

  /** The event's Community ID with the site's seed, or null without a protocol number (nothing to hash). */
  public String communityId(ConnectionEvent e) {
    return e.proto() >= 0 ? communityId.of(e) : null;
  }

  /** What the originator resolved to the responder, at the connection's time, or null. */
  public String respName(ConnectionEvent e) {
    return names.nameFor(e.origH(), e.respH(), e.tsMicros());
  }

  /** Seth Hall's message from the seed's comments, with the transport protocol in capitals. */
  public static String message(ConnectionEvent e) {
    return "Restricted Outgoing " + zeekProto(e.proto()).toUpperCase(Locale.ROOT) + " Connection";
  }

  /** Zeek's transport_proto names; ICMPv6 is "icmp" in Zeek too. */
  public static String zeekProto(int proto) {
    return switch (proto) {
      case ConnectionEvent.TCP -> "tcp";
      case ConnectionEvent.UDP -> "udp";
      case ConnectionEvent.ICMP, ConnectionEvent.ICMPV6 -> "icmp";
      default -> "unknown_transport";
    };
  }

  private static String sub(Alarm a) {
    ConnectionEvent e = a.event();
    String from = e.exporter() == null ? e.source().label() : e.source().label() + " " + e.exporter();
    return "policy=" + a.policy() + " source=" + from;
  }

  private String port(int port, int proto) {
    String name = services.name(port, proto);
    return name != null ? name : String.valueOf(port);
  }
}
