package io.flowsentry.analyzer.cli;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.config.ConfigException;
import io.flowsentry.analyzer.config.FlowsentryConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.analyzer.sink.EventsSink;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.ZeekLogReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Offline analysis of conn.log files through the live pipeline: same policies, event-time
 * suppression, alarm outputs and events sink. Suppression starts empty (a private state
 * folder), so the output is what a live run over the same lines from a fresh start writes; the
 * alarm queue blocks instead of dropping, so none is lost however fast the files are read.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Analyze Zeek conn.log files (plain or .gz, TSV or JSON, in the order given) offline,",
        "writing the configured alarm outputs, then print a summary."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:replayed (bad lines, if any, are counted in the summary)", "1:a file could not be read",
        "3:invalid configuration"})
final class ReplayCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "conn.log files, replayed in this order.")
  List<Path> files;

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
    for (Path f : files) {
      if (!Files.isReadable(f)) {
        err.println("replay: cannot read " + f);
        return ExitCodes.FAILURE;
      }
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Clock clock = Clock.systemUTC();
    String eventsPath = c.outputs().events().path();
    boolean raw = c.outputs().events().raw();
    // no state folder: suppression starts empty, as in a live run from a fresh start
    AnalysisEngine engine = new AnalysisEngine(c.site(), c.policies(), c.outputs(), null,
        AlarmWriter.Overflow.BLOCK, clock, registry);
    try (EventsSink sink = eventsPath.isEmpty() ? null
        : EventsSink.open(eventsPath, raw, c.site().communityId(), engine.passiveDns()::nameFor)) {
      LongAdder seen = new LongAdder();
      EventHandler events = e -> {
        seen.increment();
        engine.onEvent(e);
        if (sink != null) sink.onEvent(e);
      };
      ZeekLogReader reader = new ZeekLogReader(events, raw, clock);
      Progress progress = new Progress(files, seen, System.console() != null ? err : null);
      long badLines = 0;
      try {
        for (int i = 0; i < files.size(); i++) {
          progress.file(i);
          badLines += reader.read(files.get(i)).badLines();
        }
      } catch (IOException e) {
        err.println("replay: " + files.get(progress.current) + ": " + e.getMessage());
        return ExitCodes.FAILURE;
      } finally {
        progress.done();
        engine.close();
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(engine.summary(badLines).format());
      out.println("alarms written to " + Path.of(c.outputs().logDir()).toAbsolutePath());
      out.flush();
      return ExitCodes.OK;
    }
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
