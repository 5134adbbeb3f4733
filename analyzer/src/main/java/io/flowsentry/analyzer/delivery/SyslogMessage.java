package io.flowsentry.analyzer.delivery;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.collector.event.ConnectionEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An alarm as one RFC 5424 syslog message:
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME flowsentry PROCID NOTE [flowsentry@32473 policy=".." orig_h=".." ...] CLASSIC LINE
 * </pre>
 * TIMESTAMP is the connection's time (UTC, microseconds), MSGID the classic note name, the
 * alarm's fields are structured data, and MSG is the classic alarms.log line. The SD-ID uses
 * 32473, the private enterprise number RFC 5612 reserves for documentation: flowsentry has no
 * number of its own.
 */
public final class SyslogMessage {
  static final String SD_ID = "flowsentry@32473";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final int priority;
  private final String hostname;
  private final String procId;
  private final AlarmFormat format;

  public SyslogMessage(int priority, String hostname, long pid, AlarmFormat format) {
    this.priority = priority;
    this.hostname = header(hostname, 255);
    this.procId = Long.toString(pid);
    this.format = format;
  }

  public String format(Alarm a) {
    ConnectionEvent e = a.event();
    StringBuilder sb = new StringBuilder(400);
    sb.append('<').append(priority).append(">1 ")
        .append(TIMESTAMP.format(Instant.EPOCH.plusNanos(e.tsMicros() * 1000))).append(' ')
        .append(hostname).append(" flowsentry ").append(procId).append(' ')
        .append(header(a.alarmName(), 32)).append(" [").append(SD_ID);
    param(sb, "policy", a.policy());
    param(sb, "note", a.noticeNote());
    param(sb, "orig_h", e.origH().toString());
    param(sb, "orig_p", Integer.toString(e.origP()));
    param(sb, "resp_h", e.respH().toString());
    param(sb, "resp_p", Integer.toString(e.respP()));
    param(sb, "proto", AlarmFormat.zeekProto(e.proto()));
    if (e.uid() != null) param(sb, "uid", e.uid());
    String communityId = format.communityId(e);
    if (communityId != null) param(sb, "community_id", communityId);
    String respName = format.respName(e);
    if (respName != null) param(sb, "resp_name", respName);
    return sb.append("] ").append(format.classicLine(a)).toString();
  }

  private static void param(StringBuilder sb, String name, String value) {
    sb.append(' ').append(name).append("=\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == ']') sb.append('\\'); // RFC 5424 section 6.3.3
      sb.append(c);
    }
    sb.append('"');
  }

  /** A header field: printable US-ASCII without spaces, at most {@code max} characters, "-" when empty. */
  private static String header(String s, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      if (c > 32 && c < 127) sb.append(c);
    }
    return sb.isEmpty() ? "-" : sb.toString();
  }
}
