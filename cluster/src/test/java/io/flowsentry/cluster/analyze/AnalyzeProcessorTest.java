package io.flowsentry.cluster.analyze;

import io.flowsentry.analyzer.alarm.ResponderNames;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.cluster.config.Topics;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.cluster.wire.FlowKey;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.micrometer.core.instrument.MeterRegistry;
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
    List<ConnectionEvent> events = new ArrayList<>();
    for (double s : seconds) events.add(event(s, 443));
    List<Double> out = new ArrayList<>();
    for (AlarmCodec.Decoded d : records("enforce", 0L, events, new SimpleMeterRegistry())) {
      out.add((((AlarmCodec.DecodedAlarm) d).alarm().event().tsMicros() - T0) / 1e6);
    }
    return out;
  }

  private static ConnectionEvent event(double seconds, int respP) {
    return ConnectionEvent.builder().tsMicros(T0 + Math.round(seconds * 1e6)).origH("192.168.4.7").origP(40000)
        .respH("203.0.113.9").respP(respP).proto(6).build();
  }

  /** The alarm records one policy ("p", 7 s window, the given mode and cap) produces for the events. */
  private List<AlarmCodec.Decoded> records(String mode, long cap, List<ConnectionEvent> events, MeterRegistry registry) {
    List<RestrictedOutgoingPolicy> policies = RestrictedOutgoingPolicy.compileAll(SiteConfig.defaults(),
        new PoliciesConfig(List.of(new RestrictedOutgoingPolicyConfig("p", List.of("192.168.4.0/24"), "7s", null, null, null,
            null, null, cap, null, mode))), name -> PrefixSet.empty());
    Topics topics = new Topics("t");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
    List<AlarmCodec.Decoded> out = new ArrayList<>();
    try (TopologyTestDriver driver = new TopologyTestDriver(AnalyzerTopology.build(topics, () -> policies, ResponderNames.NONE, codec,
        new AnalyzerMetrics(registry), Clock.systemUTC()), props)) {
      var in = driver.createInputTopic(topics.flows(), new ByteArraySerializer(), new ByteArraySerializer());
      var alarms = driver.createOutputTopic(topics.alarms(), new StringDeserializer(), new ByteArrayDeserializer());
      for (ConnectionEvent e : events) in.pipeInput(FlowKey.of(e), codec.encode(e));
      for (var r : alarms.readValuesToList()) {
        try {
          out.add(AlarmCodec.decode(r));
        } catch (Exception ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return out;
  }

  /**
   * A shadow policy is decided and suppressed as an enforcing one; its alarms say so on the topic.
   * Every alarm goes out, with its policy's cap for the alarm writer (which caps the whole group).
   */
  @Test
  void aShadowPolicysAlarmsCarryTheModeAndEveryAlarmItsCap() {
    MeterRegistry registry = new SimpleMeterRegistry();
    // cap 1: two keys in minute 0 both go out; the writer, not the analyzer, summarizes the second
    List<AlarmCodec.Decoded> out = records("shadow", 1L, List.of(event(0, 443), event(1, 443), event(2, 80), event(70, 22)),
        registry);
    assertEquals(3, out.size(), out.toString());
    List<AlarmCodec.DecodedAlarm> alarms = out.stream().map(d -> (AlarmCodec.DecodedAlarm) d).toList();
    assertEquals(List.of(443, 80, 22), alarms.stream().map(a -> a.alarm().event().respP()).toList());
    assertEquals(List.of(PolicyMode.SHADOW, PolicyMode.SHADOW, PolicyMode.SHADOW), alarms.stream().map(a -> a.alarm().mode()).toList());
    assertEquals(List.of(1L, 1L, 1L), alarms.stream().map(AlarmCodec.DecodedAlarm::maxPerMinute).toList());
    assertEquals(3.0, registry.get("flowsentry.cluster.alarms.produced").tag("mode", "shadow").counter().count());
    assertEquals(0.0, registry.get("flowsentry.cluster.alarms.produced").tag("mode", "enforce").counter().count());
    var enforced = (AlarmCodec.DecodedAlarm) records("enforce", 0L, List.of(event(0, 443)), new SimpleMeterRegistry()).get(0);
    assertEquals(PolicyMode.ENFORCE, enforced.alarm().mode());
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

  /** Every sighting, however close to the last, restarts the window: the single node's rule (SuppressionTableTest). */
  @Test
  void aSightingWithinASecondOfTheLastRestartsTheWindowToo() {
    assertEquals(List.of(0.0), alarmsAt(0, 1.0, 7.999));
    assertEquals(List.of(0.0), alarmsAt(0, 0.5, 7.4));
    assertEquals(List.of(0.0, 7.6), alarmsAt(0, 0.5, 7.6));
  }

  @Test
  void anEventOlderThanTheKeysLastSightingCountsAtThatSighting() {
    // 3 s then 1 s: the second is judged at 3 s (never earlier than the key's last sighting)
    assertEquals(List.of(3.0, 10.5), alarmsAt(3, 1, 10.5));
  }
}
