package io.flowsentry.collector.zeek;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.ConnLogWriter.Format;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real files in a temporary directory, changed between polls the way Zeek, zeekctl and
 * logrotate change them. The tailer is driven by {@link ZeekTailer#pollOnce()} so every
 * interleaving is exact; {@link ZeekTailerThreadTest} runs the real thread.
 */
class ZeekTailerTest {
  @TempDir Path dir;
  final FakeClock clock = new FakeClock(Instant.parse("2026-11-28T00:00:00Z"));
  final List<String> uids = Collections.synchronizedList(new ArrayList<>());
  final EventHandler handler = e -> uids.add(e.uid());
  final List<ZeekTailer> tailers = new ArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void closeTailers() {
    tailers.forEach(ZeekTailer::close);
  }

  Path log() {
    return dir.resolve("logs/conn.log");
  }

  Path state() {
    return dir.resolve("state");
  }

  ZeekTailer tailer(ZeekInputConfig config) {
    ZeekTailer t = new ZeekTailer(config, state(), handler, registry, clock);
    tailers.add(t);
    return t;
  }

  double truncations() {
    return registry.get("flowsentry.zeek.truncations").counter().count();
  }

  ZeekTailer tailer() {
    return tailer(new ZeekInputConfig(log().toString(), "beginning", false, null));
  }

  /** Creates conn.log with a header opened at {@code open} and lines {@code from..to}. */
  ConnLogWriter newLog(Format format, String open, int from, int to) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Files.createDirectories(log().getParent());
    ConnLogWriter.append(log(), w.header(open) + w.lines(from, to));
    return w;
  }

  void truncate() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log().toFile(), "rw")) {
      f.setLength(0);
    }
  }

  static List<String> expected(int from, int to) {
    return IntStream.range(from, to).mapToObj(n -> "C" + n).toList();
  }

  void poll(ZeekTailer t, int times) throws IOException {
    for (int i = 0; i < times; i++) {
      clock.advance(Duration.ofMillis(250));
      t.pollOnce();
    }
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void partialLinesWaitForTheirNewline(Format format) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Files.createDirectories(log().getParent());
    ConnLogWriter.append(log(), w.header("2026-11-28-00-00-00"));
    ZeekTailer t = tailer();
    poll(t, 1);
    for (int n = 0; n < 50; n++) {
      String line = w.line(n);
      int cut = 1 + n % (line.length() - 2);
      ConnLogWriter.append(log(), line.substring(0, cut));
      poll(t, 1);
      assertEquals(expected(0, n), uids, "a partial line is not consumed");
      ConnLogWriter.append(log(), line.substring(cut));
      poll(t, 1);
    }
    assertEquals(expected(0, 50), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void rotationByRenameThenGzipAndDelete(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 10);
    ZeekTailer t = tailer();
    poll(t, 1);
    // lines the tailer has not seen yet, then rotation, then the archiver compresses and unlinks it
    ConnLogWriter.append(log(), w.lines(10, 20) + w.line(20).substring(0, 7));
    Path rotated = log().resolveSibling("conn.2026-11-28-00-00-00.log");
    Files.move(log(), rotated);
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(100, 110));
    ConnLogWriter.gzipAndDelete(rotated);
    poll(t, 4);
    List<String> want = new ArrayList<>(expected(0, 20));
    want.addAll(expected(100, 110));
    assertEquals(want, uids, "old file finished first, the incomplete last line dropped, then the new one");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void replacementByAnotherFile(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 5);
    ZeekTailer t = tailer();
    poll(t, 1);
    ConnLogWriter.append(log(), w.lines(5, 8));
    Path next = log().resolveSibling("conn.log.tmp");
    ConnLogWriter.append(next, w.header("2026-11-28-01-00-00") + w.lines(8, 12));
    Files.move(next, log(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    poll(t, 3);
    ConnLogWriter.append(log(), w.lines(12, 15));
    poll(t, 1);
    assertEquals(expected(0, 15), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void truncationRestartsFromTheBeginning(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 10);
    ZeekTailer t = tailer();
    poll(t, 1);
    truncate(); // copytruncate
    poll(t, 1);
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(10, 13));
    poll(t, 1);
    // truncated and rewritten past the old size before a poll sees it: the fingerprint tells
    truncate();
    ConnLogWriter.append(log(), w.header("2026-11-28-02-00-00") + w.lines(13, 40));
    poll(t, 1);
    assertEquals(expected(0, 40), uids);
    assertEquals(2, truncations(), "each truncation is counted (and warned about)");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aCheckpointPastTheEndOfItsFileMeansTruncatedWhileStopped(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 40);
    ZeekTailer first = tailer();
    poll(first, 1);
    first.close();
    // truncated and written again while down, starting as before (same fingerprint), but shorter
    truncate();
    ConnLogWriter.append(log(), w.header("2026-11-28-00-00-00") + w.line(0) + w.lines(40, 45));
    ZeekTailer second = tailer();
    poll(second, 1);
    List<String> want = new ArrayList<>(expected(0, 40));
    want.add("C0");
    want.addAll(expected(40, 45));
    assertEquals(want, uids, "the new content is read from its beginning, not from the old offset");
    assertEquals(1, truncations());
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void copytruncateWhileStoppedReadsEveryNewLine(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 40);
    ZeekTailer first = tailer();
    poll(first, 1);
    first.close();
    truncate(); // same inode, new content: the fingerprint no longer matches
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(40, 43));
    ZeekTailer second = tailer();
    poll(second, 1);
    assertEquals(expected(0, 43), uids);
    assertEquals(1, truncations());
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void theCheckpointFollowsWhatTheHandlerMadeDurable(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 10);
    List<List<String>> persisted = new ArrayList<>();
    boolean[] failing = {false};
    EventHandler durable = new EventHandler() {
      @Override
      public void onEvent(io.flowsentry.collector.event.ConnectionEvent e) {
        uids.add(e.uid());
      }

      @Override
      public void persist() throws IOException {
        if (failing[0]) throw new IOException("disk full");
        persisted.add(List.copyOf(uids));
      }
    };
    ZeekTailer first = new ZeekTailer(new ZeekInputConfig(log().toString(), "beginning", false, null), state(), durable,
        registry, clock);
    tailers.add(first);
    poll(first, 1);
    assertEquals(List.of(expected(0, 10)), persisted, "made durable before the checkpoint that covers the lines");
    failing[0] = true;
    ConnLogWriter.append(log(), w.lines(10, 20));
    poll(first, 2);
    first.abandon(); // kill -9: the checkpoint stayed where the handler last made its state durable
    ZeekTailer second = tailer();
    poll(second, 1);
    List<String> want = new ArrayList<>(expected(0, 20));
    want.addAll(expected(10, 20));
    assertEquals(want, uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void cleanRestartLosesAndRepeatsNothing(Format format) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Files.createDirectories(log().getParent());
    ConnLogWriter.append(log(), w.header("2026-11-28-00-00-00") + w.lines(0, 10) + w.line(10).substring(0, 9));
    ZeekTailer first = tailer();
    poll(first, 1);
    first.close();
    // while down: the partial line completes, more lines, rotation, gzip, a new file
    ConnLogWriter.append(log(), w.line(10).substring(9) + w.lines(11, 20));
    Path rotated = log().resolveSibling("conn.2026-11-28-00-00-00.log");
    Files.move(log(), rotated);
    ConnLogWriter.gzipAndDelete(rotated);
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(20, 25));
    ZeekTailer second = tailer(new ZeekInputConfig(log().toString(), "end", false, null));
    poll(second, 1);
    ConnLogWriter.append(log(), w.lines(25, 30));
    poll(second, 1);
    second.close();
    ZeekTailer third = tailer();
    poll(third, 1);
    ConnLogWriter.append(log(), w.lines(30, 31));
    poll(third, 1);
    assertEquals(expected(0, 31), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void restartWhileARotatedFileIsStillBeingRead(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 5);
    ZeekTailer first = tailer();
    poll(first, 1);
    Path rotated = log().resolveSibling("conn.2026-11-28-00-00-00.log");
    Files.move(log(), rotated);
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(10, 12));
    poll(first, 1); // the renamed file is now draining, the new one current
    ConnLogWriter.append(rotated, w.lines(5, 10)); // a late write to the renamed file
    ConnLogWriter.append(log(), w.lines(12, 14));
    first.close();
    ZeekTailer second = tailer();
    poll(second, 3);
    List<String> want = new ArrayList<>(expected(0, 5));
    want.addAll(expected(10, 12));
    want.addAll(expected(5, 10));
    want.addAll(expected(12, 14));
    assertEquals(want.stream().sorted().toList(), uids.stream().sorted().toList(), "exactly once");
    assertEquals(expected(5, 10), uids.stream().filter(want.subList(7, 12)::contains).toList(), "in order per file");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aNewFileAtTheSamePathIsReadWholeAfterRestart(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 10);
    ZeekTailer first = tailer();
    poll(first, 1);
    first.close();
    // deleted and recreated larger while down: the file system may well give it the same inode
    Files.delete(log());
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(10, 40));
    ZeekTailer second = tailer();
    poll(second, 1);
    assertEquals(expected(0, 40), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void killedRestartRepeatsOnlyLinesSinceTheLastCheckpoint(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 10);
    ZeekTailer first = tailer();
    poll(first, 1); // first pass: checkpoint after line 9
    ConnLogWriter.append(log(), w.lines(10, 20));
    first.pollOnce(); // clock not advanced: no checkpoint for 10..19
    first.abandon(); // kill -9
    ConnLogWriter.append(log(), w.lines(20, 25));
    ZeekTailer second = tailer();
    poll(second, 1);
    List<String> want = new ArrayList<>(expected(0, 20));
    want.addAll(expected(10, 25));
    assertEquals(want, uids, "lines since the last checkpoint repeat, nothing is lost");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void killedDuringRotationThenCompressedLosesNothing(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 10);
    ZeekTailer first = tailer();
    poll(first, 1); // checkpoint: line 9 of the first file
    ConnLogWriter.append(log(), w.lines(10, 15));
    Path rotated = log().resolveSibling("conn.2026-11-28-00-00-00.log");
    Files.move(log(), rotated);
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(15, 18));
    first.pollOnce(); // reads 10..17 without a checkpoint (clock not advanced)
    first.abandon();
    ConnLogWriter.gzipAndDelete(rotated);
    ConnLogWriter.append(log(), w.lines(18, 20));
    ZeekTailer second = tailer();
    poll(second, 1);
    List<String> want = new ArrayList<>(expected(0, 18));
    want.addAll(expected(10, 20)); // 10..14 again from the archive, 15..17 again from the new file
    assertEquals(want, uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void startAtEndSkipsWhatIsThereButReadsTheHeader(Format format) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Files.createDirectories(log().getParent());
    ConnLogWriter.append(log(), w.header("2026-11-28-00-00-00") + w.lines(0, 10) + w.line(10).substring(0, 4));
    ZeekTailer t = tailer(ZeekInputConfig.of(log().toString()));
    poll(t, 1);
    ConnLogWriter.append(log(), w.line(10).substring(4) + w.lines(11, 13));
    poll(t, 1);
    assertEquals(expected(10, 13), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void backfillReadsArchivesOldestFirstAndOnlyOnce(Format format) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Path logs = Files.createDirectories(log().getParent());
    Path a = logs.resolve("conn.2026-11-27-22-00-00.log");
    Path b = logs.resolve("conn.2026-11-27-23-00-00.log");
    ConnLogWriter.append(a, w.header("2026-11-27-22-00-00") + w.lines(0, 5));
    ConnLogWriter.append(b, w.header("2026-11-27-23-00-00") + w.lines(5, 10));
    Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.from(Instant.parse("2026-11-27T23:00:00Z")));
    Files.setLastModifiedTime(b, java.nio.file.attribute.FileTime.from(Instant.parse("2026-11-28T00:00:00Z")));
    ConnLogWriter.gzipAndDelete(a);
    Files.setLastModifiedTime(logs.resolve(a.getFileName() + ".gz"),
        java.nio.file.attribute.FileTime.from(Instant.parse("2026-11-27T23:00:00Z")));
    ConnLogWriter.append(log(), w.header("2026-11-28-00-00-00") + w.lines(10, 15));
    ZeekInputConfig backfill = new ZeekInputConfig(log().toString(), null, true, null);
    ZeekTailer first = tailer(backfill);
    poll(first, 1);
    first.close();
    ConnLogWriter.append(log(), w.lines(15, 17));
    ZeekTailer second = tailer(backfill);
    poll(second, 1);
    assertEquals(expected(0, 17), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void globFollowsEveryMatchingFile(Format format) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Path s1 = Files.createDirectories(dir.resolve("logs/sensor1"));
    Path s2 = Files.createDirectories(dir.resolve("logs/sensor2"));
    ConnLogWriter.append(s1.resolve("conn.log"), w.header("2026-11-28-00-00-01") + w.lines(0, 3));
    ZeekTailer t = tailer(new ZeekInputConfig(dir.resolve("logs/*/conn.log").toString(), "beginning", false, null));
    poll(t, 1);
    ConnLogWriter.append(s2.resolve("conn.log"), w.header("2026-11-28-00-00-02") + w.lines(3, 6));
    poll(t, 1);
    ConnLogWriter.append(s1.resolve("conn.log"), w.lines(6, 8));
    poll(t, 1);
    assertEquals(expected(0, 8), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aGlobThatAlsoMatchesRotatedFilesReadsThemOnce(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 5);
    ZeekTailer t = tailer(new ZeekInputConfig(dir.resolve("logs/conn*.log").toString(), "beginning", false, null));
    poll(t, 1);
    ConnLogWriter.append(log(), w.lines(5, 8));
    Files.move(log(), log().resolveSibling("conn.2026-11-28-00-00-00.log"));
    ConnLogWriter.append(log(), w.header("2026-11-28-01-00-00") + w.lines(8, 10));
    poll(t, 6);
    ZeekTailer restarted = tailer(new ZeekInputConfig(dir.resolve("logs/conn*.log").toString(), "beginning", false, null));
    t.close();
    poll(restarted, 2);
    assertEquals(expected(0, 10), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void closingBeforeTheFirstPollKeepsTheCheckpoint(Format format) throws IOException {
    ConnLogWriter w = newLog(format, "2026-11-28-00-00-00", 0, 5);
    ZeekTailer first = tailer();
    poll(first, 1);
    first.close();
    tailer().close();
    ConnLogWriter.append(log(), w.lines(5, 7));
    poll(tailer(), 1);
    assertEquals(expected(0, 7), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aLineWhoseHandlerFailedIsHandedOverAgain(Format format) throws IOException {
    newLog(format, "2026-11-28-00-00-00", 0, 5);
    int[] calls = {0};
    ZeekTailer t = new ZeekTailer(new ZeekInputConfig(log().toString(), "beginning", false, null), state(), e -> {
      if (++calls[0] == 3) throw new IllegalStateException("analyzer hiccup");
      uids.add(e.uid());
    }, new SimpleMeterRegistry(), clock);
    tailers.add(t);
    try {
      t.pollOnce();
    } catch (IllegalStateException expectedOnce) {
      // the thread loop logs this and polls again
    }
    poll(t, 1);
    assertEquals(expected(0, 5), uids);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void tooLongLinesAreSkippedToTheirNewline(Format format) throws IOException {
    ConnLogWriter w = new ConnLogWriter(format);
    Files.createDirectories(log().getParent());
    ConnLogWriter.append(log(), w.header("2026-11-28-00-00-00") + w.line(0) + "x".repeat(200_000) + "\n" + w.line(1));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ZeekTailer t = new ZeekTailer(new ZeekInputConfig(log().toString(), "beginning", false, null), state(), handler,
        registry, clock);
    tailers.add(t);
    poll(t, 1);
    assertEquals(expected(0, 2), uids);
    assertEquals(1, registry.get("flowsentry.zeek.parse.errors").counter().count());
    assertEquals(3, registry.get("flowsentry.zeek.lines").counter().count());
  }
}
