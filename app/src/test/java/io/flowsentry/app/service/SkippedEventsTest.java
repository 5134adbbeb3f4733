package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.analyzer.core.ReplaySummary;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.loadgen.ExportEncoder;
import io.flowsentry.collector.loadgen.ExportTotals;
import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analyzer lets sources skip building events for flows that cannot alarm
 * ({@code EventHandler#wants}). That must be invisible: the same load through the daemon's
 * NetFlow pipeline, once skipping and once with a handler that wants every flow, gives the same
 * alarms, the same suppression and the same counts.
 */
class SkippedEventsTest {
  @TempDir Path dir;

  /** What a run leaves behind: its summary and every file the alarm writer wrote. */
  record Outcome(ReplaySummary summary, Map<String, String> files) {}

  @ParameterizedTest
  @ValueSource(strings = {"v5", "v9", "ipfix"})
  void skippingFlowsThatCannotAlarmChangesNoAlarmNoSuppressionAndNoCount(String version) throws Exception {
    Outcome skipping = run(version, dir.resolve("skipping"), engine -> engine);
    Outcome building = run(version, dir.resolve("building"), engine -> engine::onEvent); // wants every flow
    assertEquals(building, skipping);
    ReplaySummary s = building.summary();
    // the load reaches both policies, alarms and is suppressed: the comparison is not vacuous
    assertTrue(s.alarms().values().stream().allMatch(n -> n > 0), s.toString());
    assertTrue(s.suppressed().values().stream().allMatch(n -> n > 0), s.toString());
  }

  /**
   * The bench configuration's policies (restricted 10.1/16, 10.2/16, 10.200/16) under flows out
   * of 10.0.0.0/14 (half of it restricted), their replies, flows into it and out of
   * 10.200.0.0/16, one exporter each, over two minutes of export time.
   */
  private static Outcome run(String version, Path logDir, Function<AnalysisEngine, EventHandler> handler) throws Exception {
    FlowsentryConfig config = ConfigLoader.load(Path.of(System.getProperty("flowsentry.root", ".."), "bench/flowsentry-bench.yml"));
    OutputsConfig o = config.outputs();
    OutputsConfig outputs = new OutputsConfig(logDir.toString(), o.rotate(), o.fsync(), o.queueCapacity(), o.events(),
        o.syslog(), o.webhook(), o.alarmLineNames());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AnalysisEngine engine = new AnalysisEngine(config.site(), config.policies(), outputs, null, AlarmWriter.Overflow.BLOCK,
        Clock.systemUTC(), registry);
    DatagramPipeline collector = NetflowPipeline.collector(config.inputs().netflow(), false, handler.apply(engine), registry,
        Clock.systemUTC()).collector();
    Cidr servers = Cidr.parse("10.0.0.0/14"), lab = Cidr.parse("10.200.0.0/16"), anywhere = Cidr.parse("0.0.0.0/0");
    ExportVersion v = ExportVersion.parse(version);
    long boot = 1_700_000_000_000L;
    SyntheticFlows outgoing = new SyntheticFlows(3000, 1, servers, anywhere);
    List<ExportEncoder> exporters = List.of(
        ExportEncoder.of(v, outgoing, boot, 50),
        // replies from the outside to restricted hosts: they alarm (or are suppressed) only when
        // the pipeline turns them around, so they must not be skipped for their source
        ExportEncoder.of(v, outgoing.replies(), boot, 50),
        ExportEncoder.of(v, new SyntheticFlows(3000, 2, anywhere, servers), boot, 50),
        ExportEncoder.of(v, new SyntheticFlows(300, 3, lab, anywhere), boot, 50));
    ExportTotals totals = new ExportTotals();
    for (int i = 0; i < 300; i++) {
      // a flow comes back every 100 datagrams (40 s), inside and, later, outside 60 s windows
      long exportTime = boot + 3_600_000 + i * 400L;
      for (int e = 0; e < exporters.size(); e++) {
        InetSocketAddress exporter = new InetSocketAddress("127.0.0." + (e + 1), 40000);
        collector.onDatagram(exporter, encode(exporters.get(e), i, exportTime, totals), exportTime);
      }
    }
    engine.close();
    ReplaySummary summary = engine.summary(0);
    assertEquals(totals.records(), summary.events());
    return new Outcome(summary, files(logDir));
  }

  private static ByteBuf encode(ExportEncoder encoder, long packet, long exportTime, ExportTotals totals) {
    ByteBuf out = Unpooled.buffer(1500);
    encoder.encode(out, packet, exportTime, totals);
    return out;
  }

  private static Map<String, String> files(Path logDir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(logDir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) files.put(logDir.relativize(p).toString(), Files.readString(p));
    }
    return files;
  }
}
