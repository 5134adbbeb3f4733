package io.flowsentry.app.cli;

import static io.flowsentry.app.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.app.sink.EventsSink;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.loadgen.LearnTraffic;
import io.flowsentry.collector.testing.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowsentry learn} in-process: its report is YAML, captures are read through the decoders, exit codes. */
class LearnCommandTest {
  @TempDir Path dir;

  private Path config(String policy) throws Exception {
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, policy + "metrics:\n  listen: 127.0.0.1:0\n");
    return file;
  }

  @Test
  void theReportIsYamlWithTheProposedLists() throws Exception {
    Path conn = dir.resolve("conn.log");
    new LearnTraffic(20_000, 10, 7, 5).write(conn);
    Path c = config("policies:\n  restricted_outgoing:\n    - name: servers\n      restricted_networks: [192.168.4.0/24]\n");
    CliRun r = run("learn", "-c", c.toString(), conn.toString());
    assertEquals(0, r.code(), r.err());
    var yaml = new ObjectMapper(new YAMLFactory()).readTree(r.out());
    assertTrue(yaml.get("allowed_destinations").toString().contains(LearnTraffic.NTP_POOL), r.out());
    assertTrue(r.out().contains("# the alarms you would get (not regular):"), r.out());
    assertTrue(r.err().contains("learn: 20000 connection events"), r.err());
  }

  @Test
  void theEventsSinksOutputIsReadAsAConnLog() throws Exception {
    Path events = dir.resolve("events.json");
    try (EventsSink sink = EventsSink.open(events.toString(), false, new CommunityId(0), ResponderNames.NONE)) {
      for (int day = 0; day < 4; day++) {
        sink.onEvent(ConnectionEvent.builder().tsMicros(1_772_323_200_000_000L + day * 86_400_000_000L)
            .origH("192.168.4.7").origP(40000).respH("203.0.113.80").respP(443).proto(ConnectionEvent.TCP)
            .source(EventSource.IPFIX).exporter("192.0.2.1").build());
      }
      sink.onEvent(ConnectionEvent.builder().tsMicros(1_772_323_200_000_000L).origH("192.168.4.9").origP(40000)
          .respH("77.1.2.3").respP(6000).proto(ConnectionEvent.TCP).source(EventSource.IPFIX).build());
    }
    Path c = config("policies:\n  restricted_outgoing:\n    - name: servers\n      restricted_networks: [192.168.4.0/24]\n");
    CliRun r = run("learn", "-c", c.toString(), events.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("- { source: 192.168.4.7, destination: 203.0.113.80 }   # removes 4"), r.out());
    assertTrue(r.out().contains("#   192.168.4.9 -> 77.1.2.0/24 6000/tcp: 1 connection on 1 day, 2026-03-01"), r.out());
  }

  @Test
  void aCaptureOfExportsIsReadThroughTheDecoders() throws Exception {
    Path pcap = SharedTestData.path("testdata/netflow/akvorado/pcap/data+templates.pcap");
    Path c = config("site:\n  local_networks: []\npolicies:\n  restricted_outgoing:\n    - name: all\n"
        + "      restricted_networks: [0.0.0.0/0, \"::/0\"]\n");
    CliRun r = run("learn", "-c", c.toString(), "--min-days", "1", pcap.toString());
    assertEquals(0, r.code(), r.err());
    Matcher events = Pattern.compile("learn: (\\d+) connection events \\((\\d+) captured datagrams\\)").matcher(r.err());
    assertTrue(events.find(), r.err());
    long n = Long.parseLong(events.group(1));
    assertTrue(n > 0, r.err());
    assertTrue(r.out().contains("# === policy all: " + n + " connections would alarm"), r.out());
  }

  @Test
  void badOptionsAndFilesHaveTheirExitCodes() throws Exception {
    Path c = config("policies:\n  restricted_outgoing:\n    - name: servers\n      restricted_networks: [192.168.4.0/24]\n");
    CliRun r = run("learn", "-c", c.toString(), "--min-days", "0", "--v4-prefix", "33", "x");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--min-days: 0") && r.err().contains("--v4-prefix: 33"), r.err());
    r = run("learn", "-c", c.toString(), dir.resolve("missing.log").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("missing.log"), r.err());
  }

  @Test
  void anAlarmLogsBadLinesAreCountedWithFileAndLine() throws Exception {
    Path log = dir.resolve("servers.log");
    Files.writeString(log, "1700000001.000000 UnexpectedOutgoingConnection 192.168.4.7/40001 > 203.0.113.9/https"
        + " : Restricted Outgoing TCP Connection\nnot an alarm\n");
    Path c = config("policies:\n  restricted_outgoing:\n    - name: servers\n      restricted_networks: [192.168.4.0/24]\n");
    CliRun r = run("learn", "-c", c.toString(), log.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains(log + ": 1 alarms of policy servers, 1 bad lines"), r.err());
    assertTrue(r.err().contains(log + ":2: "), r.err());
  }
}
