package io.flowsentry.analyzer.alarm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code outputs.rotate} for one writer of alarm logs: when a file is due (by size or at a new
 * wall-clock interval) and how it is moved aside ({@code <name>.<yyyyMMdd-HHmmss>} UTC, the
 * oldest beyond {@code keep} deleted). The single node's log files and the cluster's alarm
 * writer both rotate with it, so their rotated files look alike.
 */
public final class Rotation {
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final int SUFFIX_LENGTH = "yyyyMMdd-HHmmss".length();

  private final RotateConfig config;
  private final Clock clock;
  private final long maxSize;
  private final long intervalMillis;

  public Rotation(RotateConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.maxSize = config.maxSizeBytes();
    this.intervalMillis = config.intervalDuration().toMillis();
  }

  /** The wall-clock interval now (0 without an interval): a file opened in another one is due. */
  public long periodNow() {
    return intervalMillis == 0 ? 0 : Math.floorDiv(clock.millis(), intervalMillis);
  }

  /** Whether a file of {@code size} bytes, opened in {@code openedPeriod}, is moved aside before {@code nextWrite} more. */
  public boolean due(long size, long nextWrite, long openedPeriod) {
    if (size == 0) return false;
    if (maxSize > 0 && size + nextWrite > maxSize) return true;
    return intervalMillis > 0 && periodNow() != openedPeriod;
  }

  /** Renames the (closed) file aside and deletes the oldest rotations beyond {@code keep}; returns the new name. */
  public Path moveAside(Path path) throws IOException {
    String base = path.getFileName() + "." + SUFFIX.format(clock.instant());
    List<Path> rotated = rotations(path);
    // after the others of the same second, also when the oldest of them were deleted already
    long n = -1;
    for (Path p : rotated) {
      String name = p.getFileName().toString();
      if (name.equals(base) || name.startsWith(base + ".")) n = Math.max(n, number(name, base.length()));
    }
    Path target = path.resolveSibling(n < 0 ? base : base + "." + (n + 1));
    Files.move(path, target);
    rotated.add(target);
    if (config.keep() > 0) {
      for (int i = 0; i < rotated.size() - config.keep(); i++) Files.deleteIfExists(rotated.get(i));
    }
    return target;
  }

  /** The most recent file {@link #moveAside} made of {@code path}, if any is left. */
  public Optional<Path> newest(Path path) throws IOException {
    List<Path> rotated = rotations(path);
    return rotated.isEmpty() ? Optional.empty() : Optional.of(rotated.get(rotated.size() - 1));
  }

  /** Oldest first: by the UTC timestamp in the name, then by the number of a second's later files ({@code .1}, {@code .2}, ...). */
  private static List<Path> rotations(Path path) throws IOException {
    String prefix = path.getFileName() + ".";
    int stamp = prefix.length() + SUFFIX_LENGTH;
    List<Path> rotated = new ArrayList<>();
    try (Stream<Path> files = Files.list(path.toAbsolutePath().getParent())) {
      files.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(rotated::add);
    }
    rotated.sort(Comparator.comparing((Path p) -> head(p.getFileName().toString(), stamp))
        .thenComparingLong(p -> number(p.getFileName().toString(), stamp)));
    return rotated;
  }

  private static String head(String name, int length) {
    return name.length() <= length ? name : name.substring(0, length);
  }

  /** The {@code .n} after the timestamp ending at {@code at}: 0 for none, or for a name that is not one of ours. */
  private static long number(String name, int at) {
    if (name.length() <= at + 1 || name.charAt(at) != '.') return 0;
    try {
      return Long.parseLong(name.substring(at + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
