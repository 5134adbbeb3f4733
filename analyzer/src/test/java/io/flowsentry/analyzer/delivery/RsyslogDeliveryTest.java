package io.flowsentry.analyzer.delivery;

import static io.flowsentry.analyzer.delivery.Rsyslogd.ORIG_P;
import static io.flowsentry.analyzer.delivery.Rsyslogd.RFC5424;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rsyslog on loopback ({@link Rsyslogd}), listening on TCP and UDP: 10 000 alarms over
 * TCP arrive all and once each; over UDP the loss, if any, is counted.
 */
class RsyslogDeliveryTest {
  private static final int ALARMS = 10_000;

  @TempDir Path dir;
  private Rsyslogd rsyslogd;
  private int tcpPort;
  private int udpPort;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void startRsyslog() throws Exception {
    tcpPort = Rsyslogd.freeTcpPort();
    udpPort = Rsyslogd.freeUdpPort();
    rsyslogd = new Rsyslogd(dir, """
        global(workDirectory="%%1$s")
        module(load="imtcp")
        module(load="imudp")
        input(type="imtcp" address="127.0.0.1" port="%1$d" ruleset="received")
        input(type="imudp" address="127.0.0.1" port="%2$d" ruleset="received")
        """.formatted(tcpPort, udpPort) + Rsyslogd.RECEIVED_RULESET, tcpPort);
  }

  @AfterEach
  void stopRsyslog() throws InterruptedException {
    if (rsyslogd != null) rsyslogd.close();
  }

  private SyslogDelivery delivery(String transport, int port) throws IOException {
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
    List<String> lines = rsyslogd.lines(ALARMS, 60_000);
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

  /**
   * Through the alarm writer, as the daemon wires it: shadow alarms are queued before the enforcing
   * one on the same TCP connection, so once rsyslog wrote the enforcing one it would have written
   * any shadow alarm sent before it.
   */
  @Test
  void shadowAlarmsNeverReachRsyslog() throws Exception {
    SyslogDelivery d = delivery("tcp", tcpPort);
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir.resolve("log"), null, Clock.systemUTC(),
        AlarmWriter.Overflow.BLOCK, registry, AlarmFormat.defaults(), List.of(d));
    for (int i = 0; i < 10; i++) {
      Alarm a = Alarms.alarm(i);
      w.submit(new Alarm(a.policy(), a.alarmName(), a.noticeNote(), a.event(), a.suppressFor(), null, PolicyMode.SHADOW));
    }
    w.submit(Alarms.alarm(100));
    w.close(); // closes the delivery after sending what it holds
    assertEquals(1, result("sent"));
    List<String> lines = rsyslogd.lines(1, 60_000);
    assertEquals(1, lines.size(), lines.toString());
    Matcher p = ORIG_P.matcher(lines.getFirst());
    assertTrue(p.find(), lines.getFirst());
    assertEquals(10_100, Integer.parseInt(p.group(1)), "only the enforcing alarm: " + lines.getFirst());
  }

  @Test
  void tenThousandAlarmsOverUdpWithTheLossCounted() throws Exception {
    SyslogDelivery d = delivery("udp", udpPort);
    for (int i = 0; i < ALARMS; i++) d.offer(Alarms.alarm(i));
    d.close();
    assertEquals(ALARMS, result("sent") + result("failed"));
    // UDP has no acknowledgement: what rsyslog wrote is what arrived
    List<String> lines = rsyslogd.lines(1, 30_000);
    long quietUntil = System.nanoTime() + 2_000_000_000L;
    int count = lines.size();
    while (System.nanoTime() < quietUntil) {
      Thread.sleep(200);
      int now = rsyslogd.lines().size();
      if (now != count) quietUntil = System.nanoTime() + 2_000_000_000L;
      count = now;
    }
    lines = rsyslogd.lines();
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
}
