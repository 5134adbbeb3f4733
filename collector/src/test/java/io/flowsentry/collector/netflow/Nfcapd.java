package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.testing.SharedTestData;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nfdump's collector (Debian package nfdump) on a loopback port, as the reference our decoding
 * is compared with. Skips the test when nfcapd or nfdump is missing (fails under
 * FLOWSENTRY_REQUIRE_INTEGRATION=1).
 */
public final class Nfcapd implements AutoCloseable {

  /** How long the external processes may take, in milliseconds. */
  public static final long WAIT_MILLIS = 30_000;
  private static final long SETTLE_MILLIS = 1_000;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Path nfdump;
  private final Path files;
  private final int port;
  private final Process process;

  private Nfcapd(Path nfdump, Path files, int port, Process process) {
    this.nfdump = nfdump;
    this.files = files;
    this.port = port;
    this.process = process;
  }

  /** Starts nfcapd writing into {@code dir} and waits until it listens. */
  public static Nfcapd start(Path dir) throws Exception {
    Path nfcapd = SharedTestData.tool("nfcapd");
    Path nfdump = SharedTestData.tool("nfdump");
    Path files = Files.createDirectories(dir.resolve("nfcapd"));
    int port;
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      port = s.getLocalPort();
    }
    Process p = new ProcessBuilder(nfcapd.toString(), "-b", "127.0.0.1", "-p", String.valueOf(port),
        "-w", files.toString(), "-t", "3600").redirectErrorStream(true)
        .redirectOutput(dir.resolve("nfcapd.log").toFile()).start();
    Nfcapd n = new Nfcapd(nfdump, files, port, p);
    n.awaitBound();
    return n;
  }

  public int port() {
    return port;
  }

  /** Stops nfcapd (SIGTERM makes it close its file) and prints what it stored with nfdump {@code -o fmt:...}. */
  public List<String> stopAndDump(String format) throws Exception {
    // nfcapd acknowledges nothing and drops what is still in its socket buffer when it stops, so
    // give it a moment (on a loaded machine) to read the datagrams sent just before
    Thread.sleep(SETTLE_MILLIS);
    close();
    Process p = new ProcessBuilder(nfdump.toString(), "-R", files.toString(), "-N", "-q", "-o", "fmt:" + format)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "nfdump did not finish");
    assertTrue(p.exitValue() == 0 || out.contains("No matching flows"), () -> "nfdump failed:\n" + out);
    return out.lines().filter(l -> !l.isBlank() && !l.startsWith("No matching flows")).map(String::strip).toList();
  }

  /** nfdump's count of sequence-number failures in what nfcapd stored (after {@link #stopAndDump}). */
  public long sequenceFailures() throws Exception {
    Process p = new ProcessBuilder(nfdump.toString(), "-R", files.toString(), "-I").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "nfdump did not finish");
    Matcher m = Pattern.compile("Sequence failures:\\s*(\\d+)").matcher(out);
    assertTrue(m.find(), () -> "no sequence failures in nfdump -I:\n" + out);
    return Long.parseLong(m.group(1));
  }

  private void awaitBound() throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline && process.isAlive()) {
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
        probe.close();
        Thread.sleep(20);
      } catch (BindException bound) {
        return;
      }
    }
    throw new AssertionError("nfcapd did not bind 127.0.0.1:" + port + " (alive: " + process.isAlive() + ")");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
