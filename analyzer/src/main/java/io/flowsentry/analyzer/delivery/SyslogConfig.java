package io.flowsentry.analyzer.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.net.ConfigChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code outputs.syslog} section: every alarm also as an RFC 5424 message to a syslog
 * server (rsyslog, syslog-ng, a SIEM's collector). Off while {@code host} is empty.
 *
 * @param host server name or address; empty = off
 * @param port server port
 * @param transport {@code udp} (one message per datagram, RFC 5426) or {@code tcp} (octet-counting framing, RFC 6587)
 * @param facility a facility name ({@code local0}..{@code local7}, {@code security}, {@code daemon}, ...) or 0..23
 * @param severity a severity name ({@code warning}, {@code notice}, ...) or 0..7
 * @param queueCapacity alarms waiting for this server; beyond it they are dropped and counted
 */
public record SyslogConfig(
    @JsonProperty("host") String host,
    @JsonProperty("port") Integer port,
    @JsonProperty("transport") String transport,
    @JsonProperty("facility") String facility,
    @JsonProperty("severity") String severity,
    @JsonProperty("queue_capacity") Integer queueCapacity) {

  static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
      "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
      "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");
  static final List<String> SEVERITIES = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

  public SyslogConfig {
    host = host == null ? "" : host.strip();
    port = port == null ? 514 : port;
    transport = transport == null ? "udp" : transport.toLowerCase(Locale.ROOT);
    facility = facility == null ? "local0" : facility;
    severity = severity == null ? "warning" : severity;
    queueCapacity = queueCapacity == null ? 10_000 : queueCapacity;
  }

  public static SyslogConfig defaults() {
    return new SyslogConfig(null, null, null, null, null, null);
  }

  public boolean enabled() {
    return !host.isEmpty();
  }

  public boolean tcp() {
    return transport.equals("tcp");
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    ConfigChecks.range(keyPrefix + ".port", port, 1, 65535, problems);
    if (!transport.equals("udp") && !transport.equals("tcp")) {
      problems.add(ConfigChecks.problem(keyPrefix + ".transport", transport, "udp or tcp"));
    }
    if (code(facility, FACILITIES) < 0) {
      problems.add(ConfigChecks.problem(keyPrefix + ".facility", facility, "a facility name such as local0 or 0..23"));
    }
    if (code(severity, SEVERITIES) < 0) {
      problems.add(ConfigChecks.problem(keyPrefix + ".severity", severity, "a severity name such as warning or 0..7"));
    }
    ConfigChecks.range(keyPrefix + ".queue_capacity", queueCapacity, 1, 1_000_000, problems);
    return problems;
  }

  /** RFC 5424 PRI: facility * 8 + severity; call after {@link #validate} found no problems. */
  public int priority() {
    return code(facility, FACILITIES) * 8 + code(severity, SEVERITIES);
  }

  private static int code(String value, List<String> names) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    int named = names.indexOf(v);
    if (named >= 0) return named;
    try {
      int n = Integer.parseInt(v);
      return n >= 0 && n < names.size() ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
