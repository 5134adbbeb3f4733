package io.flowsentry.analyzer.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.net.ConfigChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code outputs.syslog} section: every alarm also as an RFC 5424 message to a syslog
 * server (rsyslog, syslog-ng, a SIEM's collector). Off while {@code host} is empty.
 *
 * @param host server name or address; empty = off
 * @param port server port
 * @param transport {@code udp} (one message per datagram, RFC 5426), {@code tcp} (octet-counting
 *     framing, RFC 6587) or {@code tls} (the same framing inside TLS, RFC 5425)
 * @param facility a facility name ({@code local0}..{@code local7}, {@code security}, {@code daemon}, ...) or 0..23
 * @param severity a severity name ({@code warning}, {@code notice}, ...) or 0..7
 * @param queueCapacity alarms waiting for this server; beyond it they are dropped and counted
 * @param caFile TLS: PEM certificates of the CAs that may sign the server's certificate; empty = the JVM's default trust store
 * @param certFile TLS: PEM client certificate (chain) for a server that asks for one; empty = none
 * @param keyFile TLS: the client certificate's private key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
 * @param serverName TLS: the name the server's certificate must carry (and SNI); empty = {@code host}
 * @param verifyServerName TLS: check the certificate's name (RFC 6125, subjectAltName); false checks only the chain
 */
public record SyslogConfig(
    @JsonProperty("host") String host,
    @JsonProperty("port") Integer port,
    @JsonProperty("transport") String transport,
    @JsonProperty("facility") String facility,
    @JsonProperty("severity") String severity,
    @JsonProperty("queue_capacity") Integer queueCapacity,
    @JsonProperty("ca_file") String caFile,
    @JsonProperty("cert_file") String certFile,
    @JsonProperty("key_file") String keyFile,
    @JsonProperty("server_name") String serverName,
    @JsonProperty("verify_server_name") Boolean verifyServerName) {

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
    caFile = caFile == null ? "" : caFile.strip();
    certFile = certFile == null ? "" : certFile.strip();
    keyFile = keyFile == null ? "" : keyFile.strip();
    serverName = serverName == null ? "" : serverName.strip();
    verifyServerName = verifyServerName == null ? Boolean.TRUE : verifyServerName;
  }

  /** UDP, TCP or TLS to {@code host:port} with the default facility, severity and queue; no client certificate. */
  public SyslogConfig(String host, Integer port, String transport, String facility, String severity, Integer queueCapacity) {
    this(host, port, transport, facility, severity, queueCapacity, null, null, null, null, null);
  }

  public static SyslogConfig defaults() {
    return new SyslogConfig(null, null, null, null, null, null);
  }

  public boolean enabled() {
    return !host.isEmpty();
  }

  /** Whether messages go over a connection (TCP or TLS), where a failed one is retried, not lost. */
  public boolean stream() {
    return transport.equals("tcp") || tls();
  }

  public boolean tls() {
    return transport.equals("tls");
  }

  /** The name the server's certificate must carry. */
  public String expectedServerName() {
    return serverName.isEmpty() ? host : serverName;
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    ConfigChecks.range(keyPrefix + ".port", port, 1, 65535, problems);
    if (!transport.equals("udp") && !stream()) {
      problems.add(ConfigChecks.problem(keyPrefix + ".transport", transport, "udp, tcp or tls"));
    }
    if (code(facility, FACILITIES) < 0) {
      problems.add(ConfigChecks.problem(keyPrefix + ".facility", facility, "a facility name such as local0 or 0..23"));
    }
    if (code(severity, SEVERITIES) < 0) {
      problems.add(ConfigChecks.problem(keyPrefix + ".severity", severity, "a severity name such as warning or 0..7"));
    }
    ConfigChecks.range(keyPrefix + ".queue_capacity", queueCapacity, 1, 1_000_000, problems);
    if (tls()) {
      if (enabled()) {
        readable(keyPrefix + ".ca_file", caFile, problems);
        readable(keyPrefix + ".cert_file", certFile, problems);
        readable(keyPrefix + ".key_file", keyFile, problems);
      }
      if (certFile.isEmpty() != keyFile.isEmpty()) {
        problems.add(ConfigChecks.problem(keyPrefix + (certFile.isEmpty() ? ".cert_file" : ".key_file"), "",
            "cert_file and key_file both set (a client certificate) or both empty"));
      }
    } else if (!(caFile + certFile + keyFile + serverName).isEmpty() || !verifyServerName) {
      problems.add(ConfigChecks.problem(keyPrefix + ".transport", transport,
          "tls, since ca_file, cert_file, key_file, server_name or verify_server_name is set"));
    }
    return problems;
  }

  private static void readable(String key, String file, List<String> problems) {
    if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
      problems.add(ConfigChecks.problem(key, file, "a readable PEM file"));
    }
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
