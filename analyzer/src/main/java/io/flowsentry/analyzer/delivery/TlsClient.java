package io.flowsentry.analyzer.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of RFC 5425 (syslog over TLS) from {@code outputs.syslog}'s PEM files: the
 * server's chain is checked against {@code ca_file} (or the JVM's trust store) and, unless
 * {@code verify_server_name: false}, its name against {@code server_name} (or {@code host}) by
 * the JDK's RFC 6125 rules (subjectAltName dNSName/iPAddress) — RFC 5425 section 5.2's
 * certificate-based authentication. A client certificate is offered when configured.
 */
final class TlsClient {
  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private final SSLContext context;
  private final String serverName;
  private final int port;
  private final boolean verifyName;

  /** @throws IOException naming the key and file when a PEM file cannot be read or used */
  TlsClient(SyslogConfig config, String keyPrefix) throws IOException {
    this.serverName = config.expectedServerName();
    this.port = config.port();
    this.verifyName = config.verifyServerName();
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(config.caFile().isEmpty() ? null : trustStore(config.caFile(), keyPrefix + ".ca_file"));
      KeyManagerFactory keys = null;
      if (!config.certFile().isEmpty()) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(config, keyPrefix), NO_PASSWORD);
      }
      context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    } catch (GeneralSecurityException e) {
      throw new IOException(keyPrefix + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** Runs the TLS handshake over a connected socket; the returned socket carries the messages. */
  Socket handshake(Socket plain) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, serverName, port, true);
    SSLParameters p = s.getSSLParameters();
    if (verifyName) p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818/6125 name matching
    if (!isAddressLiteral(serverName)) p.setServerNames(List.of(new SNIHostName(serverName)));
    s.setSSLParameters(p);
    s.startHandshake();
    return s;
  }

  private static boolean isAddressLiteral(String name) {
    return name.contains(":") || name.matches("[0-9.]+");
  }

  private static KeyStore trustStore(String file, String key) throws IOException, GeneralSecurityException {
    List<Certificate> cas = certificates(file, key);
    KeyStore store = emptyStore();
    for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
    return store;
  }

  private static KeyStore keyStore(SyslogConfig config, String keyPrefix) throws IOException, GeneralSecurityException {
    List<Certificate> chain = certificates(config.certFile(), keyPrefix + ".cert_file");
    KeyStore store = emptyStore();
    store.setKeyEntry("client", privateKey(config.keyFile(), keyPrefix + ".key_file"), NO_PASSWORD,
        chain.toArray(Certificate[]::new));
    return store;
  }

  private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static List<Certificate> certificates(String file, String key) throws IOException {
    List<Certificate> out;
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      out = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (GeneralSecurityException e) {
      throw new IOException(key + ": " + file + " holds no readable PEM certificate: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException(key + ": cannot read " + file + ": " + e, e);
    }
    if (out.isEmpty()) throw new IOException(key + ": no certificate in " + file);
    return out;
  }

  /** An unencrypted PKCS#8 key ({@code openssl genpkey} writes these), RSA or EC. */
  static PrivateKey privateKey(String file, String key) throws IOException {
    String pem;
    try {
      pem = Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new IOException(key + ": cannot read " + file + ": " + e, e);
    }
    Matcher m = PRIVATE_KEY.matcher(pem);
    if (!m.find()) {
      throw new IOException(key + ": " + file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----;"
          + " convert with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW)");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // not this algorithm: try the next
      }
    }
    throw new IOException(key + ": " + file + " holds a key that is not RSA, EC or Ed25519");
  }
}
