package io.flowsentry.collector.zeek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.ConnLogWriter.Format;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The tailer on its own thread, as the daemon runs it, and its metrics. */
class ZeekTailerThreadTest {
  @TempDir Path dir;
  final List<String> uids = Collections.synchronizedList(new ArrayList<>());
  final EventHandler handler = e -> uids.add(e.uid());

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
      Thread.onSpinWait();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(n -> "C" + n).toList();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void followsAcrossRotationAndRestart(Format format) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Path log = Files.createDirectories(dir.resolve("logs")).resolve("conn.log");
    ZeekInputConfig config = new ZeekInputConfig(log.toString(), "beginning", false, "10ms");
    ConnLogWriter.append(log, w.header("2026-11-28-00-00-00") + w.lines(0, 100));
    try (ZeekTailer t = new ZeekTailer(config, dir.resolve("state"), handler, new SimpleMeterRegistry(), Clock.systemUTC())) {
      t.start();
      await(() -> uids.size() == 100, "the first 100 lines");
      String line = w.line(100);
      ConnLogWriter.append(log, line.substring(0, 10));
      ConnLogWriter.append(log, line.substring(10) + w.lines(101, 150));
      Path rotated = log.resolveSibling("conn.2026-11-28-00-00-00.log");
      Files.move(log, rotated);
      ConnLogWriter.append(log, w.header("2026-11-28-01-00-00") + w.lines(150, 200));
      ConnLogWriter.gzipAndDelete(rotated);
      await(() -> uids.size() >= 200, "200 lines across rotation");
    }
    ConnLogWriter.append(log, w.lines(200, 250));
    try (ZeekTailer t = new ZeekTailer(config, dir.resolve("state"), handler, new SimpleMeterRegistry(), Clock.systemUTC())) {
      t.start();
      await(() -> uids.size() >= 250, "250 lines after restart");
    }
    assertEquals(expected(0, 250), uids);
  }

  @Test
  void metricsCountLinesErrorsFilesAndLag() throws IOException {
    ConnLogWriter w = new ConnLogWriter(Format.TSV);
    Path log = Files.createDirectories(dir.resolve("logs")).resolve("conn.log");
    // 3 years after the lines' timestamps: a reader catching up on them is that far behind
    FakeClock clock = new FakeClock(Instant.parse("2026-11-28T00:00:00Z"));
    MeterRegistry registry = new SimpleMeterRegistry();
    String file = log.toString();
    AtomicReference<Double> lagSeenMidway = new AtomicReference<>(0.0);
    EventHandler watchingLag = e -> {
      if (e.uid().equals("C12000")) lagSeenMidway.set(registry.get("flowsentry.zeek.lag").tag("file", file).gauge().value());
    };
    ConnLogWriter.append(log, w.header("2026-11-28-00-00-00") + w.lines(0, 15_000) + "garbage\n");
    try (ZeekTailer t = new ZeekTailer(ZeekInputConfig.of(file).withStartAtBeginning(), dir.resolve("state"), watchingLag,
        registry, clock)) {
      t.pollOnce();
      assertEquals(15_001, registry.get("flowsentry.zeek.lines").tag("file", file).counter().count());
      assertEquals(1, registry.get("flowsentry.zeek.parse.errors").tag("file", file).counter().count());
      assertEquals(1, registry.get("flowsentry.zeek.files.followed").tag("file", file).gauge().value());
      double expectedLag = Instant.parse("2026-11-28T00:00:00Z").getEpochSecond() - (1_700_000_000 + 12_000.5);
      assertTrue(Math.abs(lagSeenMidway.get() - expectedLag) < 12_000, "lag while catching up: " + lagSeenMidway.get());
      assertEquals(0, registry.get("flowsentry.zeek.lag").tag("file", file).gauge().value(), "caught up");
    }
    assertEquals(0, registry.get("flowsentry.zeek.files.followed").tag("file", file).gauge().value());
  }
}
