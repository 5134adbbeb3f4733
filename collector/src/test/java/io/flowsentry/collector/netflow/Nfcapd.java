package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.testing.SharedTestData;
import io.flowsentry.collector.udp.ListenAddress;
import io.flowsentry.collector.udp.ProcNetUdp;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nfdump's collectors on a loopback port, as the reference our decoding is compared with: nfcapd
 * for NetFlow/IPFIX (Debian package nfdump), sfcapd for sFlow (nfdump-sflow). Skips the test when
 * the collector or nfdump is missing (fails under FLOWSENTRY_REQUIRE_INTEGRATION=1). Every failure
 * message carries the collector's own output.
 */
public final class Nfcapd implements AutoCloseable {

  /** How long the external processes may take, in milliseconds. */
  public static final long WAIT_MILLIS = 30_000;
  /** Ports tried when another process takes the free port we picked before nfcapd binds it. */
  private static final int PORT_ATTEMPTS = 5;
  private static final long POLL_MILLIS = 20;
  private static final String PORT_TAKEN = "Address already in use";
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final ProcNetUdp PROC_NET_UDP = ProcNetUdp.system();

  private final String name;
  private final Path nfdump;
  private final Path files;
  private final Path log;
  private final int port;
  private final Process process;

  private Nfcapd(String name, Path nfdump, Path files, Path log, int port, Process process) {
    this.name = name;
    this.nfdump = nfdump;
    this.files = files;
    this.log = log;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts nfcapd writing into {@code dir} and waits until it listens: its log says it started
   * and /proc/net/udp shows the socket (no probe socket of ours, which would take the port).
   * When the port was taken between our choice and nfcapd's bind, nfcapd exits; then another
   * port is tried.
   */
  public static Nfcapd start(Path dir) throws Exception {
    return start(dir, "nfcapd", List.of());
  }

  /** sfcapd, the sFlow collector, started like {@link #start}; it also repeats every datagram to 127.0.0.1:{@code repeatPort}. */
  public static Nfcapd sfcapd(Path dir, int repeatPort) throws Exception {
    return start(dir, "sfcapd", List.of("-R", "127.0.0.1/" + repeatPort));
  }

  private static Nfcapd start(Path dir, String name, List<String> options) throws Exception {
    Path collector = SharedTestData.tool(name);
    Path nfdump = SharedTestData.tool("nfdump");
    assertTrue(PROC_NET_UDP.readable(), "/proc/net/udp is not readable: cannot see when " + name + " listens");
    Path files = Files.createDirectories(dir.resolve(name));
    String lastLog = "";
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int port = freePort();
      Path log = dir.resolve(name + "-" + port + ".log");
      List<String> command = new ArrayList<>(List.of(collector.toString(), "-b", "127.0.0.1", "-p", String.valueOf(port),
          "-w", files.toString(), "-t", "3600"));
      command.addAll(options);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Nfcapd n = new Nfcapd(name, nfdump, files, log, port, p);
      if (n.awaitListening()) return n;
      lastLog = n.output();
      if (!lastLog.contains(PORT_TAKEN)) throw new AssertionError(name + " exited (" + p.exitValue() + ") before listening on 127.0.0.1:" + port + n.describe());
    }
    throw new AssertionError(name + " found every port taken in " + PORT_ATTEMPTS + " attempts; its last output:\n" + lastLog);
  }

  public int port() {
    return port;
  }

  /**
   * Waits until nfcapd has read every datagram the kernel queued for it (nfcapd acknowledges
   * nothing, and what is still queued when it stops is lost), checks the kernel dropped none,
   * stops nfcapd (SIGTERM makes it write its file) and prints what it stored with nfdump
   * {@code -o fmt:...}. Call it once every datagram was sent (loopback queues a datagram
   * during the send).
   */
  public List<String> stopAndDump(String format) throws Exception {
    awaitQueueRead();
    assertEquals(0, PROC_NET_UDP.drops(address()), () -> "the kernel dropped datagrams before " + name + " read them" + describe());
    close();
    String out = run(nfdump.toString(), "-R", files.toString(), "-N", "-q", "-o", "fmt:" + format);
    return out.lines().filter(l -> !l.isBlank() && !l.startsWith("No matching flows")).map(String::strip).toList();
  }

  /** nfdump's count of sequence-number failures in what nfcapd stored (after {@link #stopAndDump}). */
  public long sequenceFailures() throws Exception {
    String out = run(nfdump.toString(), "-R", files.toString(), "-I");
    Matcher m = Pattern.compile("Sequence failures:\\s*(\\d+)").matcher(out);
    assertTrue(m.find(), () -> "no sequence failures in nfdump -I:\n" + out);
    return Long.parseLong(m.group(1));
  }

  /** True once nfcapd listens; false when it exited first. */
  private boolean awaitListening() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) return false;
      // the collector prints this once its socket is bound and it reads
      if (output().contains("Startup " + name + ".") && PROC_NET_UDP.bound(address())) return true;
      Thread.sleep(POLL_MILLIS);
    }
    throw new AssertionError(name + " did not listen on 127.0.0.1:" + port + " within " + WAIT_MILLIS + " ms" + describe());
  }

  private void awaitQueueRead() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    long queued;
    while ((queued = PROC_NET_UDP.receiveQueueBytes(address())) != 0 && System.nanoTime() < deadline) {
      assertTrue(process.isAlive(), () -> name + " exited with datagrams unread" + describe());
      Thread.sleep(POLL_MILLIS);
    }
    long left = queued;
    assertEquals(0, left, () -> name + " left " + left + " bytes unread for " + WAIT_MILLIS + " ms" + describe());
  }

  /** Runs nfdump; its output, or a failure with nfdump's and nfcapd's output. */
  private String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), () -> "nfdump did not finish:\n" + out + describe());
    assertTrue(p.exitValue() == 0 || out.contains("No matching flows"), () -> "nfdump failed:\n" + out + describe());
    return out;
  }

  private ListenAddress address() {
    return new ListenAddress(IpAddr.ofV4(0x7F00_0001), port);
  }

  private static int freePort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  private String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** The collector's state and its own output, for failure messages. */
  public String describe() {
    return "\n" + name + " on 127.0.0.1:" + port + " (" + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ") printed:\n" + output();
  }

  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      assertTrue(process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), () -> name + " did not stop on SIGTERM" + describe());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
