package io.flowsentry.app.bench;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.app.service.NetflowPipeline;
import io.flowsentry.collector.loadgen.ExportEncoder;
import io.flowsentry.collector.loadgen.ExportTotals;
import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.loadgen.LoadSpec;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@code bench/ingest.sh} measures, without the socket: the load generator's datagrams
 * (10 000 distinct flows, 30 records per v5/v9 packet, 25 per IPFIX packet) through the daemon's
 * NetFlow pipeline — version dispatch, decoding, sequence tracking, metrics, normalization with
 * the originator decision, both policies of {@code bench/flowsentry-bench.yml}, suppression and
 * the alarm writer. One op = one datagram; records/s = ops/s × records per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestPathBenchmark {
  /** Distinct datagrams cycled through: 1 000 × 30 records = every one of the 10 000 flows three times. */
  private static final int DATAGRAMS = 1000;
  private static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 40000);

  @Param({"v5", "v9", "ipfix"})
  String version;

  private Path logDir;
  private AnalysisEngine engine;
  private DatagramPipeline collector;
  private ByteBuf[] datagrams;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    logDir = Files.createTempDirectory("flowsentry-ingest-bench");
    FlowsentryConfig config = ConfigLoader.load(Path.of(System.getProperty("flowsentry.root", ".."), "bench/flowsentry-bench.yml"));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OutputsConfig outputs = config.outputs();
    outputs = new OutputsConfig(logDir.toString(), outputs.rotate(), outputs.fsync(), outputs.queueCapacity(), outputs.events(), outputs.syslog(), outputs.webhook(),
        outputs.alarmLineNames());
    engine = new AnalysisEngine(config.site(), config.policies(), outputs, null, AlarmWriter.Overflow.DROP, Clock.systemUTC(), registry);
    collector = NetflowPipeline.collector(config.inputs().netflow(), false, engine, registry, Clock.systemUTC()).collector();

    LoadSpec spec = LoadSpec.defaults();
    SyntheticFlows flows = new SyntheticFlows(10_000, 1, spec.sourceNetwork(), spec.destinationNetwork());
    // template every DATAGRAMS packets: packet 0 carries it, the measured ones replay data only
    ExportEncoder encoder = ExportEncoder.of(ExportVersion.parse(version), flows, System.currentTimeMillis() - 3_600_000, Integer.MAX_VALUE);
    ExportTotals totals = new ExportTotals();
    datagrams = new ByteBuf[DATAGRAMS];
    for (int i = 0; i < DATAGRAMS; i++) {
      ByteBuf out = Unpooled.directBuffer(1500);
      encoder.encode(out, i, System.currentTimeMillis(), totals);
      datagrams[i] = out;
    }
  }

  @Benchmark
  @OperationsPerInvocation(DATAGRAMS)
  public void datagram() {
    for (ByteBuf d : datagrams) {
      collector.onDatagram(EXPORTER, d.duplicate(), 0);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    engine.close();
    System.out.println("\n" + engine.summary(0).format());
    try (var files = Files.walk(logDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
