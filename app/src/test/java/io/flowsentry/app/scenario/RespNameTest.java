package io.flowsentry.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.testing.SharedTestData;
import io.flowsentry.collector.zeek.ZeekTestData;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.flowsentry.collector.zeek.dns.DnsLogLines;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Zeek dns.log (Zeek's test baseline, timestamps unmasked) read through the dns.log line
 * parser into the engine's passive DNS table, and connections built on its answers: every alarm
 * to an answered address names what the originator resolved; others carry no name.
 */
class RespNameTest {
  private static final long BASE_SECONDS = 1_700_000_000L;

  @TempDir Path dir;

  @Test
  void alarmsNameWhatTheOriginatorResolvedInARealDnsLog() throws Exception {
    FlowsentryConfig config = ConfigLoader.parse("""
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [10.20.1.0/24]
        outputs:
          log_dir: %s
        """.formatted(dir.resolve("log")), "test.yml");
    AnalysisEngine engine = new AnalysisEngine(config.site(), config.policies(), config.outputs(), null,
        AlarmWriter.Overflow.BLOCK, Clock.systemUTC(), new SimpleMeterRegistry());
    List<DnsAnswers> learned = new ArrayList<>();
    DnsLogLines lines = new DnsLogLines(a -> {
      learned.add(a);
      engine.passiveDns().learn(a);
    });
    int[] masks = {0};
    for (String l : Files.readAllLines(SharedTestData.path("testdata/zeek/dns/scripts.base.protocols.dns.flip__dns.log"))) {
      byte[] b = ZeekTestData.unmask(l, BASE_SECONDS, masks).getBytes(StandardCharsets.UTF_8);
      lines.parse(b, 0, b.length);
    }
    assertEquals(1, learned.size());
    DnsAnswers answer = learned.getFirst();
    // 10.20.1.31 connects to each address it was told, a second after asking, and to one it was not
    List<String> responders = new ArrayList<>(answer.addresses().stream().map(r -> r.address().toString()).toList());
    responders.add("198.51.100.77");
    for (int i = 0; i < responders.size(); i++) {
      engine.onEvent(ConnectionEvent.builder().tsMicros(answer.tsMicros() + 1_000_000L + i)
          .origH(answer.client()).origP(40000 + i).respH(responders.get(i)).respP(2064).proto(ConnectionEvent.TCP)
          .source(EventSource.ZEEK).build());
    }
    engine.close();
    Map<String, JsonNode> byResponder = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String l : Files.readAllLines(dir.resolve("log/notice.log"))) {
      JsonNode n = json.readTree(l);
      byResponder.put(n.get("id.resp_h").asText(), n);
    }
    assertEquals(9, byResponder.size(), byResponder.keySet().toString());
    for (String r : responders.subList(0, 8)) {
      assertEquals("us.v27.distributed.net", byResponder.get(r).path("resp_name").asText(), r);
    }
    assertFalse(byResponder.get("198.51.100.77").has("resp_name"), "never answered: no name");
    assertEquals(8, engine.passiveDns().size(), "one pair per answered address");
  }
}
