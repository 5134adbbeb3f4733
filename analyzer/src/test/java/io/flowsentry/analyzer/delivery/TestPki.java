package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away certificate authority made with the openssl command line (Debian package openssl),
 * valid for two days: {@code <name>.pem} and {@code <name>.key} (unencrypted PKCS#8, EC P-256)
 * in the test's directory. Without openssl the test is skipped, and fails under
 * FLOWSENTRY_REQUIRE_INTEGRATION=1.
 */
final class TestPki {
  private final Path dir;
  private final Path openssl;
  private final String ca;

  /** Creates the CA {@code <ca>.pem} / {@code <ca>.key}. */
  TestPki(Path dir, String ca) throws Exception {
    this.dir = dir;
    this.openssl = SharedTestData.tool("openssl");
    this.ca = ca;
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key(ca).toString(), "-out", cert(ca).toString(), "-days", "2", "-subj", "/CN=" + ca);
  }

  /**
   * Issues {@code <name>.pem} / {@code <name>.key} signed by this CA.
   *
   * @param subjectAltName e.g. {@code DNS:localhost,IP:127.0.0.1}
   */
  void issue(String name, String subjectAltName) throws Exception {
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth,clientAuth\n");
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key(name).toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
    run("x509", "-req", "-in", csr.toString(), "-CA", cert(ca).toString(), "-CAkey", key(ca).toString(),
        "-CAcreateserial", "-out", cert(name).toString(), "-days", "2", "-extfile", ext.toString());
  }

  Path cert(String name) {
    return dir.resolve(name + ".pem");
  }

  Path key(String name) {
    return dir.resolve(name + ".key");
  }

  private void run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(openssl.toString()));
    command.addAll(List.of(args));
    Path out = dir.resolve("openssl.out");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertEquals(0, p.waitFor(), () -> String.join(" ", command) + ": " + read(out));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
