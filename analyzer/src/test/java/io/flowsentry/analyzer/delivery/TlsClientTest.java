package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up problems with the TLS files name the key and the file, and say what would work. */
class TlsClientTest {
  @TempDir Path dir;

  private static SyslogConfig tls(Path ca, Path cert, Path key) {
    return new SyslogConfig("127.0.0.1", 6514, "tls", null, null, null, ca == null ? null : ca.toString(),
        cert == null ? null : cert.toString(), key == null ? null : key.toString(), null, null);
  }

  @Test
  void aFileWithoutACertificateNamesTheKey() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    IOException e = assertThrows(IOException.class, () -> new TlsClient(tls(ca, null, null), "outputs.syslog"));
    assertTrue(e.getMessage().startsWith("outputs.syslog.ca_file: " + ca), e.getMessage());
  }

  @Test
  void aTraditionalRsaKeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
    Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    IOException e = assertThrows(IOException.class, () -> TlsClient.privateKey(key.toString(), "outputs.syslog.key_file"));
    assertTrue(e.getMessage().startsWith("outputs.syslog.key_file: " + key + " holds no unencrypted PKCS#8 key"), e.getMessage());
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }

  @Test
  void withoutACaFileTheJvmTrustStoreIsUsed() throws Exception {
    assertEquals(java.util.List.of(), tls(null, null, null).validate("outputs.syslog"));
    new TlsClient(tls(null, null, null), "outputs.syslog"); // does not throw
  }
}
