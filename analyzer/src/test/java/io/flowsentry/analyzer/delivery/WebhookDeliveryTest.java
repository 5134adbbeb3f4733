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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook against the JDK's HTTP server on loopback: answering 500 then recovering, and hanging. */
class WebhookDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean failing = new AtomicBoolean(true);
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
      int status = failing.get() ? 500 : 204;
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

  @Test
  void anEndpointAnswering500ThenRecoveringReceivesEveryAlarmOnceWithTheBearerToken() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
    WebhookConfig c = new WebhookConfig(start(false), 50, "5s", "1s", token.toString(), 5000);
    WebhookDelivery d = new WebhookDelivery(c, AlarmFormat.defaults(), registry);
    for (int i = 0; i < 1000; i++) d.offer(Alarms.alarm(i));
    Thread.sleep(3000); // 500 for 3 s: retried with backoff up to 1 s
    assertEquals(List.of(), received);
    failing.set(false);
    for (int i = 1000; i < 2000; i++) d.offer(Alarms.alarm(i));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (received.size() < 2000 && System.nanoTime() < deadline) Thread.sleep(50);
    d.close();
    List<Integer> sorted = new ArrayList<>(received);
    Collections.sort(sorted);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 2000; i++) expected.add(10_000 + i);
    assertEquals(expected, sorted, "every alarm once");
    assertEquals(2000, result("sent"));
    assertEquals(0, result("dropped") + result("failed"));
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
