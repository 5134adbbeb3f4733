package io.flowsentry.analyzer.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook against the JDK's HTTP server on loopback: answering 500 for 30 s then recovering, and hanging. */
class WebhookDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  /** The endpoint answers 500 until then (System.nanoTime()); the hung-endpoint test never recovers. */
  private volatile long outageEndsAt = Long.MAX_VALUE;
  private final CountDownLatch hang = new CountDownLatch(1);
  private HttpServer server;

  @AfterEach
  void stop() {
    hang.countDown();
    if (server != null) server.stop(0);
  }

  private String start(boolean hangs) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (hangs) {
        try {
          hang.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int status = System.nanoTime() < outageEndsAt ? 500 : 204;
      if (status == 204) {
        authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
        for (JsonNode n : JSON.readTree(body)) received.add(n.get("id.orig_p").asInt());
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private double result(String result) {
    return registry.get("flowsentry.alarm.deliveries").tag("output", "webhook").tag("result", result).counter().count();
  }

  private double errors(String reason) {
    return registry.get("flowsentry.alarm.delivery.errors").tag("output", "webhook").tag("reason", reason).counter().count();
  }

  private double queued() {
    return registry.get("flowsentry.alarm.delivery.queue").tag("output", "webhook").gauge().value();
  }

  @Test
  void anEndpointAnswering500For30sThenRecoveringReceivesEveryQueuedAlarmOnceAndTheOverflowIsCounted() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
    int capacity = 2000;
    int batch = 100;
    WebhookConfig c = new WebhookConfig(start(false), batch, "5s", "5s", token.toString(), capacity);
    long recoverAt = System.nanoTime() + 30_000_000_000L;
    outageEndsAt = recoverAt;
    WebhookDelivery d = new WebhookDelivery(c, AlarmFormat.defaults(), registry);
    int offered = 0;
    // 200 alarms a second through the 30 s outage: more than the queue holds
    while (System.nanoTime() < recoverAt - 1_000_000_000L && offered < 6000) {
      for (int i = 0; i < 200; i++) d.offer(Alarms.alarm(offered++));
      Thread.sleep(1000);
    }
    assertEquals(List.of(), received, "nothing accepted during the outage");
    assertEquals(capacity, queued(), "the queue is full, the batch being retried is out of it");
    // the batch being retried left the queue: it holds the first alarm and what came with it (up to batch_size)
    int kept = offered - (int) result("dropped");
    assertTrue(kept > capacity && kept <= capacity + batch, "what did not fit was dropped and counted; kept " + kept);
    double retries = errors("http_status");
    // backoff 0.5 s doubling to 5 s: about 10 attempts in 30 s, not a busy loop
    assertTrue(retries >= 5 && retries <= 30, "attempts during the outage: " + retries);
    long deadline = System.nanoTime() + 60_000_000_000L;
    // the next retry after the recovery (at most max_backoff later) empties the queue
    while ((System.nanoTime() < recoverAt || queued() > 0) && System.nanoTime() < deadline) Thread.sleep(50);
    assertEquals(0, queued(), "the queue drained after the recovery");
    for (int i = 0; i < 1000; i++) d.offer(Alarms.alarm(offered++)); // once it caught up: none dropped
    while (received.size() + result("dropped") < offered && System.nanoTime() < deadline) Thread.sleep(50);
    d.close();
    List<Integer> sorted = new ArrayList<>(received);
    Collections.sort(sorted);
    assertEquals(sorted.stream().distinct().toList(), sorted, "none delivered twice");
    assertEquals(offered, received.size() + (int) result("dropped"), "each alarm delivered once or counted as dropped");
    assertEquals(received.size(), result("sent"));
    assertEquals(offered - kept - 1000, result("dropped"), "no drops after the recovery");
    for (int i = 0; i < kept; i++) assertEquals(10_000 + i, sorted.get(i), "the first alarms were kept");
    assertEquals(0, result("failed"));
    assertEquals(0, queued());
    assertEquals(0, errors("connect"));
    assertTrue(authorizations.stream().allMatch("Bearer s3cret"::equals), authorizations.toString());
  }

  @Test
  void aHungEndpointNeverDelaysAlarmsLog() throws Exception {
    WebhookConfig c = new WebhookConfig(start(true), 10, "30s", "1s", null, 100);
    WebhookDelivery d = new WebhookDelivery(c, AlarmFormat.defaults(), registry);
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir, null, Clock.systemUTC(), AlarmWriter.Overflow.BLOCK,
        registry, AlarmFormat.defaults(), List.of(d));
    w.submit(Alarms.alarm(0));
    w.flush(); // the first batch is now hanging in its POST
    long start = System.nanoTime();
    for (int i = 1; i <= 10_000; i++) w.submit(Alarms.alarm(i));
    w.flush();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(10_001, Files.readAllLines(dir.resolve("alarms.log")).size());
    assertTrue(millis < 10_000, "10 000 alarms took " + millis + " ms to reach alarms.log while the webhook hung");
    assertTrue(result("dropped") >= 10_000 - 100 - 10, "what did not fit the queue was dropped and counted: " + result("dropped"));
    hang.countDown();
    w.close();
  }

  @Test
  void configurationProblemsAreListed() {
    assertEquals(List.of(
        "w.url: \"ftp://x\" (expected: an http:// or https:// URL)",
        "w.batch_size: 0 (expected: 1..10000)",
        "w.timeout: \"soon\" (expected: a duration of at least 100ms such as 500ms, 60s, 5m, 1h or 7d)",
        "w.queue_capacity: 0 (expected: 1..1000000)"),
        new WebhookConfig("ftp://x", 0, "soon", null, null, 0).validate("w"));
    assertEquals(List.of(), WebhookConfig.defaults().validate("w"));
  }
}
