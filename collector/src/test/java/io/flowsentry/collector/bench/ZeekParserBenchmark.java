package io.flowsentry.collector.bench;

import io.flowsentry.collector.zeek.parse.ConnLogParser;
import io.flowsentry.collector.zeek.parse.LineOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * conn.log lines per second through {@link ConnLogParser} on one thread: typical lines
 * ({@link ZeekLines}), TSV (about 250 bytes) and the same connections as JSON. One operation is
 * one line. Targets (issue 3): 1 M lines/s TSV, 300 k lines/s JSON per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ZeekParserBenchmark {
  static final int LINES = 4096;

  byte[] tsv;
  int[] tsvEnds;
  byte[] json;
  int[] jsonEnds;
  ConnLogParser tsvParser;
  ConnLogParser jsonParser;

  @Setup
  public void setup() {
    tsvParser = new ConnLogParser("/opt/zeek/logs/current/conn.log", false);
    ZeekLines.TSV_HEADER.lines().forEach(tsvParser::parse);
    jsonParser = new ConnLogParser("/opt/zeek/logs/current/conn.log", false);
    tsvEnds = new int[LINES];
    jsonEnds = new int[LINES];
    tsv = concat(ZeekLines.tsv(LINES), tsvEnds);
    json = concat(ZeekLines.json(LINES), jsonEnds);
    check(tsvParser, tsv, tsvEnds);
    check(jsonParser, json, jsonEnds);
  }

  private static byte[] concat(List<String> lines, int[] ends) {
    byte[] all = String.join("", lines).getBytes(StandardCharsets.UTF_8);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') ends[n++] = i;
    }
    return all;
  }

  private static void check(ConnLogParser p, byte[] b, int[] ends) {
    int start = 0;
    for (int end : ends) {
      if (!(p.parse(b, start, end) instanceof LineOutcome.Event)) throw new IllegalStateException("bad benchmark line");
      start = end + 1;
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void tsv(Blackhole bh) {
    parseAll(tsvParser, tsv, tsvEnds, bh);
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void json(Blackhole bh) {
    parseAll(jsonParser, json, jsonEnds, bh);
  }

  private static void parseAll(ConnLogParser p, byte[] b, int[] ends, Blackhole bh) {
    int start = 0;
    for (int end : ends) {
      bh.consume(p.parse(b, start, end));
      start = end + 1;
    }
  }
}
