package io.flowsentry.app.cli;

import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.metrics.Registries;
import io.flowsentry.app.roles.ClusterNode;
import io.flowsentry.app.roles.Role;
import io.flowsentry.app.service.Daemon;
import io.flowsentry.app.service.DieOnDeadThread;
import io.flowsentry.app.service.Service;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Run the daemon: NetFlow/IPFIX collectors, Zeek tailers, policies, alarm logs, /metrics.",
        "With --role (and a cluster.kafka section), run that part of a cluster instead.",
        "SIGHUP reloads the configuration and reopens the alarm logs; SIGTERM/SIGINT stop cleanly."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped by SIGTERM/SIGINT after a clean shutdown",
        "1:could not start (e.g. a port in use), or an internal thread died",
        "3:invalid configuration; also the JVM's status when memory ran out (-XX:+ExitOnOutOfMemoryError)"})
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  /** A shutdown that takes longer than this is stuck; the process then exits non-zero. */
  static final long SHUTDOWN_BOUND_SECONDS = 20;

  @Mixin ConfigOption config;

  @Option(names = "--role", paramLabel = "ROLE[,ROLE...]",
      description = "collector, analyzer and/or alarm-writer (a comma list): the parts of a cluster this process runs;"
          + " needs cluster.kafka. Without it, the single-node daemon.")
  String roles;

  @Override
  public Integer call() throws InterruptedException {
    FlowsentryConfig c;
    try {
      c = config.load();
    } catch (ConfigException e) {
      e.problems().forEach(log::error);
      return ExitCodes.INVALID_CONFIG;
    }
    List<String> heap = heapProblems(c);
    if (!heap.isEmpty()) {
      heap.forEach(p -> log.error("{}: {}", config.path(), p));
      return ExitCodes.INVALID_CONFIG;
    }
    if (roles != null || c.cluster().enabled()) return runRoles(c);
    DieOnDeadThread.install(ExitCodes.FAILURE);
    Daemon daemon = new Daemon(config.path(), c, Registries.prometheus(), Clock.systemUTC());
    // before start: once the daemon answers /healthz or says it runs, a SIGHUP must reload it
    // rather than meet the JVM's default handler, which would end the process
    CountDownLatch stop = handleSignals(daemon);
    try {
      daemon.start();
    } catch (IOException | RuntimeException e) {
      log.error("flowsentry could not start: {}", e.getMessage());
      return ExitCodes.FAILURE;
    }
    awaitStop(stop);
    return stopWithin(daemon, SHUTDOWN_BOUND_SECONDS);
  }

  /** {@code run --role}: the cluster roles this process holds; bad role/cluster combinations are configuration errors. */
  private int runRoles(FlowsentryConfig c) throws InterruptedException {
    Set<Role> parsed;
    try {
      if (roles == null) {
        log.error("{}: cluster.kafka is configured: run needs --role ({})", config.path(), Role.EXPECTED);
        return ExitCodes.INVALID_CONFIG;
      }
      parsed = Role.parseList(roles);
    } catch (IllegalArgumentException e) {
      log.error("{}: {}", config.path(), e.getMessage());
      return ExitCodes.INVALID_CONFIG;
    }
    List<String> problems = ClusterNode.problems(parsed, c);
    if (!problems.isEmpty()) {
      problems.forEach(p -> log.error("{}: {}", config.path(), p));
      return ExitCodes.INVALID_CONFIG;
    }
    DieOnDeadThread.install(ExitCodes.FAILURE);
    ClusterNode node = new ClusterNode(config.path(), c, parsed, Registries.prometheus(), Clock.systemUTC());
    CountDownLatch stop = handleSignals(node);
    try {
      node.start();
    } catch (IOException | RuntimeException e) {
      log.error("flowsentry could not start: {}", e.getMessage());
      return ExitCodes.FAILURE;
    }
    awaitStop(stop);
    return stopWithin(node, SHUTDOWN_BOUND_SECONDS);
  }

  /**
   * The collector's limits against this JVM's maximum heap: limits whose worst case the heap
   * cannot hold would end in an OutOfMemoryError under a flood, so they stop start-up instead.
   */
  static List<String> heapProblems(FlowsentryConfig c) {
    return heapProblems(c, Runtime.getRuntime().maxMemory());
  }

  /**
   * The collector's limits may claim half the heap, the passive DNS table (when dns.log is
   * followed) a quarter: the rest is for everything unbounded by configuration (buffers, code).
   */
  static List<String> heapProblems(FlowsentryConfig c, long maxHeap) {
    List<String> problems = new ArrayList<>();
    var netflow = c.inputs().netflow();
    if (!netflow.listen().isEmpty()) problems.addAll(netflow.limits().checkHeap("inputs.netflow.limits", maxHeap));
    if (!c.inputs().zeekDns().isEmpty()) {
      long table = c.site().passiveDns().maxMemoryBytes();
      long allowed = maxHeap / 4;
      if (table > allowed) {
        problems.add(String.format(Locale.ROOT, "site.passive_dns.max_memory: the passive DNS table may grow to %.1f MiB,"
            + " more than it may claim of this JVM's heap (%.1f MiB, a quarter of -Xmx %.1f MiB): lower max_memory or"
            + " raise the heap (FLOWSENTRY_MAX_HEAP=1g bin/flowsentry run)", table / 1048576.0, allowed / 1048576.0,
            maxHeap / 1048576.0));
      }
    }
    return problems;
  }

  /** Blocks until SIGTERM or SIGINT, for a daemon already started. */
  static void awaitStopSignal(Service daemon) throws InterruptedException {
    awaitStop(handleSignals(daemon));
  }

  /**
   * SIGTERM and SIGINT count the returned latch down; SIGHUP reloads. The handlers replace the
   * JVM's default (which would run shutdown hooks and exit 143), so that a requested stop is a
   * clean exit 0. Every reload waits for a start in progress (the daemon's methods are
   * synchronized).
   */
  private static CountDownLatch handleSignals(Service daemon) {
    CountDownLatch stop = new CountDownLatch(1);
    if (Signal.handle(new Signal("TERM"), s -> stop.countDown()) == SignalHandler.SIG_IGN) {
      // the JVM keeps ignoring a shutdown signal it inherited ignored; systemd and Docker stop with SIGTERM
      log.warn("SIGTERM is ignored by this process (its parent ignored it): stop it with SIGINT or SIGKILL");
    }
    // SIGINT stays ignored when a shell started this as a background job, as shells do
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    SignalHandler before = Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().name("reload").start(() -> {
      log.info("SIGHUP: reloading configuration and reopening alarm logs");
      try {
        daemon.reload();
      } catch (RuntimeException e) {
        // a reload that fails leaves the running configuration, not a dead process
        log.error("configuration not reloaded, the running one stays: {}", e.toString(), e);
      }
    }));
    if (before == SignalHandler.SIG_IGN) {
      // the JVM keeps a signal ignored that was ignored when it started (nohup does that to SIGHUP)
      log.warn("SIGHUP is ignored by this process (started under nohup?): configuration reloads and"
          + " alarm log reopening need a restart");
    }
    return stop;
  }

  private static void awaitStop(CountDownLatch stop) throws InterruptedException {
    stop.await();
    log.info("stopping: no new input, flushing alarms, writing checkpoints and the suppression snapshot");
  }

  static int stopWithin(Service daemon, long seconds) throws InterruptedException {
    Thread closer = Thread.ofPlatform().name("shutdown").start(daemon::close);
    closer.join(TimeUnit.SECONDS.toMillis(seconds));
    if (closer.isAlive()) {
      log.error("shutdown did not finish within {} s; exiting anyway", seconds);
      return ExitCodes.FAILURE;
    }
    return ExitCodes.OK;
  }
}
