package io.flowsentry.app.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged flowsentry jar run as a real process, as bin/flowsentry runs it. */
final class FlowsentryProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final Path log;
  private final int metricsPort;

  private FlowsentryProcess(Process process, Path log, int metricsPort) {
    this.process = process;
    this.log = log;
    this.metricsPort = metricsPort;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("flowsentry.jar", "target/flowsentry.jar"));
    assertTrue(Files.isRegularFile(jar), "packaged jar missing: " + jar + " (run through `mvnw verify`)");
    return jar;
  }

  /** Runs {@code flowsentry ARGS...} to completion and returns its exit code and output. */
  static Result runToEnd(Path workDir, Duration timeout, String... args) throws Exception {
    Path out = Files.createTempFile(workDir, "cli", ".out");
    Process p = builder(workDir, args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      fail("flowsentry " + String.join(" ", args) + " did not finish within " + timeout + ":\n" + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  record Result(int exitCode, String output) {}

  /**
   * Starts {@code flowsentry run} with SIGHUP at its default disposition whatever this JVM's
   * parent did: an ignored signal is inherited across exec, and a JVM that starts with SIGHUP
   * ignored (under nohup, or some CI runners) can never handle it, so reloads could not be
   * tested. coreutils env (9.0+, Debian 12) restores the default before exec'ing the JVM, and
   * exec keeps the pid that {@link #signal} sends to.
   */
  static FlowsentryProcess start(Path workDir, Path config, int metricsPort) throws Exception {
    return start(workDir, config, metricsPort, List.of("-Xmx512m"));
  }

  /** @param jvmOptions instead of the default {@code -Xmx512m} */
  static FlowsentryProcess start(Path workDir, Path config, int metricsPort, List<String> jvmOptions) throws Exception {
    Path log = workDir.resolve("flowsentry-" + System.nanoTime() + ".log");
    ProcessBuilder daemon = builder(workDir, jvmOptions, "run", "-c", config.toString());
    daemon.command().addAll(0, List.of("env", "--default-signal=HUP"));
    Process p = daemon.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    FlowsentryProcess fs = new FlowsentryProcess(p, log, metricsPort);
    fs.awaitHealthy(Duration.ofSeconds(60));
    return fs;
  }

  /**
   * Starts {@code flowsentry ARGS...} (e.g. {@code run --role analyzer -c FILE}) and waits until
   * its /healthz on {@code metricsPort} answers 200.
   */
  static FlowsentryProcess startWith(Path workDir, int metricsPort, List<String> jvmOptions, String... args) throws Exception {
    Path log = workDir.resolve("flowsentry-" + System.nanoTime() + ".log");
    ProcessBuilder daemon = builder(workDir, jvmOptions, args);
    daemon.command().addAll(0, List.of("env", "--default-signal=HUP"));
    Process p = daemon.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    FlowsentryProcess fs = new FlowsentryProcess(p, log, metricsPort);
    fs.awaitHealthy(Duration.ofSeconds(90));
    return fs;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  private static ProcessBuilder builder(Path workDir, String... args) {
    return builder(workDir, List.of("-Xmx512m"), args);
  }

  private static ProcessBuilder builder(Path workDir, List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-Dflowsentry.home=" + System.getProperty("flowsentry.home", ".."),
        "-jar", jar().toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(workDir.toFile());
  }

  /** Fails at once, with its output, when the process exits first (e.g. env without --default-signal). */
  void awaitHealthy(Duration timeout) throws Exception {
    try {
      await("flowsentry /healthz answers 200", timeout, () -> {
        if (!process.isAlive()) return true; // said below, with the output, instead of waiting out the timeout
        try {
          return get("/healthz").statusCode() == 200;
        } catch (IOException e) {
          return false;
        }
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; its output:\n" + output(), e);
    }
    if (!process.isAlive()) fail("flowsentry run exited " + process.exitValue() + " before /healthz answered:\n" + output());
  }

  HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * Sum of every sample of a metric whose labels contain all of {@code labelParts}; fails when
   * /metrics has no such sample, so a missing meter never reads as 0.
   */
  double metric(String name, String... labelParts) throws IOException {
    double sum = 0;
    boolean found = false;
    Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE);
    String body = get("/metrics").body();
    Matcher m = line.matcher(body);
    outer:
    while (m.find()) {
      String labels = m.group(1) == null ? "" : m.group(1);
      for (String part : labelParts) if (!labels.contains(part)) continue outer;
      sum += Double.parseDouble(m.group(2));
      found = true;
    }
    if (!found) fail("/metrics has no sample of " + name + " with " + List.of(labelParts) + ":\n" + body);
    return sum;
  }

  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
  }

  /** SIGTERM, then the exit code (fails when it takes longer than the bound). */
  int terminate(Duration bound) throws Exception {
    process.destroy(); // SIGTERM on Unix
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      fail("flowsentry did not exit within " + bound + " of SIGTERM:\n" + output());
    }
    return process.exitValue();
  }

  /** Waits for the process to end by itself; its exit code, or a failure naming {@code what} after {@code bound}. */
  int awaitExit(Duration bound, String what) throws Exception {
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      fail("flowsentry did not exit within " + bound + " of " + what + ":\n" + output());
    }
    return process.exitValue();
  }

  /** The exit code if the process ends within {@code d}, else -1 (still running). */
  int exitedWithin(Duration d) throws InterruptedException {
    return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL: no shutdown code runs, as in a crash. */
  void kill9() throws Exception {
    process.destroyForcibly();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "killed");
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) process.destroyForcibly();
  }
}
