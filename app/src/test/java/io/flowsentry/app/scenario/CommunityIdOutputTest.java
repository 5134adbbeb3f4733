package io.flowsentry.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.flowsentry.analyzer.core.AnalysisEngine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code site.community_id_seed} from the configuration file reaches notice.log's {@code community_id}. */
class CommunityIdOutputTest {
  @TempDir Path dir;

  @Test
  void aNetflowIcmpAlarmCarriesTheSeededCommunityIdInNoticeLog() throws Exception {
    FlowsentryConfig config = ConfigLoader.parse("""
        site:
          community_id_seed: 5
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
        outputs:
          log_dir: %s
        """.formatted(dir.resolve("log")), "test.yml");
    AnalysisEngine engine = new AnalysisEngine(config.site(), config.policies(), config.outputs(), null,
        AlarmWriter.Overflow.BLOCK, Clock.systemUTC(), new SimpleMeterRegistry());
    // a v5-style record: destination unreachable 3/1 carried as type << 8 | code in the destination port
    FlowRecord.Builder r = FlowRecord.builder();
    r.version = 5;
    r.exporter = IpAddr.parse("192.0.2.1");
    r.sourceAddress(IpAddr.parse("192.168.4.7"));
    r.destinationAddress(IpAddr.parse("203.0.113.9"));
    r.protocol = ConnectionEvent.ICMP;
    r.sourcePort = 0;
    r.destinationPort = 3 << 8 | 1;
    r.packets = 1;
    r.octets = 56;
    r.startMillis = 1_700_000_000_000L;
    ConnectionEvent e = FlowNormalizer.withDefaults().normalize(r.build());
    assertEquals(EventSource.NETFLOW5, e.source());
    engine.onEvent(e);
    engine.close();
    List<String> notices = Files.readAllLines(dir.resolve("log/notice.log"));
    assertEquals(1, notices.size(), notices.toString());
    JsonNode notice = new ObjectMapper().readTree(notices.getFirst());
    // independently computed: seed 5, 192.168.4.7 -> 203.0.113.9, ICMP type 3 code 1
    assertEquals("1:mp5BLkhLOjNRvEC6vX5lJFBVrJQ=", notice.get("community_id").asText());
  }
}
