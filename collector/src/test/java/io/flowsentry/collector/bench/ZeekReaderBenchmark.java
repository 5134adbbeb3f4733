package io.flowsentry.collector.bench;

import io.flowsentry.collector.zeek.ZeekLogReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole TSV conn.log file (page cache) to events through {@link ZeekLogReader}: reading,
 * line splitting, parsing and the hand-off to an event handler. One operation is one line.
 * The file is written to {@code $TMPDIR/flowsentry-bench-conn.log} and deleted afterwards unless
 * {@code -Dflowsentry.bench.keep=true}, so the reference figure of zeek-cut-style awk can be
 * taken on the same file: {@code time awk -F'\t' '!/^#/ {print $3,$4,$5,$6}' FILE > /dev/null}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ZeekReaderBenchmark {
  static final int LINES = 1_000_000;

  Path file;
  ZeekLogReader reader;
  final LongAdder events = new LongAdder();

  @Setup(Level.Trial)
  public void setup() throws IOException {
    file = Path.of(System.getProperty("java.io.tmpdir"), "flowsentry-bench-conn.log");
    List<String> block = ZeekLines.tsv(10_000);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(ZeekLines.TSV_HEADER);
      for (int i = 0; i < LINES / block.size(); i++) {
        for (String line : block) w.write(line);
      }
    }
    reader = new ZeekLogReader(e -> events.increment(), false, Clock.systemUTC());
  }

  @TearDown(Level.Trial)
  public void check() throws IOException {
    if (!Boolean.getBoolean("flowsentry.bench.keep")) Files.deleteIfExists(file);
    if (events.sum() % LINES != 0) throw new IllegalStateException("not every line became an event: " + events.sum());
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public long readFile() throws IOException {
    return reader.read(file).events();
  }
}
