package io.flowsentry.collector.zeek.replay;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.ZeekLogReader;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.flowsentry.collector.zeek.dns.DnsLogLines;
import io.flowsentry.collector.zeek.tail.BadLineLog;
import io.flowsentry.collector.zeek.tail.LogLines;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The offline {@code replay} of a capture's conn.log and dns.log files together. Live, Zeek
 * writes a DNS answer when it arrives and a connection when it ends, so the answer is learned
 * before the connection it led to is analyzed; offline both files exist at once, and reading
 * one after the other would teach every answer of the day before the first connection (the
 * passive DNS table keeps the newest answers of a name and drops expired ones as time goes on).
 * So the two are read side by side, each in its own files' order, and handed over in event time:
 * an answer before a connection with the same {@code ts}. conn.log is not quite sorted (a line
 * is written when its connection ends); its lines keep their file order.
 *
 * <p>Each kind is read on its own thread into a small bounded queue of batches, so memory stays
 * bounded however long the files. Without dns.log files the conn.log files are read on the
 * calling thread, as before.
 */
public final class ZeekReplay {
  private static final int BATCH = 1024;
  private static final int BATCHES_QUEUED = 4;

  /** What the files gave: events handed over, answered queries learned, bad lines skipped. */
  public record Summary(long events, long answers, long badLines) {}

  private final EventHandler events;
  private final Consumer<DnsAnswers> answers;
  private final boolean keepRaw;
  private final Clock clock;

  /**
   * @param events receives the conn.log events
   * @param answers receives every answered dns.log query (the passive DNS table)
   * @param keepRaw whether events carry every column in {@code raw}
   * @param clock paces the bad-line reports
   */
  public ZeekReplay(EventHandler events, Consumer<DnsAnswers> answers, boolean keepRaw, Clock clock) {
    this.events = events;
    this.answers = answers;
    this.keepRaw = keepRaw;
    this.clock = clock;
  }

  /**
   * Reads every file to its end.
   *
   * @param connFile told the index in {@code conn} of the conn.log file being read (progress)
   * @throws IOException naming the file that could not be read
   */
  public Summary read(List<Path> conn, List<Path> dns, IntConsumer connFile) throws IOException {
    if (dns.isEmpty()) {
      Counts c = readConn(conn, events, connFile);
      return new Summary(c.items, 0, c.badLines);
    }
    Stream connStream = new Stream("conn", sink -> readConn(conn, sink::add, connFile));
    Stream dnsStream = new Stream("dns", sink -> readDns(dns, sink::add));
    try {
      while (true) {
        Object c = connStream.peek();
        Object d = dnsStream.peek();
        if (c == null && d == null) break;
        if (d != null && (c == null || ((DnsAnswers) d).tsMicros() <= ((ConnectionEvent) c).tsMicros())) {
          answers.accept((DnsAnswers) dnsStream.take());
        } else {
          events.onEvent((ConnectionEvent) connStream.take());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("replay interrupted", e);
    } finally {
      connStream.stop();
      dnsStream.stop();
    }
    return new Summary(connStream.counts.items, dnsStream.counts.items, connStream.counts.badLines + dnsStream.counts.badLines);
  }

  private record Counts(long items, long badLines) {}

  private interface Reader {
    Counts read(Batcher sink) throws IOException;
  }

  private Counts readConn(List<Path> files, EventHandler handler, IntConsumer connFile) throws IOException {
    ZeekLogReader reader = new ZeekLogReader(handler, keepRaw, clock);
    long n = 0, badLines = 0;
    for (int i = 0; i < files.size(); i++) {
      connFile.accept(i);
      ZeekLogReader.FileSummary s;
      try {
        s = reader.read(files.get(i));
      } catch (IOException e) {
        throw new IOException(files.get(i) + ": " + e.getMessage(), e);
      }
      n += s.events();
      badLines += s.badLines();
    }
    return new Counts(n, badLines);
  }

  private Counts readDns(List<Path> files, Consumer<DnsAnswers> sink) throws IOException {
    BadLineLog bad = new BadLineLog(clock);
    long[] n = {0};
    long badLines = 0;
    for (Path f : files) {
      // dns.log lines make no events: the parser hands their answers on while the line is read
      LogLines lines = new LogLines(f.toString(), e -> { }, bad::report, 0, DnsLogLines.into(a -> {
        n[0]++;
        sink.accept(a);
      }));
      try {
        ZeekLogReader.read(f, lines, l -> { });
      } catch (IOException e) {
        throw new IOException(f + ": " + e.getMessage(), e);
      }
      badLines += lines.badLines();
    }
    return new Counts(n[0], badLines);
  }

  /** Collects a reader's items into batches for the merging thread; blocks while the queue is full. */
  private static final class Batcher {
    private final BlockingQueue<Object> queue;
    private List<Object> batch = new ArrayList<>(BATCH);

    Batcher(BlockingQueue<Object> queue) {
      this.queue = queue;
    }

    void add(Object item) {
      batch.add(item);
      if (batch.size() == BATCH) flush();
    }

    void flush() {
      if (batch.isEmpty()) return;
      try {
        queue.put(batch);
      } catch (InterruptedException e) {
        throw new Stopped(); // the merge ended (a failure elsewhere): unwind the reader
      }
      batch = new ArrayList<>(BATCH);
    }
  }

  /** Unwinds a reader whose merge stopped taking its items. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  /** The end of a reader's items: what it read, or why it could not. */
  private record End(Counts counts, IOException failure) {}

  /** One reader on its own thread and the merging side's view of its items. */
  private static final class Stream {
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES_QUEUED);
    private final Thread thread;
    private List<?> batch = List.of();
    private int next;
    private boolean ended;
    Counts counts = new Counts(0, 0);

    Stream(String kind, Reader reader) {
      thread = Thread.ofPlatform().name("flowsentry-replay-" + kind).daemon(true).start(() -> {
        Batcher sink = new Batcher(queue);
        End end;
        try {
          Counts c = reader.read(sink);
          sink.flush();
          end = new End(c, null);
        } catch (IOException e) {
          end = new End(null, e);
        } catch (Stopped e) {
          return;
        }
        try {
          queue.put(end);
        } catch (InterruptedException e) {
          // the merge ended first: nobody waits for the end
        }
      });
    }

    /** The next item without taking it; null once the reader's items are all taken. */
    Object peek() throws IOException, InterruptedException {
      while (!ended && next == batch.size()) {
        Object o = queue.take();
        if (o instanceof End end) {
          if (end.failure() != null) throw end.failure();
          counts = end.counts();
          ended = true;
        } else {
          batch = (List<?>) o;
          next = 0;
        }
      }
      return ended ? null : batch.get(next);
    }

    Object take() {
      return batch.get(next++);
    }

    void stop() {
      thread.interrupt();
    }
  }
}
