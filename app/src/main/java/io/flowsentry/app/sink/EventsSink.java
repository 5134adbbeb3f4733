package io.flowsentry.app.sink;

import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnLogJson;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional events sink (YAML {@code outputs.events}): every event as one line of Zeek
 * conn.log JSON plus flowsentry's keys, appended to a file or written to stdout. It is a
 * debugging and integration aid, so it writes synchronously on the event's thread under one
 * lock; a write failure is logged once and the sink stops rather than stalling the pipeline.
 */
public final class EventsSink implements EventHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventsSink.class);
  private final Writer out;
  private final boolean raw;
  private final CommunityId communityId;
  private final ResponderNames names;
  private final String where;
  private volatile boolean failed;

  private EventsSink(Writer out, boolean raw, CommunityId communityId, ResponderNames names, String where) {
    this.out = out;
    this.raw = raw;
    this.communityId = communityId;
    this.names = names;
    this.where = where;
  }

  /**
   * @param path a file (appended to, parent folders created) or "-" for standard output
   * @param communityId hashes each line's {@code community_id} ({@code site.community_id_seed})
   * @param names each line's {@code resp_name}: what the originator resolved to the responder
   */
  public static EventsSink open(String path, boolean raw, CommunityId communityId, ResponderNames names)
      throws IOException {
    if ("-".equals(path)) {
      return new EventsSink(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16),
          raw, communityId, names, "stdout");
    }
    Path file = Path.of(path);
    if (file.getParent() != null) Files.createDirectories(file.getParent());
    return new EventsSink(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND), raw, communityId, names, file.toString());
  }

  @Override
  public void onEvent(ConnectionEvent event) {
    if (failed) return;
    String line = ConnLogJson.toJson(event, raw, communityId,
        names.nameFor(event.origH(), event.respH(), event.tsMicros()));
    synchronized (this) {
      try {
        out.write(line);
        out.write('\n');
      } catch (IOException e) {
        fail(e);
      }
    }
  }

  /** Pushes buffered lines to the OS; the daemon calls it about once a second. */
  public synchronized void flush() {
    if (failed) return;
    try {
      out.flush();
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(IOException e) {
    failed = true;
    log.error("events sink {}: write failed, no more events are written there: {}", where, e.toString());
  }

  public String where() {
    return where;
  }

  @Override
  public synchronized void close() {
    try {
      out.flush();
      if (!"stdout".equals(where)) out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
