package io.flowsentry.analyzer.delivery;

import io.flowsentry.analyzer.alarm.Alarm;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outputs.syslog}: alarms as RFC 5424 messages ({@link SyslogMessage}) over UDP (one per
 * datagram), TCP (octet-counting framing, RFC 6587: {@code LENGTH SP MESSAGE}) or TLS (the same
 * framing inside TLS, RFC 5425, see {@link TlsClient}), from a bounded queue on its own thread. A
 * connection that fails — refused, a TLS handshake the server or this side rejects (an unknown
 * CA, a wrong name), a write error — is opened again with backoff (1 s doubling to 30 s); the
 * message being sent is retried on the new connection, so a server that stays up gets each
 * message once. A server that closed the connection while it was idle (a restart) is
 * noticed before the next message, not by losing it into the closed socket. Counts {@code flowsentry_alarm_deliveries_total{output="syslog",result}}
 * ({@code sent}, {@code dropped} for a full queue, {@code failed} for a UDP send error), each
 * failed attempt in {@code flowsentry_alarm_delivery_errors_total{output="syslog",reason=connect|tls_handshake|send}}
 * and the queue length {@code flowsentry_alarm_delivery_queue{output="syslog"}}; the first
 * failure is logged, then one line a minute.
 */
public final class SyslogDelivery implements AlarmDelivery {
  private static final Logger log = LoggerFactory.getLogger(SyslogDelivery.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
  /** Longest message: RFC 5426 says a UDP receiver must take 480 bytes and should take 2048. */
  static final int MAX_MESSAGE_BYTES = 2048;
  private static final String CONNECT = "connect";
  private static final String TLS_HANDSHAKE = "tls_handshake";
  private static final String SEND = "send";

  private final SyslogConfig config;
  private final SyslogMessage message;
  private final DeliveryQueue queue;
  private final TlsClient tls;
  // owned by the sending thread
  private Socket tcp;
  private DatagramSocket udp;

  /** @throws IOException when TLS is configured and its PEM files cannot be read or used */
  public SyslogDelivery(SyslogConfig config, SyslogMessage message, MeterRegistry registry) throws IOException {
    this.config = config;
    this.message = message;
    this.tls = config.tls() ? new TlsClient(config, "outputs.syslog") : null;
    this.queue = new DeliveryQueue("syslog", config.queueCapacity(), registry, log,
        List.of(CONNECT, TLS_HANDSHAKE, SEND));
    queue.start(this::run);
  }

  @Override
  public void offer(Alarm alarm) {
    queue.offer(alarm, destination());
  }

  private void run() {
    long backoff = 1000;
    while (!queue.done()) {
      Alarm a = queue.poll();
      boolean wasIdle = a == null;
      try {
        if (a == null) a = queue.poll(200);
      } catch (InterruptedException e) {
        return;
      }
      if (a == null) continue;
      if (wasIdle && peerClosed()) disconnect();
      byte[] text = truncate(message.format(a).getBytes(StandardCharsets.UTF_8));
      while (true) {
        try {
          send(text);
          queue.sent(1);
          backoff = 1000;
          break;
        } catch (FailedAttempt e) {
          disconnect();
          queue.error(e.reason);
          if (!config.stream()) {
            queue.failed(1); // a datagram is not resent: UDP delivery is best effort
            queue.warn("syslog {}: {}", destination(), e.getMessage());
            break;
          }
          queue.warn("syslog {}: {}; reconnecting with backoff", destination(), e.getMessage());
          if (queue.closing()) {
            queue.failed(1);
            break;
          }
          try {
            Thread.sleep(backoff);
          } catch (InterruptedException ie) {
            return;
          }
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
      }
    }
    disconnect();
  }

  /** Why one attempt failed: {@code reason} is its {@code flowsentry_alarm_delivery_errors_total} label. */
  private static final class FailedAttempt extends Exception {
    final String reason;

    FailedAttempt(String reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  private void send(byte[] text) throws FailedAttempt {
    InetSocketAddress to = new InetSocketAddress(config.host(), config.port());
    if (to.isUnresolved()) throw new FailedAttempt(CONNECT, "cannot resolve " + config.host());
    try {
      if (config.stream()) {
        if (tcp == null) tcp = connect(to);
        OutputStream out = tcp.getOutputStream();
        out.write((text.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(text);
        out.flush();
      } else {
        if (udp == null) udp = new DatagramSocket();
        udp.send(new DatagramPacket(text, text.length, to));
      }
    } catch (IOException e) {
      throw new FailedAttempt(SEND, e.toString());
    }
  }

  private Socket connect(InetSocketAddress to) throws FailedAttempt {
    Socket s = new Socket();
    try {
      s.connect(to, 5000);
      s.setSoTimeout(5000);
    } catch (IOException e) {
      closeQuietly(s);
      throw new FailedAttempt(CONNECT, e.toString());
    }
    if (tls == null) return s;
    try {
      return tls.handshake(s);
    } catch (IOException e) {
      closeQuietly(s);
      throw new FailedAttempt(TLS_HANDSHAKE, "TLS handshake failed (check ca_file, server_name and the server's"
          + " certificate): " + e.getMessage());
    }
  }

  /**
   * Whether the TCP server closed the connection: a syslog server never sends, so a read that
   * ends the stream says so. Asked only after the queue ran empty, never in a burst.
   */
  private boolean peerClosed() {
    if (tcp == null) return false;
    try {
      tcp.setSoTimeout(1);
      return tcp.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    } finally {
      try {
        if (!tcp.isClosed()) tcp.setSoTimeout(5000);
      } catch (IOException ignored) {
        // the next write reports it
      }
    }
  }

  /** Cuts a message at the limit on a UTF-8 character boundary. */
  static byte[] truncate(byte[] text) {
    if (text.length <= MAX_MESSAGE_BYTES) return text;
    int end = MAX_MESSAGE_BYTES;
    while (end > 0 && (text[end] & 0xC0) == 0x80) end--;
    return java.util.Arrays.copyOf(text, end);
  }

  private void disconnect() {
    if (tcp != null) closeQuietly(tcp);
    tcp = null;
    if (udp != null) udp.close();
    udp = null;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing a broken connection: nothing more to do
    }
  }

  private String destination() {
    return config.transport() + "://" + config.host() + ":" + config.port();
  }

  @Override
  public void close() throws InterruptedException {
    queue.close(CLOSE_TIMEOUT_MILLIS, destination());
  }
}
