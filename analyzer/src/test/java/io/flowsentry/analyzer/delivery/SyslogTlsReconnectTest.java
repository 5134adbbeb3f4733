package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over TLS against a JDK TLS server in the test process: the idle check between bursts
 * (a 1 ms read on the TLS socket) keeps the connection and loses no message, and a server that
 * closes the connection is noticed and reconnected to with every message once.
 */
class SyslogTlsReconnectTest {
  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private SSLServerSocket server(TestPki pki) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    List<Certificate> chain = new ArrayList<>();
    try (InputStream in = Files.newInputStream(pki.cert("server"))) {
      chain.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
    store.setKeyEntry("server", TlsClient.privateKey(pki.key("server").toString(), "key"), new char[0],
        chain.toArray(Certificate[]::new));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    s.setSoTimeout(30_000);
    return s;
  }

  @Test
  void idleChecksKeepTheConnectionAndAClosedOneIsReconnectedWithEveryMessageOnce() throws Exception {
    TestPki pki = new TestPki(dir, "test-ca");
    pki.issue("server", "IP:127.0.0.1");
    try (SSLServerSocket server = server(pki)) {
      SyslogConfig c = new SyslogConfig("127.0.0.1", server.getLocalPort(), "tls", null, null, 1000,
          pki.cert("test-ca").toString(), null, null, null, null);
      SyslogDelivery d = new SyslogDelivery(c, new SyslogMessage(c.priority(), "test", 1, AlarmFormat.defaults()), registry);
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 100; i++) d.offer(Alarms.alarm(i));
      try (Socket first = server.accept()) {
        first.setSoTimeout(30_000);
        got.addAll(SyslogDeliveryTest.readFrames(first, 100));
        Thread.sleep(1000); // the sender runs idle and checks the connection several times
        for (int i = 100; i < 200; i++) d.offer(Alarms.alarm(i));
        got.addAll(SyslogDeliveryTest.readFrames(first, 100)); // on the same connection
        // closing waits for the client's close_notify, which it sends only once it looks again
        first.setSoTimeout(500);
      } // the server closes it: the next message finds it gone and reconnects
      for (int i = 200; i < 300; i++) d.offer(Alarms.alarm(i));
      try (Socket second = server.accept()) {
        second.setSoTimeout(30_000);
        got.addAll(SyslogDeliveryTest.readFrames(second, 100));
        d.close();
      }
      assertEquals(300, got.size());
      for (int i = 0; i < 300; i++) {
        assertTrue(got.get(i).contains(" orig_p=\"" + (10_000 + i) + "\""), "in order, once each: " + got.get(i));
      }
      assertEquals(300, registry.get("flowsentry.alarm.deliveries").tag("output", "syslog").tag("result", "sent")
          .counter().count());
    }
  }
}
