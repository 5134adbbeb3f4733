package io.flowsentry.analyzer.suppress;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.event.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves suppression state on a clean shutdown and restores it on start, so a restart does not
 * alarm again on everything that was quiet. Text, one entry per line:
 *
 * <pre>
 * # flowsentry suppression snapshot v1
 * clock 1225743661858791
 * restricted-outgoing	192.168.4.7	203.0.113.9	137	17	1225743661858791
 * </pre>
 *
 * (policy, orig_h, resp_h, resp_p, proto, last sighting in event-time microseconds). The file is
 * written beside its final name, forced to disk and renamed over it, so a crash during the save
 * leaves the previous snapshot.
 */
public final class SuppressionSnapshot {
  public static final String FILE_NAME = "suppression.snapshot";
  private static final Logger log = LoggerFactory.getLogger(SuppressionSnapshot.class);
  private static final String HEADER = "# flowsentry suppression snapshot v1";
  private static final int MAX_BAD_LINES_LOGGED = 5;

  /** Outcome of a restore: entries taken back, dropped as expired or unknown policy, unreadable lines. */
  public record Restored(long restored, long dropped, long badLines, long clockMicros) {}

  private SuppressionSnapshot() {}

  public static void save(Path file, EventTimeTicker ticker, Map<String, SuppressionTable> tables) {
    save(file, ticker, tables, false);
  }

  /** @param durableOnly only keys whose alarm is written (a save while alarms are in flight) */
  public static void save(Path file, EventTimeTicker ticker, Map<String, SuppressionTable> tables, boolean durableOnly) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    sb.append("clock ").append(ticker.nowMicros()).append('\n');
    tables.forEach((policy, table) -> {
      for (SuppressionTable.Entry e : table.entries(durableOnly)) sb.append(entryLine(policy, e.key(), e.lastSeenMicros()));
    });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save suppression snapshot " + file, e);
    }
  }

  /** One entry as the snapshot and the {@link SuppressionJournal} write it, newline included. */
  static String entryLine(String policy, SuppressionKey k, long lastSeenMicros) {
    return policy + '\t' + k.origH() + '\t' + k.respH() + '\t' + k.respP() + '\t' + k.proto() + '\t' + lastSeenMicros + '\n';
  }

  /**
   * The lines of a snapshot (which must start with its header) or a journal; none when the file
   * is missing, or unreadable and moved aside: lost suppression state costs repeated alarms,
   * refusing to start would cost all detection.
   */
  private static List<String> readOrMoveAside(Path file, boolean withHeader) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return List.of();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (withHeader && (lines.isEmpty() || !lines.getFirst().equals(HEADER))) {
        throw new IOException("it does not start with \"" + HEADER + "\"");
      }
      return lines;
    } catch (IOException e) {
      moveAside(file, e);
      return List.of();
    }
  }

  /** Renames an unreadable snapshot (random bytes, a directory) out of the way, so the next save can take its place. */
  private static void moveAside(Path file, IOException why) {
    Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
    try {
      Files.move(file, aside);
    } catch (IOException e) {
      throw new UncheckedIOException("suppression snapshot " + file + " is unreadable (" + why + ") and cannot be moved aside", e);
    }
    log.warn("suppression state {} is unreadable ({}): moved to {}; starting without it, so keys seen before may"
        + " alarm once more", file, why.toString(), aside);
  }

  /**
   * Restores into freshly built tables before any event is seen: each entry keeps its last
   * sighting, and those whose window and {@link SuppressionTable#LATE_ALLOWANCE} ended by the saved
   * clock are dropped; the ticker ends at the saved clock. A missing file restores nothing; an
   * unreadable one (not a snapshot, a directory) is renamed to {@code <name>.unreadable-<millis>}
   * with a warning and restores nothing.
   */
  public static Restored restore(Path file, EventTimeTicker ticker, Map<String, SuppressionTable> tables) {
    return restore(file, null, ticker, tables);
  }

  /**
   * As {@link #restore(Path, EventTimeTicker, Map)}, with the keys of a {@link SuppressionJournal}
   * (alarms written after the snapshot was saved) on top; the event clock ends at the newest of
   * the saved clock and the journal's entries.
   *
   * @param journal null = none
   */
  public static Restored restore(Path file, Path journal, EventTimeTicker ticker, Map<String, SuppressionTable> tables) {
    List<String> lines = new ArrayList<>(readOrMoveAside(file, true));
    if (journal != null) lines.addAll(readOrMoveAside(journal, false));
    record Line(SuppressionTable table, SuppressionKey key, long lastSeen) {}
    long clock = Long.MIN_VALUE;
    long bad = 0, dropped = 0;
    List<Line> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty() || line.startsWith("#")) continue;
      try {
        if (line.startsWith("clock ")) {
          clock = Math.max(clock, Long.parseLong(line.substring(6).strip()));
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 6) throw new IllegalArgumentException(f.length + " fields (expected: 6)");
        SuppressionKey key = new SuppressionKey(IpAddr.parse(f[1]), IpAddr.parse(f[2]),
            Integer.parseInt(f[3]), Integer.parseInt(f[4]));
        SuppressionTable table = tables.get(f[0]);
        long lastSeen = Long.parseLong(f[5]);
        if (table == null) dropped++;
        else entries.add(new Line(table, key, lastSeen));
        if (journal != null) clock = Math.max(clock, lastSeen); // a journal entry is newer than the snapshot's clock
      } catch (IllegalArgumentException e) {
        if (bad++ < MAX_BAD_LINES_LOGGED) log.warn("{} (and journal): line {}: skipping unreadable line: {}", file, i + 1, e.getMessage());
      }
    }
    long restored = 0;
    if (clock != Long.MIN_VALUE) ticker.advanceTo(clock);
    entries.sort(Comparator.comparingLong(Line::lastSeen));
    for (Line l : entries) {
      if (l.lastSeen > clock || SuppressionTable.ended(l.lastSeen, clock, l.table.suppressFor().toNanos() / 1000)) {
        dropped++;
        continue;
      }
      l.table.restore(l.key, l.lastSeen);
      restored++;
    }
    log.info("restored {} suppression entries from {} ({} dropped, {} unreadable lines)", restored, file, dropped, bad);
    return new Restored(restored, dropped, bad, ticker.nowMicros());
  }
}
