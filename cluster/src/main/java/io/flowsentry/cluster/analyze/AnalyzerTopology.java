package io.flowsentry.cluster.analyze;

import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.config.Topics;
import io.flowsentry.cluster.wire.EventCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** flows.v1 → {@link AnalyzeProcessor} (with its suppression store) → alarms.v1, and the Streams settings it relies on. */
public final class AnalyzerTopology {
  private AnalyzerTopology() {}

  /** @param names resp_name for the alarms: what dns.log taught this analyzer ({@code DnsAnswerFollower}) */
  public static Topology build(Topics topics, Supplier<List<RestrictedOutgoingPolicy>> policies, ResponderNames names,
      EventCodec codec, AnalyzerMetrics metrics, Clock wall) {
    StreamsBuilder b = new StreamsBuilder();
    // persistent (RocksDB) with its changelog topic: a task restores its table from local state
    // when it stays on this instance, from the changelog when it moves
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AnalyzeProcessor.STORE),
        Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
    b.stream(topics.flows(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .process(() -> new AnalyzeProcessor(policies, names, codec, metrics, wall), AnalyzeProcessor.STORE)
        .to(topics.alarms(), Produced.with(Serdes.String(), Serdes.ByteArray()));
    return b.build();
  }

  /**
   * The pass-through properties with the ones the promise rests on: one application id for the
   * group, exactly_once_v2 (alarm, store update and consumed offset commit together), and the
   * state directory under {@code state_dir}.
   */
  public static Properties streamsProperties(KafkaConfig config, Path stateDir) {
    Properties p = new Properties();
    p.putAll(config.clientProperties());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.topics().analyzerApplicationId());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("streams").toString());
    return p;
  }
}
