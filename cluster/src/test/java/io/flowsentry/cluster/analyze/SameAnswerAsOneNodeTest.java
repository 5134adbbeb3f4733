package io.flowsentry.cluster.analyze;

import io.flowsentry.analyzer.alarm.ResponderNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.RotateConfig;
import io.flowsentry.analyzer.alarm.Rotation;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.cluster.config.Topics;
import io.flowsentry.cluster.testing.RepeatingTraffic;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.cluster.wire.FlowKey;
import io.flowsentry.cluster.write.AlarmLogFiles;
import io.flowsentry.collector.event.ConnectionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer topology decides as the single node does: the same events through
 * {@link AnalysisEngine} (the daemon's and replay's analyzer) and through the topology (in
 * {@link TopologyTestDriver}, one partition), rendered by the alarm writer role's files, give the
 * same bytes in alarms.log, notice.log and the policy's log. Two policies, one with a short
 * window, keys repeating within and past both.
 */
class SameAnswerAsOneNodeTest {
  private static final Rotation NO_ROTATION = new Rotation(RotateConfig.defaults(), Clock.systemUTC());
  @TempDir Path dir;

  static PoliciesConfig policies() {
    return new PoliciesConfig(List.of(
        new RestrictedOutgoingPolicyConfig("restricted-outgoing", List.of("192.168.4.0/24"), "60s", null, null, null, null, null, 0L, null, null),
        new RestrictedOutgoingPolicyConfig("hosts-1-8", List.of("192.168.4.0/29"), "7s", null, List.of("203.0.113.1/32"), null, null,
            "legacy", 0L, null, null)));
  }

  @Test
  void sameAlarmLinesAsTheSingleNode() throws Exception {
    List<ConnectionEvent> events = RepeatingTraffic.events(20_000, 42);
    SiteConfig site = SiteConfig.defaults();

    OutputsConfig single = new OutputsConfig(dir.resolve("single").toString(), null, null, null, null, null, null, null);
    AnalysisEngine engine = new AnalysisEngine(site, policies(), single, null, AlarmWriter.Overflow.BLOCK, Clock.systemUTC(),
        new SimpleMeterRegistry());
    events.forEach(engine::onEvent);
    engine.close();

    List<RestrictedOutgoingPolicy> compiled = RestrictedOutgoingPolicy.compileAll(site, policies(), name -> PrefixSet.empty());
    Topics topics = new Topics("flowsentry");
    EventCodec codec = new EventCodec(site.communityId());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(AnalyzerTopology.build(topics, () -> compiled, ResponderNames.NONE, codec,
        new AnalyzerMetrics(new SimpleMeterRegistry()), Clock.systemUTC()), props);
        AlarmLogFiles files = new AlarmLogFiles(dir.resolve("cluster"), AlarmFormat.defaults(), false, false, NO_ROTATION)) {
      var in = driver.createInputTopic(topics.flows(), new ByteArraySerializer(), new ByteArraySerializer());
      var out = driver.createOutputTopic(topics.alarms(), new StringDeserializer(), new ByteArrayDeserializer());
      for (ConnectionEvent e : events) in.pipeInput(FlowKey.of(e), codec.encode(e));
      for (var r : out.readKeyValuesToList()) {
        AlarmCodec.Decoded d = AlarmCodec.decode(r.value);
        assertEquals(r.key, d.alarmId());
        for (var line : files.lines(d).entrySet()) files.append(line.getKey(), line.getValue());
      }
    }
    for (String f : List.of("alarms.log", "notice.log", "restricted-outgoing.log", "hosts-1-8.log")) {
      List<String> expected = Files.readAllLines(dir.resolve("single").resolve(f));
      assertTrue(expected.size() > 100, f + " has only " + expected.size() + " lines: the traffic must alarm often");
      List<String> got = Files.readAllLines(dir.resolve("cluster").resolve(f));
      int i = 0;
      while (i < expected.size() && i < got.size() && expected.get(i).equals(got.get(i))) i++;
      assertEquals(expected.size(), i, f + ": first difference at line " + (i + 1) + " of " + expected.size() + "/" + got.size()
          + ": single node " + (i < expected.size() ? expected.get(i) : "(end)") + " | cluster " + (i < got.size() ? got.get(i) : "(end)"));
      assertEquals(expected, got, f);
    }
  }
}
