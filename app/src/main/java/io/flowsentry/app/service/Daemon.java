package io.flowsentry.app.service;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.explain.ExplainEndpoint;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.app.metrics.MetricsServer;
import io.flowsentry.app.metrics.MetricsServer.Health;
import io.flowsentry.app.sink.EventsSink;
import io.flowsentry.app.warmup.ReceivePathWarmUp;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.logging.RateLimitedLog;
import io.flowsentry.collector.netflow.template.TemplateStoreMetrics;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.udp.UdpServer;
import io.flowsentry.collector.zeek.ZeekInputConfig;
import io.flowsentry.collector.zeek.dns.DnsLogLines;
import io.flowsentry.collector.zeek.ZeekTailer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: UDP collectors and Zeek tailers feed one analyzer; alarms go to the
 * writer; /metrics serves everything. Owns start-up order (outputs before inputs), reload
 * (policies only; other sections need a restart and say so) and shutdown order (inputs first,
 * then flush and persist).
 */
public final class Daemon implements Service {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);
  /** How often held data, templates and silent exporters are expired (the pending_timeout "+ one sweep"). */
  private static final long SWEEP_SECONDS = 1;

  private final Path configFile;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private volatile FlowsentryConfig config;

  private final List<AutoCloseable> inputs = new ArrayList<>();
  private final List<ZeekTailer> tailers = new ArrayList<>();
  private ScheduledExecutorService housekeeping;
  private AnalysisEngine engine;
  private EventsSink eventsSink;
  private UdpServer udp;
  private MetricsServer metricsServer;
  private boolean closed;
  private final RateLimitedLog persistErrorLog;

  public Daemon(Path configFile, FlowsentryConfig config, PrometheusMeterRegistry registry, Clock clock) {
    this.configFile = configFile;
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.persistErrorLog = new RateLimitedLog(clock, Duration.ofMinutes(1), 1);
  }

  /** Starts outputs, the analyzer, then the inputs; throws (after cleaning up) when any cannot start. */
  public synchronized void start() throws IOException {
    try {
      startOutputsAndAnalyzer();
      EventHandler events = pipeline();
      startZeekInputs(events);
      metricsServer = new MetricsServer(config.metrics().address(), registry, this::health);
      metricsServer.route(ExplainEndpoint.PATH, new ExplainEndpoint(() -> config, engine, clock));
      metricsServer.start();
      log.info("metrics: serving http://{}/metrics, /healthz and /explain (loopback only)", hostPort(metricsServer.address()));
      // the sockets last: once bound, datagrams queue, and nothing else should then compete with
      // the event loops for the CPU (class loading of the tailers and the HTTP server did, and a
      // cold start lost part of its first second to it)
      startNetflow(events);
      log.info("flowsentry running with {} ({} restricted-outgoing policies)", configFile,
          config.policies().restrictedOutgoing().size());
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startOutputsAndAnalyzer() throws IOException {
    Path stateDir = config.stateDirPath();
    try {
      Files.createDirectories(stateDir);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("state_dir " + stateDir.toAbsolutePath() + " is not a directory (" + e.getFile()
          + " is a file); it holds the tail checkpoints and the suppression snapshot", e);
    }
    log.info("state: {} (tail checkpoints, suppression snapshot and journal)", stateDir.toAbsolutePath());
    housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "housekeeping");
      t.setDaemon(true);
      return t;
    });
    engine = new AnalysisEngine(config.site(), config.policies(), config.outputs(), stateDir,
        AlarmWriter.Overflow.DROP, clock, registry);
    persistPeriodically();
    log.info("alarms: {} (alarms.log, <policy>.log, notice.log)", Path.of(config.outputs().logDir()).toAbsolutePath());
    String eventsPath = config.outputs().events().path();
    if (!eventsPath.isEmpty()) {
      eventsSink = EventsSink.open(eventsPath, config.outputs().events().raw(), config.site().communityId(),
          engine.passiveDns()::nameFor);
      housekeeping.scheduleWithFixedDelay(eventsSink::flush, 1, 1, TimeUnit.SECONDS);
      log.info("events: {} (Zeek conn.log JSON{})", eventsSink.where(), config.outputs().events().raw() ? ", raw elements" : "");
    }
  }

  private EventHandler pipeline() {
    if (eventsSink == null) return engine;
    return new AnalyzedAndSunk(engine, eventsSink);
  }

  /** Every event to the analyzer and then the events sink; the sink wants every flow, so nothing is skipped. */
  private record AnalyzedAndSunk(AnalysisEngine engine, EventsSink sink) implements EventHandler {
    @Override
    public void onEvent(ConnectionEvent e) {
      engine.onEvent(e);
      sink.onEvent(e);
    }

    @Override
    public void persist() throws IOException {
      engine.persist();
    }
  }

  /** Alarms and suppression state of NetFlow events are made durable every second, like those of Zeek lines before each checkpoint. */
  private void persistPeriodically() {
    housekeeping.scheduleWithFixedDelay(() -> {
      try {
        engine.persist();
      } catch (IOException | RuntimeException e) {
        long notShown = persistErrorLog.permit(0);
        if (notShown >= 0) {
          log.error("cannot save the suppression snapshot in {}: {}{}", config.stateDirPath(), e.toString(),
              notShown > 0 ? " (" + notShown + " more failures in the last minute)" : "");
        }
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  /** Every decoded element travels with the event only when the events sink wants it. */
  private boolean rawElements() {
    return eventsSink != null && config.outputs().events().raw();
  }

  private void startNetflow(EventHandler events) throws IOException {
    boolean raw = rawElements();
    var netflow = config.inputs().netflow();
    if (!netflow.listen().isEmpty()) {
      NetflowPipeline pipeline = NetflowPipeline.collector(netflow, raw, events, registry, clock);
      TemplateStoreMetrics.bind(pipeline.templateStores(), registry, housekeeping);
      housekeeping.scheduleWithFixedDelay(() -> sweep(pipeline), SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
      warmUp(netflow, events, raw);
      udp = new UdpServer(netflow, pipeline.collector(), registry);
      udp.start();
      inputs.add(udp);
      for (var a : udp.boundAddresses()) log.info("netflow: listening on udp {} (v5, v9, IPFIX; {})", hostPort(a), udp.transport());
    }
  }

  private void startZeekInputs(EventHandler events) throws IOException {
    boolean raw = rawElements();
    for (ZeekInputConfig z : config.inputs().zeek()) {
      ZeekTailer tailer = new ZeekTailer(z, config.stateDirPath(), events, registry, clock, raw);
      tailer.start();
      inputs.add(tailer);
      tailers.add(tailer);
      if (!z.isGlob() && !Files.exists(Path.of(z.path()))) {
        // a typo or a Zeek not yet started look the same from here; say so instead of "following"
        log.warn("zeek: {} does not exist; waiting for it (read from its beginning when it appears)", z.path());
      } else {
        log.info("zeek: following {} (start at {}{})", z.path(), z.startAt(), z.backfill() ? ", backfilling rotated archives" : "");
      }
    }
    for (ZeekInputConfig z : config.inputs().zeekDns()) {
      // dns.log lines make no events: the tailer's parser hands their answers to the passive DNS table
      ZeekTailer tailer = new ZeekTailer(z, config.stateDirPath(), events, registry, clock,
          DnsLogLines.into(engine.passiveDns()::learn));
      tailer.start();
      inputs.add(tailer);
      tailers.add(tailer);
      log.info("zeek dns: following {} for resp_name (start at {})", z.path(), z.startAt());
    }
  }

  /** Compiles the receive path on synthetic datagrams before the real sockets exist (nothing of it is counted). */
  private void warmUp(UdpInputConfig netflow, EventHandler events, boolean raw) throws IOException {
    if (netflow.warmUpDuration().isZero()) return;
    log.info("netflow: warming up the receive path on a loopback socket of its own (inputs.netflow.warm_up: {})", netflow.warmUp());
    ReceivePathWarmUp.Result r = ReceivePathWarmUp.run(netflow, events,
        (discarding, throwaway) -> NetflowPipeline.collector(netflow, raw, discarding, throwaway, clock).collector());
    log.info("netflow: warmed up on {} synthetic datagrams (v5, v9, IPFIX) in {} ms{}", r.datagramsHandled(), r.took().toMillis(),
        r.compilerQuiet() ? "" : " (warm_up " + netflow.warmUp() + " ended before the JIT compiler was done)");
  }

  /** A failing sweep must not end the schedule (the executor would drop it silently). */
  private void sweep(NetflowPipeline pipeline) {
    try {
      pipeline.sweep(clock.millis());
    } catch (RuntimeException e) {
      log.error("netflow: expiring held data, templates and silent exporters failed (a bug)", e);
    }
  }

  /** Where the NetFlow/IPFIX sockets are bound (the real ports when the configuration says 0). */
  public synchronized List<InetSocketAddress> netflowAddresses() {
    return udp == null ? List.of() : udp.boundAddresses();
  }

  /** Where /metrics and /healthz are served (the real port when the configuration says 0). */
  public synchronized InetSocketAddress metricsAddress() {
    return metricsServer.address();
  }

  /**
   * /healthz: a line per input, then every problem, one a line: an input or the alarm writer
   * that stopped, alarms that cannot be written, NetFlow sockets not bound yet (warm-up). Healthy when there is no problem. A Zeek path
   * with no file yet is shown as waiting but is no problem: the process works and follows the
   * file once Zeek writes it, and a restart (what an orchestrator does on 503) would not make
   * the file appear. (Any other internal thread that dies ends the process: see
   * {@code DieOnDeadThread}.)
   */
  private Health health() {
    List<String> status = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (udp == null && !config.inputs().netflow().listen().isEmpty()) {
      // for at most warm_up, before the sockets are bound: not ready, since a datagram sent now is lost
      status.add("netflow: warming up");
      problems.add("netflow: warming up, not receiving yet");
    } else if (udp != null) {
      boolean up = !udp.boundAddresses().isEmpty();
      status.add("netflow: " + (up ? "receiving" : "not bound"));
      if (!up) problems.add("netflow: not bound");
    }
    for (ZeekTailer t : tailers) {
      boolean up = t.isRunning();
      status.add("zeek " + t.path() + ": " + (!up ? "stopped" : isWaiting(t) ? "waiting for " + t.path() : "following"));
      if (!up) problems.add("zeek " + t.path() + ": stopped");
    }
    problems.addAll(engine.analyzer().problems());
    StringBuilder detail = new StringBuilder(problems.isEmpty() ? "ok\n" : "unhealthy\n");
    status.forEach(line -> detail.append(line).append('\n'));
    problems.forEach(p -> detail.append("problem: ").append(p).append('\n'));
    return new Health(problems.isEmpty(), detail.toString());
  }

  /** No file open for the path (it does not exist yet, or a glob matches nothing). */
  private boolean isWaiting(ZeekTailer t) {
    Gauge open = registry.find("flowsentry.zeek.files.followed").tag("file", t.path()).gauge();
    return open != null && open.value() == 0;
  }

  /**
   * Re-reads the configuration file. Policies, exception lists and site networks switch
   * atomically with suppression state kept; an invalid file changes nothing. Sections that
   * need sockets or files re-opened are reported as needing a restart.
   *
   * @return the problems that stopped the reload, empty when it took effect
   */
  public synchronized List<String> reload() {
    FlowsentryConfig next;
    try {
      next = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      log.error("configuration not reloaded, the running one stays:\n  {}", String.join("\n  ", e.problems()));
      return e.problems();
    }
    engine.reload(next.site(), next.policies());
    engine.reopen();
    for (String section : restartOnlyChanges(config, next)) {
      log.warn("configuration: {} changed; it takes effect at the next restart", section);
    }
    config = new FlowsentryConfig(config.inputs(), next.site(), next.policies(), config.outputs(),
        config.stateDir(), config.metrics(), config.cluster());
    log.info("configuration reloaded from {} ({} restricted-outgoing policies)", configFile,
        next.policies().restrictedOutgoing().size());
    return List.of();
  }

  private static List<String> restartOnlyChanges(FlowsentryConfig now, FlowsentryConfig next) {
    List<String> changed = new ArrayList<>();
    if (!Objects.equals(now.inputs(), next.inputs())) changed.add("inputs");
    if (!Objects.equals(now.outputs(), next.outputs())) changed.add("outputs");
    if (!Objects.equals(now.stateDir(), next.stateDir())) changed.add("state_dir");
    if (!Objects.equals(now.metrics(), next.metrics())) changed.add("metrics");
    if (!Objects.equals(now.cluster(), next.cluster())) changed.add("cluster");
    if (!Objects.equals(now.site().dns(), next.site().dns())) changed.add("site.dns");
    return changed;
  }

  /**
   * Stops receiving, lets in-flight work finish, flushes alarms and events, writes checkpoints
   * and the suppression snapshot. Safe to call more than once.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    for (int i = inputs.size() - 1; i >= 0; i--) closeQuietly(inputs.get(i), "input");
    if (engine != null) closeQuietly(engine, "analyzer");
    if (eventsSink != null) closeQuietly(eventsSink, "events sink");
    if (housekeeping != null) housekeeping.shutdownNow();
    if (metricsServer != null) metricsServer.close();
    log.info("flowsentry stopped");
  }

  private static void closeQuietly(AutoCloseable c, String what) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("closing {}: {}", what, e.toString());
    }
  }

  static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
