package io.flowsentry.analyzer.policy;

import io.flowsentry.collector.event.ConnectionEvent;
import java.util.List;

/**
 * How alarms are named. {@code zeek} is the single notice Seth Hall suggested in the seed's
 * comments; {@code legacy} keeps the 2008 script's per-protocol names for tooling that still
 * matches on them.
 */
public enum NoteStyle {
  ZEEK("zeek"),
  LEGACY("legacy");

  public static final String EXPECTED = "zeek or legacy";
  private static final String ZEEK_MODULE = "RestrictedOutgoing::";

  private final String label;

  NoteStyle(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** @throws IllegalArgumentException when the text is neither {@code zeek} nor {@code legacy} */
  public static NoteStyle parse(String text) {
    for (NoteStyle s : values()) {
      if (s.label.equals(text)) return s;
    }
    throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
  }

  /** The note name on an {@code alarms.log} line. */
  public String alarmName(int proto) {
    if (this == ZEEK) return "UnexpectedOutgoingConnection";
    return switch (proto) {
      case ConnectionEvent.TCP -> "UnexpectedOutgoingTCPConnection";
      case ConnectionEvent.UDP -> "UnexpectedOutgoingUDPConnection";
      case ConnectionEvent.ICMP, ConnectionEvent.ICMPV6 -> "UnexpectedOutgoingICMPConnection";
      default -> "UnexpectedOutgoingConnection";
    };
  }

  /** Every note name {@link #alarmName} can return, for counters that exist before the first alarm. */
  public List<String> alarmNames() {
    if (this == ZEEK) return List.of("UnexpectedOutgoingConnection");
    return List.of("UnexpectedOutgoingTCPConnection", "UnexpectedOutgoingUDPConnection",
        "UnexpectedOutgoingICMPConnection", "UnexpectedOutgoingConnection");
  }

  /** The {@code note} field of notice.log, in Zeek's {@code Module::Name} form. */
  public String noticeNote(int proto) {
    if (this == ZEEK) return ZEEK_MODULE + "Unexpected_Outgoing_Connection";
    return ZEEK_MODULE + alarmName(proto);
  }
}
