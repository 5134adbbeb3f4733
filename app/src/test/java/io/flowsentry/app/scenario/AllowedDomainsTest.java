package io.flowsentry.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * allowed_domains through the whole engine: a CDN name answering a restricted host with a new
 * edge address every 30 s (TTL 20 s, grace 5 s). Connections to an edge the host resolved,
 * within TTL + grace, are allowed; the same edge later, an edge another host resolved, and a
 * name that is not allowed all alarm. A hostname destination in allowed_pairs matches the same way.
 */
class AllowedDomainsTest {
  private static final long T0 = 1_700_000_000_000_000L;
  private static final long SECOND = 1_000_000L;
  private static final IpAddr HOST = IpAddr.parse("192.168.4.7");

  @TempDir Path dir;

  private AnalysisEngine engine() throws Exception {
    FlowsentryConfig config = ConfigLoader.parse("""
        site:
          passive_dns: { min_ttl: 0s, max_ttl: 1h, grace: 5s }
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
              suppress_for: 0s
              allowed_domains: ["*.cdn.example.net", updates.example.com]
              allowed_pairs:
                - { source: 192.168.4.7, destination: api.partner.example }
        outputs:
          log_dir: %s
        """.formatted(dir.resolve("log")), "test.yml");
    return new AnalysisEngine(config.site(), config.policies(), config.outputs(), null,
        AlarmWriter.Overflow.BLOCK, Clock.systemUTC(), new SimpleMeterRegistry());
  }

  private static DnsAnswers answer(long ts, IpAddr client, String name, String address) {
    return new DnsAnswers(ts, client, name, List.of(new DnsAnswers.Resolved(IpAddr.parse(address), 20 * SECOND)));
  }

  private static ConnectionEvent connection(long ts, IpAddr orig, String resp, int origPort) {
    return ConnectionEvent.builder().tsMicros(ts).origH(orig).origP(origPort).respH(resp).respP(443)
        .proto(ConnectionEvent.TCP).source(EventSource.ZEEK).build();
  }

  @Test
  void aRotatingCdnNameAllowsExactlyTheEdgesTheHostResolvedWithinTtlAndGrace() throws Exception {
    AnalysisEngine engine = engine();
    List<String> expectedAlarms = new ArrayList<>();
    int port = 40000;
    engine.passiveDns().learn(answer(T0, IpAddr.parse("192.168.4.8"), "updates.example.com", "198.51.100.200"));
    for (int i = 0; i < 10; i++) {
      long asked = T0 + i * 30 * SECOND;
      String edge = "198.51.100." + (i + 1);
      engine.passiveDns().learn(answer(asked, HOST, i % 2 == 0 ? "edge" + i + ".cdn.example.net" : "updates.example.com", edge));
      engine.onEvent(connection(asked + SECOND, HOST, edge, port++)); // allowed
      engine.onEvent(connection(asked + 25 * SECOND, HOST, edge, port++)); // allowed: TTL + grace
      engine.onEvent(connection(asked + 26 * SECOND, HOST, edge, port)); // too late
      expectedAlarms.add(edge + ":" + port++);
      engine.onEvent(connection(asked + SECOND, HOST, "198.51.100.200", port)); // another host's answer
      expectedAlarms.add("198.51.100.200:" + port++);
    }
    // a name not allowed, and an allowed_pairs hostname the host resolved itself
    engine.passiveDns().learn(answer(T0 + 400 * SECOND, HOST, "www.elsewhere.example", "203.0.113.50"));
    engine.onEvent(connection(T0 + 401 * SECOND, HOST, "203.0.113.50", port));
    expectedAlarms.add("203.0.113.50:" + port++);
    engine.passiveDns().learn(answer(T0 + 402 * SECOND, HOST, "api.partner.example", "203.0.113.60"));
    engine.onEvent(connection(T0 + 403 * SECOND, HOST, "203.0.113.60", port++)); // allowed by the pair
    engine.onEvent(connection(T0 + 403 * SECOND, IpAddr.parse("192.168.4.9"), "203.0.113.60", port));
    expectedAlarms.add("203.0.113.60:" + port++); // the pair names another source
    engine.close();

    ObjectMapper json = new ObjectMapper();
    List<String> alarms = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("log/notice.log"))) {
      var n = json.readTree(l);
      alarms.add(n.get("id.resp_h").asText() + ":" + n.get("id.orig_p").asInt());
    }
    assertEquals(expectedAlarms, alarms);
  }
}
