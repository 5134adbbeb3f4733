package io.flowsentry.cluster.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.cluster.config.Topics;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.cluster.wire.FlowKey;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyzer topology's suppression rules, one sequence of sightings at a time (7 s window). */
class AnalyzeProcessorTest {
  private static final long T0 = 1_225_743_661_000_000L;
  private final EventCodec codec = new EventCodec(CommunityId.DEFAULT_SEED);
  @TempDir Path dir;

  /** Seconds after T0 of the events that alarmed, for events of one key at the given seconds. */
  private List<Double> alarmsAt(double... seconds) {
    List<RestrictedOutgoingPolicy> policies = RestrictedOutgoingPolicy.compileAll(SiteConfig.defaults(),
        new PoliciesConfig(List.of(new RestrictedOutgoingPolicyConfig("p", List.of("192.168.4.0/24"), "7s", null, null, null,
            null, null, 0L, null))), name -> PrefixSet.empty());
    Topics topics = new Topics("t");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
    List<Double> out = new ArrayList<>();
    try (TopologyTestDriver driver = new TopologyTestDriver(AnalyzerTopology.build(topics, () -> policies, codec,
        new AnalyzerMetrics(new SimpleMeterRegistry()), Clock.systemUTC()), props)) {
      var in = driver.createInputTopic(topics.flows(), new ByteArraySerializer(), new ByteArraySerializer());
      var alarms = driver.createOutputTopic(topics.alarms(), new StringDeserializer(), new ByteArrayDeserializer());
      for (double s : seconds) {
        ConnectionEvent e = ConnectionEvent.builder().tsMicros(T0 + Math.round(s * 1e6)).origH("192.168.4.7").origP(40000)
            .respH("203.0.113.9").respP(443).proto(6).build();
        in.pipeInput(FlowKey.of(e), codec.encode(e));
      }
      for (var r : alarms.readValuesToList()) {
        try {
          var a = (AlarmCodec.DecodedAlarm) AlarmCodec.decode(r);
          out.add((a.alarm().event().tsMicros() - T0) / 1e6);
        } catch (Exception ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return out;
  }

  @Test
  void everySightingRestartsTheWindow() {
    assertEquals(List.of(0.0), alarmsAt(0, 5, 10, 15, 21.9));
    assertEquals(List.of(0.0, 22.1), alarmsAt(0, 5, 10, 15, 22.1));
  }

  @Test
  void aRepeatAtTheWindowsEndAlarms() {
    assertEquals(List.of(0.0, 7.0), alarmsAt(0, 7));
    assertEquals(List.of(0.0), alarmsAt(0, 6.999999));
  }

  /** The single node's Caffeine rule: a sighting within 1 s of the recorded one does not restart the window. */
  @Test
  void aSightingWithinOneSecondOfTheLastDoesNotRestartTheWindowAsOnOneNode() {
    assertEquals(List.of(0.0, 7.999), alarmsAt(0, 1.0, 7.999));
    assertEquals(List.of(0.0), alarmsAt(0, 1.1, 8.0));
    assertEquals(List.of(0.0, 8.6), alarmsAt(0, 1.5, 2.4, 8.6));
  }

  @Test
  void anEventOlderThanTheKeysLastSightingCountsAtThatSighting() {
    // 3 s then 1 s: the second is judged at 3 s (never earlier than the key's last sighting)
    assertEquals(List.of(3.0, 10.5), alarmsAt(3, 1, 10.5));
  }
}
