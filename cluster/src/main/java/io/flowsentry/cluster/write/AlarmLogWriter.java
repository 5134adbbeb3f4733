package io.flowsentry.cluster.write;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.alarm.Rotation;
import io.flowsentry.analyzer.delivery.AlarmDelivery;
import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.cluster.wire.AlarmId;
import io.flowsentry.cluster.wire.MalformedRecordException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm-writer role: {@code <prefix>.alarms.v1} (committed transactions only) into the alarm
 * files of {@code outputs.log_dir}. Its position is its state file, not the consumer group: after
 * each poll the lines are written, then {@link AlarmWriterState} records offsets and file sizes;
 * at start the files are cut back to the recorded sizes and reading resumes at the recorded
 * offsets. A restart, even after {@code kill -9}, neither loses nor repeats a line.
 *
 * <p>It also applies {@code max_alarms_per_minute} for the whole group ({@link GroupRateCaps},
 * saved in the same state): alarms over a policy's cap are counted, not written, and a summary
 * line follows once their minute has ended by the alarms' event time.
 *
 * <p>One writer per {@code log_dir}: it reads every partition itself (no group membership), so
 * a second writer on the same files would write every alarm twice.
 */
public final class AlarmLogWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlarmLogWriter.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration TOPIC_WAIT = Duration.ofSeconds(10);

  private final String topic;
  private final Path stateFile;
  private final Consumer<byte[], byte[]> consumer;
  private final AlarmLogFiles files;
  private final MeterRegistry registry;
  private final Counter malformed;
  private final Counter writeErrors;
  private final Map<String, Counter> written = new ConcurrentHashMap<>();
  private final Map<String, Counter> summarized = new ConcurrentHashMap<>();
  private final List<AlarmDelivery> deliveries;
  private final Thread thread;
  private volatile boolean closed;
  private volatile String failure;
  private AlarmWriterState state;
  private GroupRateCaps caps;

  /** @param deliveries syslog and webhook as {@code outputs} configures them ({@code AlarmDeliveries}); closed with the writer */
  public AlarmLogWriter(KafkaConfig config, OutputsConfig outputs, Path stateDir, AlarmFormat format, List<AlarmDelivery> deliveries,
      MeterRegistry registry) throws IOException {
    this.deliveries = List.copyOf(deliveries);
    this.topic = config.topics().alarms();
    this.stateFile = stateDir.resolve(AlarmWriterState.FILE_NAME);
    this.registry = registry;
    this.files = new AlarmLogFiles(Path.of(outputs.logDir()), format, outputs.alarmLineNames(), outputs.fsync(),
        new Rotation(outputs.rotate(), Clock.systemUTC()));
    this.malformed = Counter.builder("flowsentry.cluster.records.malformed").tag("topic", "alarms")
        .description("Records of the alarms topic that are not a v1 alarm (skipped)").register(registry);
    this.writeErrors = Counter.builder("flowsentry.alarm.write.errors")
        .description("Alarms that could not be written to a log file").register(registry);
    this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name("alarm-log-writer").unstarted(this::run);
  }

  static Map<String, Object> consumerProperties(KafkaConfig config) {
    Map<String, Object> p = config.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // an aborted analyzer transaction is no alarm
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.topics().alarmWriterGroup());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "flowsentry-alarm-writer");
    return p;
  }

  public void start() {
    thread.start();
  }

  public boolean isRunning() {
    return thread.isAlive();
  }

  /** Why alarms are not being written now, or null. */
  public String failure() {
    return failure;
  }

  private void run() {
    while (!closed) {
      try {
        restore();
        while (!closed) pollAndWrite();
      } catch (WakeupException e) {
        return; // close()
      } catch (IOException | RuntimeException e) {
        writeErrors.increment();
        failure = "alarm writer: " + e.getMessage();
        log.error("cluster: alarm writer: {}; starting over from its state file in {} s", e.toString(), RETRY.toSeconds());
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Cuts the files back to the state and seeks every partition to its recorded offset. */
  private void restore() throws IOException {
    state = AlarmWriterState.load(stateFile, topic);
    caps = GroupRateCaps.restore(state.rateCaps());
    Map<String, Long> cut = files.restore(state.fileSizes());
    if (!cut.isEmpty()) log.warn("cluster: alarm writer: cut {} (bytes) written after the last saved state; they are written again", cut);
    List<PartitionInfo> infos = consumer.partitionsFor(topic, TOPIC_WAIT);
    if (infos == null || infos.isEmpty()) throw new IOException("topic " + topic + " does not exist (create it: docs/cluster.md)");
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo i : infos) partitions.add(new TopicPartition(topic, i.partition()));
    consumer.assign(partitions);
    for (TopicPartition tp : partitions) {
      Long offset = state.offsets().get(tp.partition());
      if (offset == null) consumer.seekToBeginning(List.of(tp));
      else consumer.seek(tp, offset);
    }
    log.info("cluster: alarm writer: {} partitions of {} from {}", partitions.size(), topic,
        state.offsets().isEmpty() ? "their beginning" : "the offsets in " + stateFile);
  }

  private void pollAndWrite() throws IOException {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
    if (records.isEmpty()) return;
    List<AlarmCodec.Decoded> decoded = new ArrayList<>();
    List<Map<String, byte[]>> rendered = new ArrayList<>();
    List<String> summarizedPolicies = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      AlarmCodec.Decoded d;
      try {
        d = AlarmCodec.decode(r.value());
      } catch (MalformedRecordException e) {
        malformed.increment();
        log.warn("cluster: alarm writer skipped {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
        continue;
      }
      if (d instanceof AlarmCodec.DecodedAlarm a && !caps.admit(a)) {
        summarizedPolicies.add(a.alarm().policy());
      } else {
        decoded.add(d);
        rendered.add(files.lines(d));
      }
      for (AlarmSummary s : caps.endedSummaries()) {
        AlarmCodec.DecodedSummary summary = new AlarmCodec.DecodedSummary(AlarmId.ofSummary(s.policy(), s.endMicros(), -1), s);
        decoded.add(summary);
        rendered.add(files.lines(summary));
      }
    }
    rotateBefore(rendered);
    List<Alarm> counted = new ArrayList<>();
    for (int i = 0; i < decoded.size(); i++) {
      AlarmCodec.Decoded d = decoded.get(i);
      Map<String, byte[]> lines = rendered.get(i);
      // a file the state does not know yet is recorded (at its size now) before its first line,
      // so that a crash before the next save cuts that line too
      if (lines.keySet().stream().anyMatch(n -> !files.isOpen(n))) {
        for (String n : lines.keySet()) files.append(n, new byte[0]);
        saveState(state.offsets(), state.rateCaps());
      }
      for (var line : lines.entrySet()) files.append(line.getKey(), line.getValue());
      if (d instanceof AlarmCodec.DecodedAlarm a) counted.add(a.alarm());
    }
    Map<Integer, Long> offsets = new HashMap<>(state.offsets());
    for (TopicPartition tp : records.partitions()) offsets.put(tp.partition(), consumer.position(tp));
    saveState(offsets, caps.state());
    failure = null;
    for (String policy : summarizedPolicies) summarizedCounter(policy).increment();
    for (Alarm a : counted) {
      alarmCounter(a).increment(); // counted once in the files and the state, as on one node
      // offered once its offset is saved: a restart never reads it again, so never delivers it
      // twice; a delivery still queued when the process dies is lost (at most once, see NOTES)
      if (!a.shadow()) for (AlarmDelivery d : deliveries) d.offer(a); // never blocks: each has its bounded queue
    }
  }

  /**
   * outputs.rotate, between two saved states only: the files due before this poll's lines are
   * moved aside and the state records them anew, so the state always describes the files a
   * restart finds (the one exception, a crash between the rename and the save, restore() knows).
   */
  private void rotateBefore(List<Map<String, byte[]>> rendered) throws IOException {
    Map<String, Long> bytes = new HashMap<>();
    for (Map<String, byte[]> lines : rendered) lines.forEach((n, line) -> bytes.merge(n, (long) line.length, Long::sum));
    List<String> rotated = files.rotateDue(bytes);
    if (rotated.isEmpty()) return;
    saveState(state.offsets(), state.rateCaps());
    log.info("cluster: alarm writer: rotated {} (outputs.rotate)", rotated);
  }

  /**
   * @param rateCaps the caps as they stand after the records up to {@code offsets}: a save in the
   *     middle of a poll keeps the last saved ones, since its offsets are the last saved ones too
   */
  private void saveState(Map<Integer, Long> offsets, GroupRateCaps.Saved rateCaps) throws IOException {
    AlarmWriterState next = new AlarmWriterState(topic, offsets, files.sizes(), rateCaps);
    next.save(stateFile);
    state = next;
  }

  private Counter summarizedCounter(String policy) {
    return summarized.computeIfAbsent(policy, p -> Counter.builder("flowsentry.alarms.summarized")
        .description("Alarms over max_alarms_per_minute: counted and summarized, not written one by one")
        .tag("policy", p).register(registry));
  }

  // the single node's series (analyzer/alarm/AlarmWriter): the mode a label, so that dashboards
  // and alert rules filter shadow alarms out with mode!="shadow"
  private Counter alarmCounter(Alarm a) {
    return written.computeIfAbsent(a.policy() + '\0' + a.alarmName() + '\0' + a.mode().label(), k -> Counter
        .builder("flowsentry.alarms").description("Alarms written to the alarm logs (mode=\"shadow\": only to the policy's own log)")
        .tag("policy", a.policy()).tag("note", a.alarmName()).tag("mode", a.mode().label()).register(registry));
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
    consumer.close(Duration.ofSeconds(5));
    for (AlarmDelivery d : deliveries) d.close(); // sends what is queued, bounded by its timeout
    try {
      files.close();
    } catch (IOException e) {
      log.warn("cluster: alarm writer: closing the alarm files: {}", e.toString());
    }
  }
}
