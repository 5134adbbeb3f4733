package io.flowsentry.app.cli;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.alarm.OutputsConfig.EventsConfig;
import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.app.sink.EventsSink;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.replay.ZeekLogKind;
import io.flowsentry.collector.zeek.replay.ZeekReplay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Offline analysis of conn.log files through the live pipeline: same policies, event-time
 * suppression, alarm outputs and events sink. dns.log files among the FILEs (told by their
 * {@code #path}, see {@link ZeekLogKind}) feed the passive DNS table, read side by side with the
 * conn.log files in event time ({@link ZeekReplay}), so {@code resp_name} and
 * {@code allowed_domains} work as they did live. Suppression starts empty (a private state
 * folder), so the output is what a live run over the same lines from a fresh start writes; the
 * alarm queue blocks instead of dropping, so none is lost however fast the files are read.
 *
 * <p>The alarm logs (and an events file) go to a new folder per replay, not to the configured
 * {@code log_dir}: that is where a running daemon writes, and last week's alarms appended to
 * today's alarms.log would look live to everything that reads it. {@code --log-dir} chooses.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Analyze Zeek conn.log files offline through the live pipeline, then print a summary.",
        "Files are plain or .gz, TSV or JSON, read in the order given.",
        "dns.log files among them (by their #path header, a JSON _path field, or a name starting with dns.)"
            + " teach the names hosts resolved, read alongside the conn.log files in time order,"
            + " for resp_name and allowed_domains.",
        "The alarm logs go to a new folder (var/replay/<UTC time>/, or --log-dir), never into a running daemon's logs."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:replayed (bad lines, if any, are counted in the summary)", "1:a file could not be read",
        "3:invalid configuration"})
final class ReplayCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "conn.log files, replayed in this order, and the same capture's dns.log files, if any.")
  List<Path> files;

  @Option(names = "--log-dir", paramLabel = "DIR",
      description = "Write the alarm logs (and the events file, if one is configured) here"
          + " (default: a new folder var/replay/<UTC time>/, so a replay never writes into a running daemon's logs).")
  Path logDir;

  /** Parent of the default folders; a field so that tests keep them out of the working directory. */
  Path replayRoot = Path.of("var", "replay");
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    FlowsentryConfig c;
    try {
      c = config.load();
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return ExitCodes.INVALID_CONFIG;
    }
    List<Path> conn = new ArrayList<>();
    List<Path> dns = new ArrayList<>();
    for (Path f : files) {
      try {
        (ZeekLogKind.of(f) == ZeekLogKind.DNS ? dns : conn).add(f);
      } catch (IOException e) {
        err.println("replay: cannot read " + f);
        return ExitCodes.FAILURE;
      }
    }
    Path outDir;
    try {
      outDir = logDir != null ? Files.createDirectories(logDir) : RunFolder.create(replayRoot, clock);
    } catch (IOException e) {
      err.println("replay: cannot create the output folder " + (logDir != null ? logDir : replayRoot) + ": " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    OutputsConfig outputs = into(c.outputs(), outDir);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String eventsPath = outputs.events().path();
    boolean raw = outputs.events().raw();
    // no state folder: suppression starts empty, as in a live run from a fresh start
    AnalysisEngine engine = new AnalysisEngine(c.site(), c.policies(), outputs, null,
        AlarmWriter.Overflow.BLOCK, clock, registry);
    try (EventsSink sink = eventsPath.isEmpty() ? null
        : EventsSink.open(eventsPath, raw, c.site().communityId(), engine.passiveDns()::nameFor)) {
      LongAdder seen = new LongAdder();
      EventHandler events = e -> {
        seen.increment();
        engine.onEvent(e);
        if (sink != null) sink.onEvent(e);
      };
      Progress progress = new Progress(conn, seen, System.console() != null && !conn.isEmpty() ? err : null);
      ZeekReplay.Summary read;
      try {
        read = new ZeekReplay(events, engine.passiveDns()::learn, raw, clock).read(conn, dns, progress::file);
      } catch (IOException e) {
        err.println("replay: " + e.getMessage());
        return ExitCodes.FAILURE;
      } finally {
        progress.done();
        engine.close();
      }
      long badLines = read.badLines();
      PrintWriter out = spec.commandLine().getOut();
      out.print(engine.summary(badLines).format());
      if (!dns.isEmpty()) out.println("dns.log answers learned: " + read.answers());
      out.println("alarms written to " + outDir.toAbsolutePath());
      if (writesEventsFile(outputs)) out.println("events written to " + Path.of(eventsPath).toAbsolutePath());
      out.flush();
      return ExitCodes.OK;
    }
  }

  /**
   * The configured outputs with the alarm logs, and an events file under its own name, in
   * {@code dir}; no syslog or webhook delivery, for the reason the logs go to a folder of their
   * own: last week's alarms must not reach the SIEM or a chat channel as if they were live.
   */
  private static OutputsConfig into(OutputsConfig o, Path dir) {
    EventsConfig events = writesEventsFile(o)
        ? new EventsConfig(dir.resolve(Path.of(o.events().path()).getFileName()).toString(), o.events().raw())
        : o.events();
    return new OutputsConfig(dir.toString(), o.rotate(), o.fsync(), o.queueCapacity(), events, null, null, o.alarmLineNames());
  }

  /** An events sink to a file (not off, not "-" for standard output). */
  private static boolean writesEventsFile(OutputsConfig o) {
    String path = o.events().path();
    return !path.isEmpty() && !"-".equals(path);
  }

  /** A one-line progress bar on a terminal, redrawn twice a second; silent when not a terminal. */
  private static final class Progress {
    private final List<Path> files;
    private final LongAdder events;
    private final PrintWriter term;
    volatile int current;
    private final Thread painter;

    Progress(List<Path> files, LongAdder events, PrintWriter term) {
      this.files = files;
      this.events = events;
      this.term = term;
      this.painter = term == null ? null : Thread.ofVirtual().start(this::paintLoop);
    }

    void file(int index) {
      current = index;
    }

    private void paintLoop() {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          paint();
          Thread.sleep(500);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void paint() {
      int width = 30;
      int filled = files.isEmpty() ? width : (int) ((long) width * current / files.size());
      term.printf("\r[%s%s] file %d/%d %s: %,d events ", "#".repeat(filled), ".".repeat(width - filled),
          current + 1, files.size(), files.get(current).getFileName(), events.sum());
      term.flush();
    }

    void done() {
      if (painter == null) return;
      painter.interrupt();
      try {
        painter.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      term.print("\r" + " ".repeat(100) + "\r");
      term.flush();
    }
  }
}
