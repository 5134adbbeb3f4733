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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outputs.syslog}: alarms as RFC 5424 messages ({@link SyslogMessage}) over UDP (one per
 * datagram) or TCP (octet-counting framing, RFC 6587: {@code LENGTH SP MESSAGE}), from a bounded
 * queue on its own thread. A TCP connection that fails is opened again with backoff (1 s doubling
 * to 30 s); the message being sent is retried on the new connection, so a server that stays up
 * gets each message once. A server that closed the connection while it was idle (a restart) is
 * noticed before the next message, not by losing it into the closed socket. Counts {@code flowsentry_alarm_deliveries_total{output="syslog",result}}
 * ({@code sent}, {@code dropped} for a full queue, {@code failed} for a UDP send error) and the
 * queue length {@code flowsentry_alarm_delivery_queue{output="syslog"}}; the first failure of
 * each kind is logged, then one line a minute.
 */
public final class SyslogDelivery implements AlarmDelivery {
  private static final Logger log = LoggerFactory.getLogger(SyslogDelivery.class);
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
  /** Longest message: RFC 5426 says a UDP receiver must take 480 bytes and should take 2048. */
  static final int MAX_MESSAGE_BYTES = 2048;

  private final SyslogConfig config;
  private final SyslogMessage message;
  private final DeliveryQueue queue;
  // owned by the sending thread
  private Socket tcp;
  private DatagramSocket udp;

  public SyslogDelivery(SyslogConfig config, SyslogMessage message, MeterRegistry registry) {
    this.config = config;
    this.message = message;
    this.queue = new DeliveryQueue("syslog", config.queueCapacity(), registry, log);
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
        } catch (IOException e) {
          disconnect();
          if (!config.tcp()) {
            queue.failed(1); // a datagram is not resent: UDP delivery is best effort
            queue.warn("syslog {}: {}", destination(), e.toString());
            break;
          }
          queue.warn("syslog {}: {}; reconnecting", destination(), e.toString());
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

  private void send(byte[] text) throws IOException {
    InetSocketAddress to = new InetSocketAddress(config.host(), config.port());
    if (to.isUnresolved()) throw new IOException("cannot resolve " + config.host());
    if (config.tcp()) {
      if (tcp == null) {
        Socket s = new Socket();
        s.connect(to, 5000);
        s.setSoTimeout(5000);
        tcp = s;
      }
      OutputStream out = tcp.getOutputStream();
      out.write((text.length + " ").getBytes(StandardCharsets.US_ASCII));
      out.write(text);
      out.flush();
    } else {
      if (udp == null) udp = new DatagramSocket();
      udp.send(new DatagramPacket(text, text.length, to));
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
    try {
      if (tcp != null) tcp.close();
    } catch (IOException ignored) {
      // closing a broken connection: nothing more to do
    }
    tcp = null;
    if (udp != null) udp.close();
    udp = null;
  }

  private String destination() {
    return config.transport() + "://" + config.host() + ":" + config.port();
  }

  @Override
  public void close() throws InterruptedException {
    queue.close(CLOSE_TIMEOUT_MILLIS, destination());
  }
}
