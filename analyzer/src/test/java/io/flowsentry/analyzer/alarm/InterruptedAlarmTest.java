package io.flowsentry.analyzer.alarm;

import static io.flowsentry.analyzer.core.TestEvents.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.analyzer.suppress.SuppressionJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} between two appends of one alarm: the restarted writer finishes that alarm (the
 * files that lack its line get it, its key reaches the journal) and touches nothing else. The
 * interruption is recreated exactly: a complete run writes the alarm, then the files are cut back
 * to what they held at the chosen point and the pending file is put back as it was.
 */
class InterruptedAlarmTest {
  @TempDir Path dir;

  private static final List<String> FILES = List.of("alarms.log", "p1.log", "notice.log");

  private static Alarm alarm(double ts) {
    return new Alarm("p1", "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection",
        tcp(ts, "192.168.4.7", "203.0.113.9", 443), Duration.ofSeconds(60), null);
  }

  private AlarmWriter writer(Path logDir) {
    return new AlarmWriter(OutputsConfig.defaults(), logDir, dir.resolve("state").resolve(SuppressionJournal.FILE_NAME),
        Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, new SimpleMeterRegistry());
  }

  /** Writes two alarms, keeps the pending file of the second, and returns every file's content. */
  private record Written(List<byte[]> logs, byte[] journal, byte[] pendingOfSecond) {}

  private Written writeTwo(Path logDir) throws Exception {
    Path pending = dir.resolve("state").resolve(PendingAlarmFile.FILE_NAME);
    AlarmWriter w = writer(logDir);
    w.submit(alarm(1000));
    w.submit(alarm(1001));
    w.flush();
    byte[] saved = Files.readAllBytes(pending); // the second alarm, still saved until a reopen or close
    List<byte[]> logs = FILES.stream().map(f -> read(logDir.resolve(f))).toList();
    byte[] journal = Files.readAllBytes(dir.resolve("state").resolve(SuppressionJournal.FILE_NAME));
    w.close();
    assertEquals(0, Files.size(pending), "a clean close forgets the saved alarm");
    return new Written(logs, journal, saved);
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file cut back to before its last line. */
  private static void dropLastLine(Path p) throws Exception {
    String text = Files.readString(p);
    int cut = text.lastIndexOf('\n', text.length() - 2) + 1;
    Files.writeString(p, text.substring(0, cut));
  }

  @Test
  void killedAfterTheFirstFileTheRestartAddsTheMissingLinesAndTheKey() throws Exception {
    Path logDir = dir.resolve("log");
    Written w = writeTwo(logDir);
    // killed after alarms.log got the second alarm: p1.log and notice.log lack it, and so does the journal
    dropLastLine(logDir.resolve("p1.log"));
    dropLastLine(logDir.resolve("notice.log"));
    Path journal = dir.resolve("state").resolve(SuppressionJournal.FILE_NAME);
    dropLastLine(journal);
    Files.write(dir.resolve("state").resolve(PendingAlarmFile.FILE_NAME), w.pendingOfSecond());

    writer(logDir).close();

    for (int i = 0; i < FILES.size(); i++) {
      assertEquals(new String(w.logs().get(i), StandardCharsets.UTF_8), Files.readString(logDir.resolve(FILES.get(i))),
          FILES.get(i) + ": every line once");
    }
    assertEquals(new String(w.journal(), StandardCharsets.UTF_8), Files.readString(journal), "the key journaled");
  }

  @Test
  void killedAfterEveryLineButBeforeTheJournalOnlyTheKeyIsAdded() throws Exception {
    Path logDir = dir.resolve("log");
    Written w = writeTwo(logDir);
    Path journal = dir.resolve("state").resolve(SuppressionJournal.FILE_NAME);
    dropLastLine(journal);
    Files.write(dir.resolve("state").resolve(PendingAlarmFile.FILE_NAME), w.pendingOfSecond());

    writer(logDir).close();

    for (int i = 0; i < FILES.size(); i++) {
      assertEquals(new String(w.logs().get(i), StandardCharsets.UTF_8), Files.readString(logDir.resolve(FILES.get(i))));
    }
    assertEquals(new String(w.journal(), StandardCharsets.UTF_8), Files.readString(journal));
  }

  @Test
  void aTornSaveMeansNothingWasWrittenAndNothingIsAdded() throws Exception {
    Path logDir = dir.resolve("log");
    Written w = writeTwo(logDir);
    for (String f : FILES) dropLastLine(logDir.resolve(f));
    Path journal = dir.resolve("state").resolve(SuppressionJournal.FILE_NAME);
    dropLastLine(journal);
    String journalBefore = Files.readString(journal);
    byte[] torn = java.util.Arrays.copyOf(w.pendingOfSecond(), w.pendingOfSecond().length - 7);
    Files.write(dir.resolve("state").resolve(PendingAlarmFile.FILE_NAME), torn);

    writer(logDir).close();

    assertEquals(1, Files.readAllLines(logDir.resolve("alarms.log")).size(), "only the first alarm");
    assertEquals(journalBefore, Files.readString(journal));
  }

  @Test
  void afterAReopenAFreshFileDoesNotGetTheLastAlarmAgain() throws Exception {
    Path logDir = dir.resolve("log");
    AlarmWriter w = writer(logDir);
    w.submit(alarm(1000));
    w.flush();
    // logrotate moves the files away, the daemon reopens (SIGHUP), then is killed before another alarm
    for (String f : FILES) Files.move(logDir.resolve(f), logDir.resolve(f + ".1"));
    w.reopen();
    w.flush();
    Path pending = dir.resolve("state").resolve(PendingAlarmFile.FILE_NAME);
    byte[] afterReopen = Files.readAllBytes(pending);
    w.close();
    Files.write(pending, afterReopen, StandardOpenOption.TRUNCATE_EXISTING); // as kill -9 would have left it

    writer(logDir).close();

    for (String f : FILES) assertEquals(0, Files.size(logDir.resolve(f)), f + " stays empty");
  }
}
