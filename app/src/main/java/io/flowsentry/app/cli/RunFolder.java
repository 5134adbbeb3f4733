package io.flowsentry.app.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A new, empty folder per offline run, named by the UTC second it started
 * ({@code var/replay/2026-12-01T21-40-05Z}, no colons so that scp and tar take it), so that
 * one run never appends to another's files. Runs started within the same second get
 * {@code -2}, {@code -3}, …: the folder is created atomically, so two runs never share one.
 */
final class RunFolder {
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);
  /** Runs per second before giving up: more means a loop gone wrong, not an operator. */
  static final int MAX_PER_SECOND = 100;

  private RunFolder() {}

  static Path create(Path parent, Clock clock) throws IOException {
    Files.createDirectories(parent);
    String name = NAME.format(clock.instant());
    for (int n = 1; n <= MAX_PER_SECOND; n++) {
      try {
        return Files.createDirectory(parent.resolve(n == 1 ? name : name + "-" + n));
      } catch (FileAlreadyExistsException e) {
        // another run started within this second: try the next suffix
      }
    }
    throw new IOException(parent + ": " + MAX_PER_SECOND + " run folders named " + name + " already exist");
  }
}
