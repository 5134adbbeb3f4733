package io.flowsentry.analyzer.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flowsentry.analyzer.delivery.WebhookConfig;
import io.flowsentry.analyzer.delivery.WebhookDelivery;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.analyzer.suppress.SuppressionJournal;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shadow policy's alarms reach its {@code <policy>.log} (marked) and the {@code mode="shadow"}
 * series, and never alarms.log, notice.log or a delivery; an enforcing policy next to it is unchanged.
 */
class ShadowAlarmWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpServer server;
  private final List<Integer> webhookPorts = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  private static Alarm alarm(String policy, double ts, int origP, PolicyMode mode) {
    ConnectionEvent e = ConnectionEvent.builder().tsMicros(Math.round(ts * 1e6)).origH("192.168.4.7").origP(origP)
        .respH("203.0.113.9").respP(443).proto(ConnectionEvent.TCP).uid("C" + origP).source(EventSource.ZEEK).build();
    return new Alarm(policy, "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection",
        e, Duration.ofSeconds(60), null, mode);
  }

  private AlarmWriter writer(Path logDir, List<io.flowsentry.analyzer.delivery.AlarmDelivery> deliveries) {
    return new AlarmWriter(OutputsConfig.defaults(), logDir, dir.resolve("state").resolve(SuppressionJournal.FILE_NAME),
        Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, registry, AlarmFormat.defaults(), deliveries);
  }

  private String startWebhook() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      for (JsonNode n : JSON.readTree(ex.getRequestBody().readAllBytes())) webhookPorts.add(n.get("id.orig_p").asInt());
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Test
  void shadowAlarmsGoOnlyToThePolicyLogAndTheShadowSeriesNeverToAWebhook() throws Exception {
    Path logDir = dir.resolve("log");
    WebhookDelivery hook = new WebhookDelivery(new WebhookConfig(startWebhook(), 10, "5s", "1s", null, 100),
        AlarmFormat.defaults(), registry);
    AlarmWriter w = writer(logDir, List.of(hook));
    w.expectAlarms("staged", List.of("UnexpectedOutgoingConnection"), PolicyMode.SHADOW);
    w.submit(alarm("staged", 1000, 10_001, PolicyMode.SHADOW));
    w.submit(alarm("staged", 1001, 10_002, PolicyMode.SHADOW));
    w.submit(alarm("live", 1002, 10_003, PolicyMode.ENFORCE)); // after the shadow ones, in the same queue
    w.submitSummary(new AlarmSummary("staged", 5, 1, 1_060_000_000L, 2, PolicyMode.SHADOW));
    w.close(); // delivers what is queued, then closes the webhook

    assertEquals(List.of(10_003), webhookPorts, "the webhook got the enforcing alarm only");
    List<String> alarms = Files.readAllLines(logDir.resolve("alarms.log"));
    assertEquals(List.of("1002.000000 UnexpectedOutgoingConnection 192.168.4.7/10003 > 203.0.113.9/https : Restricted Outgoing TCP Connection"),
        alarms);
    List<String> notices = Files.readAllLines(logDir.resolve("notice.log"));
    assertEquals(1, notices.size(), notices.toString());
    assertTrue(notices.getFirst().contains("\"id.orig_p\":10003") && notices.getFirst().contains("policy=live"), notices.toString());
    assertEquals(List.of(
        "1000.000000 UnexpectedOutgoingConnection 192.168.4.7/10001 > 203.0.113.9/https : Restricted Outgoing TCP Connection mode=shadow",
        "1001.000000 UnexpectedOutgoingConnection 192.168.4.7/10002 > 203.0.113.9/https : Restricted Outgoing TCP Connection mode=shadow",
        "1060.000000 AlarmsSummarized 5 more alarms for policy staged in the last minute (max_alarms_per_minute: 2) mode=shadow"),
        Files.readAllLines(logDir.resolve("staged.log")));
    assertEquals(List.of(alarms.getFirst()), Files.readAllLines(logDir.resolve("live.log")), "enforce lines unchanged, unmarked");
    String scrape = registry.scrape();
    assertTrue(scrape.contains("flowsentry_alarms_total{mode=\"shadow\",note=\"UnexpectedOutgoingConnection\",policy=\"staged\"} 2.0"), scrape);
    assertTrue(scrape.contains("flowsentry_alarms_total{mode=\"enforce\",note=\"UnexpectedOutgoingConnection\",policy=\"live\"} 1.0"), scrape);
    assertEquals(2, w.written("staged", "UnexpectedOutgoingConnection", PolicyMode.SHADOW));
    assertEquals(0, w.written("staged", "UnexpectedOutgoingConnection", PolicyMode.ENFORCE));
    List<String> journal = Files.readAllLines(dir.resolve("state").resolve(SuppressionJournal.FILE_NAME));
    assertEquals(3, journal.size(), "shadow keys are journaled like any: " + journal);
  }

  @Test
  void aShadowLineCarriesTheResponderNameLast() {
    AlarmFormat f = AlarmFormat.defaults();
    assertEquals("1000.000000 UnexpectedOutgoingConnection 192.168.4.7/10001 > 203.0.113.9/https : Restricted Outgoing TCP Connection"
        + " mode=shadow resp_name=www.example.com", f.shadowLine(alarm("s", 1000, 10_001, PolicyMode.SHADOW), "www.example.com"));
  }

  /**
   * kill -9 after a shadow alarm was saved and before its line: the restart appends it to the
   * policy's log and journals its key, and alarms.log and notice.log get nothing.
   */
  @Test
  void killedBeforeAShadowLineTheRestartFinishesItInThePolicyLogOnly() throws Exception {
    Path logDir = dir.resolve("log");
    Path pending = dir.resolve("state").resolve(PendingAlarmFile.FILE_NAME);
    Path journal = dir.resolve("state").resolve(SuppressionJournal.FILE_NAME);
    AlarmWriter w = writer(logDir, List.of());
    w.submit(alarm("live", 999, 10_000, PolicyMode.ENFORCE));
    w.submit(alarm("staged", 1000, 10_001, PolicyMode.SHADOW));
    w.flush();
    byte[] saved = Files.readAllBytes(pending);
    String stagedLog = Files.readString(logDir.resolve("staged.log"));
    String journalText = Files.readString(journal);
    String alarmsLog = Files.readString(logDir.resolve("alarms.log"));
    String noticeLog = Files.readString(logDir.resolve("notice.log"));
    w.close();
    // recreate the kill: the shadow line and its key not yet written, the pending file as it was
    Files.writeString(logDir.resolve("staged.log"), "");
    Files.writeString(journal, journalText.substring(0, journalText.lastIndexOf('\n', journalText.length() - 2) + 1));
    Files.write(pending, saved);

    writer(logDir, List.of()).close();

    assertEquals(stagedLog, Files.readString(logDir.resolve("staged.log")), "the shadow line, once");
    assertEquals(journalText, Files.readString(journal), "its key journaled");
    assertEquals(alarmsLog, Files.readString(logDir.resolve("alarms.log")), "alarms.log untouched");
    assertEquals(noticeLog, Files.readString(logDir.resolve("notice.log")), "notice.log untouched");

    writer(logDir, List.of()).close(); // a second restart finds nothing left to finish
    assertEquals(stagedLog, Files.readString(logDir.resolve("staged.log")));
  }
}
