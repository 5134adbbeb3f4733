package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syslog delivery against servers in the test process on loopback: framing, a dropped connection, a server that hangs. */
class SyslogDeliveryTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private SyslogDelivery delivery(int port, int queue) throws IOException {
    SyslogConfig c = new SyslogConfig("127.0.0.1", port, "tcp", null, null, queue);
    return new SyslogDelivery(c, new SyslogMessage(c.priority(), "test", 1, AlarmFormat.defaults()), registry);
  }

  private double result(String result) {
    return registry.get("flowsentry.alarm.deliveries").tag("output", "syslog").tag("result", result).counter().count();
  }

  /** Reads RFC 6587 octet-counted frames until {@code n} arrived. */
  static List<String> readFrames(Socket s, int n) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      int len = 0;
      for (int c; (c = in.read()) != ' '; ) {
        if (c < '0' || c > '9') throw new IOException("bad frame length byte " + c);
        len = len * 10 + (c - '0');
      }
      byte[] msg = new byte[len];
      in.readFully(msg);
      out.add(new String(msg, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void tcpFramesEveryMessageByOctetCountingAndReconnectsAfterTheServerDropsIt() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(30_000);
      SyslogDelivery d = delivery(server.getLocalPort(), 1000);
      for (int i = 0; i < 100; i++) d.offer(Alarms.alarm(i));
      List<String> got = new ArrayList<>();
      try (Socket first = server.accept()) {
        first.setSoTimeout(30_000);
        got.addAll(readFrames(first, 100));
      } // the server closes the connection: the next message finds it gone and reconnects
      for (int i = 100; i < 200; i++) d.offer(Alarms.alarm(i));
      try (Socket second = server.accept()) {
        second.setSoTimeout(30_000);
        got.addAll(readFrames(second, 100));
        d.close();
      }
      for (int i = 0; i < 200; i++) {
        assertTrue(got.get(i).contains(" orig_p=\"" + (10_000 + i) + "\""), "in order, once each: " + got.get(i));
      }
      assertEquals(200, got.size());
      assertEquals(200, result("sent"));
    }
  }

  @Test
  void aServerThatStopsReadingNeverDelaysAlarmsLogAndWhatDoesNotFitIsDroppedAndCounted() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // accepts, then never reads: once the socket buffers are full the sender blocks
      CompletableFuture<Socket> hung = CompletableFuture.supplyAsync(() -> {
        try {
          return server.accept();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      SyslogDelivery d = delivery(server.getLocalPort(), 100);
      AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir, null, Clock.systemUTC(), AlarmWriter.Overflow.BLOCK,
          registry, AlarmFormat.defaults(), List.of(d));
      long start = System.nanoTime();
      for (int i = 0; i < 50_000; i++) w.submit(Alarms.alarm(i));
      w.flush();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(50_000, Files.readAllLines(dir.resolve("alarms.log")).size());
      assertTrue(millis < 20_000, "50 000 alarms in alarms.log took " + millis + " ms while syslog hung");
      assertTrue(result("dropped") > 0, "the hung server's queue overflowed");
      double accounted = result("sent") + result("dropped")
          + registry.get("flowsentry.alarm.delivery.queue").tag("output", "syslog").gauge().value();
      // every alarm is sent, dropped or queued, but for the one the blocked sender holds
      assertTrue(accounted == 50_000 || accounted == 49_999, "accounted for: " + accounted);
      hung.get(10, TimeUnit.SECONDS).close(); // the server goes away: the sender gives up at close
      w.close();
    }
  }
}
