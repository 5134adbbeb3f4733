package io.flowsentry.app.cli;

import static io.flowsentry.app.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.testing.SharedTestData;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands in-process, as bin/flowsentry runs them: exit codes and outputs. */
class CliTest {
  @TempDir Path dir;

  @Test
  void checkConfigPrintsTheEffectiveConfigurationOfAValidFile() throws Exception {
    Path cfg = dir.resolve("ok.yml");
    Files.writeString(cfg, "policies:\n  restricted_outgoing:\n    - name: lab\n      restricted_networks: [10.9.0.0/16]\n");
    CliRun r = run("check-config", "-c", cfg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("suppress_for: 60s"), r.out());
    assertTrue(r.out().contains("listen: 127.0.0.1:9464"), r.out());
    assertTrue(r.out().contains("# the whole process may use at most"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("#   resident total:  ")), r.out());
  }

  @Test
  void checkConfigPrintsWhatTheNetflowLimitsCanUseAtMost() throws Exception {
    Path cfg = dir.resolve("limits.yml");
    Files.writeString(cfg, "inputs:\n  netflow:\n    limits:\n      max_exporters: 10\n      max_state_bytes: 1048576000\n");
    CliRun r = run("check-config", "-c", cfg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("#   both, for all 10 exporters: 20.0 MiB (max_state_bytes 1000.0 MiB)"), r.out());
    assertTrue(r.out().contains("#   exporters:   0.2 MiB (counters, sequence numbers; 16 KiB each)"), r.out());
    assertTrue(r.out().contains("#   total:       20.2 MiB of the "), r.out());
  }

  @Test
  void runRefusesLimitsTheHeapCannotHold() throws Exception {
    Path cfg = dir.resolve("huge.yml");
    Files.writeString(cfg, "inputs:\n  netflow:\n    listen: [\"127.0.0.1:0\"]\n    limits:\n"
        + "      max_exporters: 10000000\n  zeek: []\n"); // 16 KiB of counters each: 150 GiB
    CliRun r = run("run", "-c", cfg.toString());
    assertEquals(ExitCodes.INVALID_CONFIG, r.code(), "refused before binding anything");
    assertTrue(run("check-config", "-c", cfg.toString()).err().contains("(run refuses to start)"));
  }

  @Test
  void checkConfigExitsThreeWithEveryProblem() throws Exception {
    Path cfg = dir.resolve("bad.yml");
    Files.writeString(cfg, "metrics:\n  listen: nowhere\nstate_dir: \"\"\n");
    CliRun r = run("check-config", "-c", cfg.toString());
    assertEquals(ExitCodes.INVALID_CONFIG, r.code());
    assertEquals(List.of(
        cfg + ": state_dir: \"\" (expected: a directory path)",
        cfg + ": metrics.listen: \"nowhere\" (expected: host:port with an IP address literal (IPv6 in brackets, e.g. [::1]:2055) and a port 0-65535)"),
        r.err().lines().toList());
  }

  @Test
  void missingConfigurationFileIsAConfigurationError() {
    CliRun r = run("check-config", "-c", dir.resolve("nope.yml").toString());
    assertEquals(ExitCodes.INVALID_CONFIG, r.code());
    assertTrue(r.err().contains("nope.yml: file not found"), r.err());
  }

