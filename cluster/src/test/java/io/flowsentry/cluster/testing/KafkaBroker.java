package io.flowsentry.cluster.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) from the
 * {@code org.apache.kafka:kafka_2.13} jars on the test classpath, run as a JVM process of its own
 * so that a test can stop, kill and restart it like an operator would. Listens on loopback only,
 * on ports free when it was created; storage is formatted once with a random cluster id. Nothing
 * but Maven Central is needed: the jars are test dependencies of this module.
 *
 * <p>A broker that does not start fails the test (there is no peer to be missing: the broker
 * comes with the build).
 */
public final class KafkaBroker implements AutoCloseable {
  private static final long START_BOUND_SECONDS = 90;
  private static final long STOP_BOUND_SECONDS = 30;

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final Path config;
  private final Path argFile;
  private Process process;

  private KafkaBroker(Path dir) throws IOException {
    this.dir = dir;
    this.port = freePort();
    this.controllerPort = freePort();
    this.config = dir.resolve("server.properties");
    this.argFile = dir.resolve("classpath.args");
    Files.writeString(config, serverProperties(dir.resolve("data")));
    // the classpath of this test JVM (Surefire names it apart from its booter jar) in a file, so
    // the command line stays short however many jars the broker needs
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n");
  }

  /** Formats storage in {@code dir} and starts the broker; returns once it answers an admin request. */
  public static KafkaBroker start(Path dir) throws Exception {
    KafkaBroker broker = new KafkaBroker(dir);
    broker.format();
    broker.startProcess();
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Creates topics with replication factor 1 (one broker). */
  public void createTopics(Map<String, Integer> partitionsByTopic) throws Exception {
    try (Admin admin = admin()) {
      List<NewTopic> topics = new ArrayList<>();
      partitionsByTopic.forEach((t, n) -> topics.add(new NewTopic(t, n, (short) 1)));
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
  }

  /** SIGTERM, as an operator stops it; waits until the process is gone. */
  public void stop() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** SIGKILL. */
  public void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly().waitFor(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    process = null;
  }

  /** Starts the stopped broker again on the same ports and storage. */
  public void restart() throws Exception {
    if (process != null) throw new IllegalStateException("broker still running");
    startProcess();
  }

  /** CPU time the broker process used so far (0 when stopped or unknown). */
  public long cpuNanos() {
    return process == null ? 0 : process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** What the broker process printed (its log goes there). */
  public String output() {
    try {
      return Files.exists(dir.resolve("broker.out")) ? tail(Files.readString(dir.resolve("broker.out")), 4000) : "";
    } catch (IOException e) {
      return "(cannot read broker.out: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void format() throws Exception {
    Process p = java("kafka.tools.StorageTool", dir.resolve("format.out"),
        "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString());
    if (!p.waitFor(START_BOUND_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kafka storage format did not finish within " + START_BOUND_SECONDS + " s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("kafka storage format failed (exit " + p.exitValue() + "): "
          + Files.readString(dir.resolve("format.out")));
    }
  }

  private void startProcess() throws Exception {
    process = java("kafka.Kafka", dir.resolve("broker.out"), config.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_BOUND_SECONDS);
    Exception last = null;
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("kafka broker exited with " + process.exitValue() + ": " + output());
        }
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          last = e;
          Thread.sleep(200);
        }
      }
    }
    kill();
    throw new IllegalStateException("kafka broker did not answer within " + START_BOUND_SECONDS + " s (" + last + "): " + output());
  }

  private Process java(String mainClass, Path output, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1"); // a test broker starts faster than it needs to run fast
    cmd.add("-Djava.net.preferIPv4Stack=true");
    cmd.add("-Dflowsentry.test.log=" + dir.resolve("broker.log"));
    cmd.add("@" + argFile);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  private String serverProperties(Path data) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", data.toString());
    p.put("num.partitions", "4");
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    StringBuilder sb = new StringBuilder();
    p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : "..." + s.substring(s.length() - n);
  }
}
