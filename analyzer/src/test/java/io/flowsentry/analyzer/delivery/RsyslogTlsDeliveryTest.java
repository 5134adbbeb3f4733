package io.flowsentry.analyzer.delivery;

import static io.flowsentry.analyzer.delivery.Rsyslogd.ORIG_P;
import static io.flowsentry.analyzer.delivery.Rsyslogd.RFC5424;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.collector.testing.SharedTestData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over TLS (RFC 5425) to a real rsyslog with its OpenSSL driver (Debian package
 * rsyslog-openssl, which .ci/run installs), with certificates the test makes ({@link TestPki}):
 * 10 000 alarms arrive all and once each with a client certificate the server demands; a server
 * certificate for another name or from another CA is refused, counted, and retried with backoff
 * while nothing is delivered. Without the driver the test is skipped, and fails under
 * FLOWSENTRY_REQUIRE_INTEGRATION=1.
 */
class RsyslogTlsDeliveryTest {
  private static final int ALARMS = 10_000;

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TestPki pki;
  private Rsyslogd rsyslogd;
  private int port;

  @BeforeEach
  void makeCertificates() throws Exception {
    boolean driver = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_ossl.so"))
        || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_ossl.so"))
        || Files.exists(Path.of("/usr/lib/rsyslog/lmnsd_ossl.so"));
    String missing = "rsyslog's TLS driver lmnsd_ossl.so not installed (apt-get install rsyslog-openssl; .ci/run does)";
    if (SharedTestData.required()) Assertions.assertTrue(driver, missing);
    else Assumptions.assumeTrue(driver, missing);
    pki = new TestPki(dir, "test-ca");
    pki.issue("client", "DNS:sensor-1.example");
    port = Rsyslogd.freeTcpPort();
  }

  @AfterEach
  void stopRsyslog() throws InterruptedException {
    if (rsyslogd != null) rsyslogd.close();
  }

  /** rsyslog listening for TLS on {@code port} with {@code serverCert}; {@code authMode} as rsyslog's StreamDriver.AuthMode. */
  private void startRsyslog(String serverCert, String authMode) throws Exception {
    rsyslogd = new Rsyslogd(dir, """
        global(workDirectory="%%1$s"
               DefaultNetstreamDriver="ossl"
               DefaultNetstreamDriverCAFile="%1$s"
               DefaultNetstreamDriverCertFile="%2$s"
               DefaultNetstreamDriverKeyFile="%3$s")
        module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="%4$s")
        input(type="imtcp" address="127.0.0.1" port="%5$d" ruleset="received")
        """.formatted(pki.cert("test-ca"), pki.cert(serverCert), pki.key(serverCert), authMode, port)
        + Rsyslogd.RECEIVED_RULESET, port);
  }

  private SyslogDelivery delivery(Path caFile, boolean clientCert, String serverName, boolean verifyName)
      throws IOException {
    SyslogConfig c = new SyslogConfig("127.0.0.1", port, "tls", "local3", "notice", ALARMS, caFile.toString(),
        clientCert ? pki.cert("client").toString() : null, clientCert ? pki.key("client").toString() : null,
        serverName, verifyName);
    assertEquals(List.of(), c.validate("outputs.syslog"));
    return new SyslogDelivery(c, new SyslogMessage(c.priority(), "sensor-1", 4242, AlarmFormat.defaults()), registry);
  }

  private double result(String result) {
    return registry.get("flowsentry.alarm.deliveries").tag("output", "syslog").tag("result", result).counter().count();
  }

  private double handshakeFailures() {
    return registry.get("flowsentry.alarm.delivery.errors").tag("output", "syslog").tag("reason", "tls_handshake")
        .counter().count();
  }

  @Test
  void tenThousandAlarmsOverTlsWithAClientCertificateArriveAllAndOnceEach() throws Exception {
    pki.issue("server", "DNS:syslog.example,IP:127.0.0.1");
    startRsyslog("server", "x509/certvalid"); // demands a client certificate from the CA
    // connects to the address, checks the certificate for the name
    SyslogDelivery d = delivery(pki.cert("test-ca"), true, "syslog.example", true);
    for (int i = 0; i < ALARMS; i++) d.offer(Alarms.alarm(i));
    d.close();
    assertEquals(ALARMS, result("sent"));
    assertEquals(0, handshakeFailures());
    Set<Integer> seen = new HashSet<>();
    for (String line : rsyslogd.lines(ALARMS, 60_000)) {
      Matcher m = RFC5424.matcher(line);
      assertTrue(m.matches(), "not RFC 5424 as rsyslog writes it: " + line);
      assertEquals(String.valueOf(19 * 8 + 5), m.group(1), "local3.notice");
      assertEquals("sensor-1", m.group(3));
      Matcher p = ORIG_P.matcher(m.group(7));
      assertTrue(p.find() && seen.add(Integer.parseInt(p.group(1))), "doubled or unnamed: " + line);
    }
    assertEquals(ALARMS, seen.size(), "none lost, none doubled");
  }

  @Test
  void aServerCertificateForAnotherNameIsRefusedCountedAndRetriedWithBackoffUntilNameCheckingIsOff() throws Exception {
    pki.issue("elsewhere", "DNS:elsewhere.example");
    startRsyslog("elsewhere", "anon");
    SyslogDelivery refused = delivery(pki.cert("test-ca"), false, null, true); // expects 127.0.0.1
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) refused.offer(Alarms.alarm(i));
    awaitHandshakeFailures(3, 20_000);
    // 1 s then 2 s between the attempts: a refused handshake is retried with backoff, not in a loop
    assertTrue(System.nanoTime() - start >= 3_000_000_000L, "three handshakes within 3 s");
    assertEquals(0, result("sent"));
    refused.close(); // the alarm it keeps retrying counts as failed at shutdown
    assertTrue(result("failed") >= 1);
    assertEquals(List.of(), rsyslogd.lines());

    SyslogDelivery chainOnly = delivery(pki.cert("test-ca"), false, null, false);
    for (int i = 0; i < 5; i++) chainOnly.offer(Alarms.alarm(i));
    chainOnly.close();
    assertEquals(5, rsyslogd.lines(5, 30_000).size(), "the CA's certificate is enough without the name check");
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefusedEvenWithoutTheNameCheck() throws Exception {
    pki.issue("server", "IP:127.0.0.1");
    startRsyslog("server", "anon");
    TestPki other = new TestPki(Files.createDirectory(dir.resolve("other")), "other-ca");
    SyslogDelivery d = delivery(other.cert("other-ca"), false, null, false);
    d.offer(Alarms.alarm(0));
    awaitHandshakeFailures(1, 20_000);
    d.close();
    assertEquals(0, result("sent"));
    assertEquals(List.of(), rsyslogd.lines());
  }

  private void awaitHandshakeFailures(int n, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (handshakeFailures() < n) {
      assertTrue(System.nanoTime() < deadline, handshakeFailures() + " of " + n + " handshake failures in " + millis + " ms");
      Thread.sleep(20);
    }
  }
}
