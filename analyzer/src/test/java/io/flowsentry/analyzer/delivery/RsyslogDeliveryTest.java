package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.collector.testing.SharedTestData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rsyslog (Debian package; .ci/run installs it) on loopback, listening on TCP and UDP and
 * writing what it receives in RFC 5424 form (RSYSLOG_SyslogProtocol23Format) to a file this test
 * parses: 10 000 alarms over TCP arrive all and once each; over UDP the loss, if any, is counted.
 * Without rsyslogd the test is skipped with the reason, and fails under FLOWSENTRY_REQUIRE_INTEGRATION=1.
 */
class RsyslogDeliveryTest {
  private static final int ALARMS = 10_000;
  // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID params] MSG
  private static final Pattern RFC5424 = Pattern.compile(
      "^<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) \\[flowsentry@32473 ([^\\]]*)\\] (.*)$");
  private static final Pattern ORIG_P = Pattern.compile("orig_p=\"(\\d+)\"");

  @TempDir Path dir;
  private Process rsyslogd;
  private int tcpPort;
  private int udpPort;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void startRsyslog() throws Exception {
    Path binary = SharedTestData.tool("rsyslogd");
    tcpPort = freeTcpPort();
    udpPort = freeUdpPort();
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(conf, """
        global(workDirectory="%1$s")
        module(load="imtcp")
        module(load="imudp")
        input(type="imtcp" address="127.0.0.1" port="%2$d" ruleset="received")
        input(type="imudp" address="127.0.0.1" port="%3$d" ruleset="received")
        ruleset(name="received") {
          action(type="omfile" file="%1$s/received.log" template="RSYSLOG_SyslogProtocol23Format" flushOnTXEnd="on")
        }
        """.formatted(dir, tcpPort, udpPort));
    rsyslogd = new ProcessBuilder(binary.toString(), "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 500);
        break;
      } catch (IOException e) {
        assertTrue(rsyslogd.isAlive(), "rsyslogd exited: " + Files.readString(dir.resolve("rsyslogd.out")));
        assertTrue(System.nanoTime() < deadline, "rsyslogd did not listen on " + tcpPort + " within 15 s");
        Thread.sleep(100);
      }
    }
  }

  @AfterEach
  void stopRsyslog() throws InterruptedException {
    if (rsyslogd != null) {
      rsyslogd.destroy();
      rsyslogd.waitFor();
    }
  }

  private SyslogDelivery delivery(String transport, int port) {
    SyslogConfig c = new SyslogConfig("127.0.0.1", port, transport, "local3", "notice", ALARMS);
    return new SyslogDelivery(c, new SyslogMessage(c.priority(), "sensor-1", 4242, AlarmFormat.defaults()), registry);
  }

  private double result(String result) {
    return registry.get("flowsentry.alarm.deliveries").tag("output", "syslog").tag("result", result).counter().count();
  }

  @Test
  void tenThousandAlarmsOverTcpArriveAllAndOnceEach() throws Exception {
    SyslogDelivery d = delivery("tcp", tcpPort);
    for (int i = 0; i < ALARMS; i++) d.offer(Alarms.alarm(i));
    d.close();
    assertEquals(ALARMS, result("sent"));
    List<String> lines = receivedLines(ALARMS, 60_000);
    Set<Integer> seen = new HashSet<>();
    for (String line : lines) {
      Matcher m = RFC5424.matcher(line);
      assertTrue(m.matches(), "not RFC 5424 as rsyslog writes it: " + line);
      assertEquals(String.valueOf(19 * 8 + 5), m.group(1), "local3.notice");
      assertEquals("sensor-1", m.group(3));
      assertEquals("flowsentry", m.group(4));
      assertEquals("UnexpectedOutgoingConnection", m.group(6));
      Matcher p = ORIG_P.matcher(m.group(7));
      assertTrue(p.find(), line);
      assertTrue(seen.add(Integer.parseInt(p.group(1))), "doubled: " + line);
      assertTrue(m.group(8).contains("UnexpectedOutgoingConnection 192.168.4.7/"), line);
    }
    assertEquals(ALARMS, seen.size(), "none lost, none doubled");
  }

  @Test
  void tenThousandAlarmsOverUdpWithTheLossCounted() throws Exception {
    SyslogDelivery d = delivery("udp", udpPort);
    for (int i = 0; i < ALARMS; i++) d.offer(Alarms.alarm(i));
    d.close();
    assertEquals(ALARMS, result("sent") + result("failed"));
    // UDP has no acknowledgement: what rsyslog wrote is what arrived
    List<String> lines = receivedLines(1, 30_000);
    long quietUntil = System.nanoTime() + 2_000_000_000L;
    int count = lines.size();
    while (System.nanoTime() < quietUntil) {
      Thread.sleep(200);
      int now = Files.readAllLines(dir.resolve("received.log"), StandardCharsets.UTF_8).size();
      if (now != count) quietUntil = System.nanoTime() + 2_000_000_000L;
      count = now;
    }
    lines = Files.readAllLines(dir.resolve("received.log"), StandardCharsets.UTF_8);
    Set<Integer> seen = new HashSet<>();
    for (String line : lines) {
      Matcher m = RFC5424.matcher(line);
      assertTrue(m.matches(), line);
      Matcher p = ORIG_P.matcher(m.group(7));
      assertTrue(p.find() && seen.add(Integer.parseInt(p.group(1))), "doubled or unnamed: " + line);
    }
    long lost = ALARMS - seen.size();
    System.out.printf("syslog over UDP to rsyslog on loopback: %d of %d arrived, %d lost%n", seen.size(), ALARMS, lost);
    assertTrue(seen.size() > 0 && lost >= 0);
  }

  /** The received file's lines once it has at least {@code n}, waiting at most {@code millis}. */
  private List<String> receivedLines(int n, long millis) throws Exception {
    Path file = dir.resolve("received.log");
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
      if (lines.size() >= n) return lines;
      assertTrue(System.nanoTime() < deadline, lines.size() + " of " + n + " lines in " + millis + " ms");
      Thread.sleep(100);
    }
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