  @Test
  void usageErrorsExitTwoAndVersionAnswers() {
    assertEquals(ExitCodes.USAGE, run("run", "--no-such-option").code());
    assertEquals(ExitCodes.USAGE, run("decode").code()); // --pcap is required
    CliRun v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("flowsentry "), v.out());
  }

  /** `decode` prints one line per record — the same records the live collector turns into events. */
  @Test
  void decodeGivesTheSameRecordsAsTheLivePath() throws Exception {
    Path pcap = SharedTestData.path("testdata/netflow/goflow2/goflow2_vectors.pcap");
    Path cfg = dir.resolve("empty.yml");
    Files.writeString(cfg, "");
    CliRun r = run("decode", "--pcap", pcap.toString(), "-c", cfg.toString());
    assertEquals(0, r.code(), r.err());
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> decoded = new ArrayList<>();
    for (String line : r.out().lines().toList()) decoded.add(json.readTree(line));

    NetflowLimits limits = NetflowLimits.defaults();
    List<ConnectionEvent> live = new ArrayList<>();
    DatagramPipeline collector = new DatagramPipeline(new NetflowV5Decoder(false)::decode,
        new NetflowV9Decoder(new TemplateStore(limits), limits, false)::decode, new IpfixDecoder(new TemplateStore(limits), limits, false)::decode,
        new SflowDecoder(false, false), FlowNormalizer.withDefaults(), live::add, limits, new SimpleMeterRegistry(), Clock.systemUTC());
    for (CapturedDatagram d : PcapReader.readAll(pcap)) {
      collector.onDatagram(d.sender(), Unpooled.wrappedBuffer(d.payload()), d.timestampMicros() / 1000);
    }
    assertEquals(live.size(), decoded.size(), r.err());
    assertEquals(27, decoded.size(), "goflow2 vectors: 21 v9 records and 6 v5 records");
    long liveBytes = live.stream().mapToLong(e -> Math.max(e.origIpBytes(), 0) + Math.max(e.respIpBytes(), 0)).sum();
    long decodedBytes = decoded.stream().mapToLong(n -> n.path("octetDeltaCount").asLong()).sum();
    assertEquals(liveBytes, decodedBytes, "octets: decode vs live events");
    JsonNode first = decoded.get(0);
    assertTrue(first.has("exporter") && first.has("version") && first.has("observation_domain") && first.has("template_id"), first.toString());
  }

  /** `decode` prints one line per sFlow sample: flow samples with their packet's flow key, discard samples too. */
  @Test
  void decodePrintsSflowSamples() throws Exception {
    Path cfg = dir.resolve("empty.yml");
    Files.writeString(cfg, "");
    CliRun r = run("decode", "--pcap", SharedTestData.path("testdata/sflow/akvorado/pcap/data-1140.pcap").toString(),
        "--pcap", SharedTestData.path("testdata/sflow/goflow2/goflow2_vectors.pcap").toString(), "-c", cfg.toString());
    assertEquals(0, r.code(), r.err());
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out().lines().toList()) lines.add(json.readTree(line));
    // data-1140: 5 flow samples; the goflow2 vectors: 1 + 5 flow samples and 2 discard samples
    assertEquals(13, lines.size(), r.out());
    assertTrue(lines.stream().allMatch(n -> n.path("protocol").asText().equals("sflow")), r.out());
    JsonNode first = lines.get(0);
    assertEquals("flow", first.path("sample").asText());
    assertEquals("172.16.0.3", first.path("agentAddress").asText());
    assertEquals("2a0c:8880:2:0:185:21:130:38", first.path("sourceIPv6Address").asText());
    assertEquals(22, first.path("destinationTransportPort").asInt());
    assertEquals(1024, first.path("samplingPacketInterval").asInt());
    assertEquals(2, lines.stream().filter(n -> n.path("sample").asText().equals("discard")).count());
    assertTrue(r.err().contains("13 sFlow samples (11 flow, 0 counter, 2 discard)"), r.err());
  }

  @Test
  void replayWritesAlarmsAndASummary() throws Exception {
    Path log = dir.resolve("conn.log");
    Files.writeString(log, """
        #separator \\x09
        #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto
        #types\ttime\tstring\taddr\tport\taddr\tport\tenum
        1225743661.858791\tC1\t192.168.4.7\t137\t203.0.113.9\t137\tudp
        1225743662.000000\tC2\t192.168.4.7\t137\t203.0.113.9\t137\tudp
        1225743700.000000\tC3\t192.168.5.1\t5555\t203.0.113.9\t443\ttcp
        not a line
        """);
    Path cfg = dir.resolve("replay.yml");
    Files.writeString(cfg, """
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
        outputs:
          log_dir: %s
        """.formatted(dir.resolve("log")));
    CliRun r = run("replay", "-c", cfg.toString(), "--log-dir", dir.resolve("log").toString(), log.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns : Restricted Outgoing UDP Connection"),
        Files.readAllLines(dir.resolve("log/alarms.log")));
    // C2 repeats C1's key within suppress_for, C3 is not restricted, "not a line" is bad
    assertEquals("""
        events: 3
        alarms: 1
          restricted-outgoing: 1 alarms, 1 suppressed
        suppressed: 1
        bad lines: 1
        alarms written to %s
        """.formatted(dir.resolve("log").toAbsolutePath()), r.out());
  }
}
