package io.flowsentry.analyzer.learn;

import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;

/**
 * Reads back the lines {@code AlarmFormat} writes to alarms.log and {@code <policy>.log}:
 * {@code 1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns : Restricted Outgoing UDP Connection}
 * with an optional {@code resp_name=NAME} (and any later {@code key=value} or marker words,
 * such as a shadow policy's, which are ignored). Ports are numbers or the bundled service names.
 * Summary lines ({@code AlarmsSummarized}) stand for alarms not written one by one: they are
 * told apart, not parsed as connections. Pure; every malformed line is an
 * {@link IllegalArgumentException} with the reason.
 */
public final class AlarmLineParser {
  /** A line of the alarm logs. */
  public sealed interface Line {}

  /** One alarm: the connection as the line tells it. */
  public record AlarmLine(long tsMicros, String alarmName, IpAddr orig, int origP, IpAddr resp, int respP, int proto,
      String respName) implements Line {
    public ConnectionEvent toEvent() {
      return ConnectionEvent.builder().tsMicros(tsMicros).origH(orig).origP(origP).respH(resp).respP(respP).proto(proto)
          .build();
    }
  }

  /** {@code AlarmsSummarized}: alarms over the per-minute cap, counted in one line. */
  public record SummaryLine(long tsMicros) implements Line {}

  static final String SUMMARY = "AlarmsSummarized";
  private static final String MESSAGE = "Restricted Outgoing";
  /** Longer than any line AlarmFormat writes (two IPv6 addresses, a 253-character name). */
  public static final int MAX_LINE = 4096;

  private final ServiceNames services;

  public AlarmLineParser(ServiceNames services) {
    this.services = services;
  }

  /** @throws IllegalArgumentException when the line is not an alarm line, saying why */
  public Line parse(String line) {
    if (line == null) throw new IllegalArgumentException("no line");
    if (line.length() > MAX_LINE) throw new IllegalArgumentException("line longer than " + MAX_LINE + " characters");
    String[] w = line.strip().split(" ", 16);
    if (w.length < 2) throw new IllegalArgumentException("expected: TS NAME ORIG/PORT > RESP/PORT : MESSAGE");
    long ts = seconds(w[0]);
    if (w[1].equals(SUMMARY)) return new SummaryLine(ts);
    if (w.length < 10 || !w[3].equals(">") || !w[5].equals(":") || !(w[6] + " " + w[7]).equals(MESSAGE)
        || !w[9].equals("Connection")) {
      throw new IllegalArgumentException("expected: TS NAME ORIG/PORT > RESP/PORT : Restricted Outgoing PROTO Connection");
    }
    int proto = switch (w[8]) {
      case "TCP" -> ConnectionEvent.TCP;
      case "UDP" -> ConnectionEvent.UDP;
      case "ICMP" -> ConnectionEvent.ICMP;
      default -> throw new IllegalArgumentException("unknown protocol \"" + w[8] + "\" (expected TCP, UDP or ICMP)");
    };
    int origSlash = w[2].lastIndexOf('/'), respSlash = w[4].lastIndexOf('/');
    if (origSlash <= 0 || respSlash <= 0) throw new IllegalArgumentException("expected ADDRESS/PORT, got \"" + w[2] + "\" and \"" + w[4] + "\"");
    IpAddr orig = address(w[2].substring(0, origSlash));
    IpAddr resp = address(w[4].substring(0, respSlash));
    if (proto == ConnectionEvent.ICMP && resp.v6()) proto = ConnectionEvent.ICMPV6;
    int origP = port(w[2].substring(origSlash + 1), proto);
    int respP = port(w[4].substring(respSlash + 1), proto);
    String respName = null;
    for (int i = 10; i < w.length; i++) {
      if (w[i].startsWith("resp_name=") && w[i].length() > "resp_name=".length()) respName = w[i].substring("resp_name=".length());
    }
    return new AlarmLine(ts, w[1], orig, origP, resp, respP, proto, respName);
  }

  private static IpAddr address(String text) {
    try {
      return IpAddr.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
  }

  private int port(String text, int proto) {
    if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int p = Integer.parseInt(text);
      if (p <= 65535) return p;
    }
    int known = proto == ConnectionEvent.TCP || proto == ConnectionEvent.UDP ? services.port(text, proto) : -1;
    if (known < 0) throw new IllegalArgumentException("not a port number or known service name: \"" + text + "\"");
    return known;
  }

  /** {@code 1225743661.858791}: seconds with up to six decimals, as ConnLogJson writes them. */
  static long seconds(String text) {
    int dot = text.indexOf('.');
    String whole = dot < 0 ? text : text.substring(0, dot);
    String frac = dot < 0 ? "" : text.substring(dot + 1);
    if (whole.isEmpty() || whole.length() > 12 || frac.length() > 6 || !digits(whole) || !digits(frac)) {
      throw new IllegalArgumentException("not a timestamp (epoch seconds with up to 6 decimals): \"" + text + "\"");
    }
    return Long.parseLong(whole) * 1_000_000L + (frac.isEmpty() ? 0 : Long.parseLong((frac + "000000").substring(0, 6)));
  }

  private static boolean digits(String s) {
    return s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
