package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.testing.SharedTestData;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real rsyslogd (Debian package; .ci/run installs it) in the foreground with a test's
 * configuration, writing what it receives in RFC 5424 form (RSYSLOG_SyslogProtocol23Format) to
 * {@code received.log} in the test's directory. Without rsyslogd the test is skipped with the
 * reason, and fails under FLOWSENTRY_REQUIRE_INTEGRATION=1.
 */
public final class Rsyslogd implements AutoCloseable {
  // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID params] MSG
  public static final Pattern RFC5424 = Pattern.compile(
      "^<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) \\[flowsentry@32473 ([^\\]]*)\\] (.*)$");
  static final Pattern ORIG_P = Pattern.compile("orig_p=\"(\\d+)\"");
  /** The action every input's ruleset {@code received} runs: {@code %1$s} is the directory. */
  public static final String RECEIVED_RULESET = """
      ruleset(name="received") {
        action(type="omfile" file="%1$s/received.log" template="RSYSLOG_SyslogProtocol23Format" flushOnTXEnd="on")
      }
      """;

  private final Path dir;
  private final Process process;

  /**
   * Starts rsyslogd with {@code conf} and waits until it accepts connections on {@code tcpPort}.
   *
   * @param conf the whole configuration; {@code %1$s} in it stands for {@code dir}
   */
  public Rsyslogd(Path dir, String conf, int tcpPort) throws Exception {
    this.dir = dir;
    Path binary = SharedTestData.tool("rsyslogd");
    Path file = dir.resolve("rsyslog.conf");
    Files.writeString(file, conf.formatted(dir));
    process = new ProcessBuilder(binary.toString(), "-n", "-f", file.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 500);
        break;
      } catch (IOException e) {
        assertTrue(process.isAlive(), "rsyslogd exited: " + output());
        assertTrue(System.nanoTime() < deadline, "rsyslogd did not listen on " + tcpPort + " within 15 s: " + output());
        Thread.sleep(100);
      }
    }
  }

  /** What rsyslogd said on standard output and error. */
  public String output() throws IOException {
    return Files.readString(dir.resolve("rsyslogd.out"));
  }

  /** The received file's lines now. */
  public List<String> lines() throws IOException {
    Path file = dir.resolve("received.log");
    return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
  }

  /** The received file's lines once it has at least {@code n}, waiting at most {@code millis}. */
  public List<String> lines(int n, long millis) throws Exception {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      List<String> lines = lines();
      if (lines.size() >= n) return lines;
      assertTrue(System.nanoTime() < deadline, lines.size() + " of " + n + " lines in " + millis + " ms");
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  public static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
