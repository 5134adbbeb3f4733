package io.flowsentry.app.cli;

import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.metrics.Registries;
import io.flowsentry.app.service.Daemon;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.loadgen.LoadGenerator;
import io.flowsentry.collector.loadgen.LoadSpec;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.udp.ListenAddress;
import io.flowsentry.collector.zeek.ZeekInputConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The first ten minutes: the service on the shipped configuration, a short burst of NetFlow v9
 * and IPFIX from the load generator (flows from the first restricted network to documentation
 * addresses, sent to loopback only) and a few conn.log lines appended to the local Zeek drop
 * file, then where to look.
 *
 * <p>The demo runs with a state folder of its own, created empty and deleted at the end: the
 * suppression snapshot of an earlier demo (or of the real daemon) would otherwise suppress the
 * same sample flows for {@code suppress_for}, and a second demo within a minute would write no
 * alarm; nor do the sample flows leave suppression entries or tail checkpoints behind for the
 * real daemon. Alarms go to the configured {@code log_dir}, where {@code run} writes them, and
 * the demo says how many this run wrote.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Start the service, send it sample NetFlow v9, IPFIX and Zeek traffic, and show the alarms.",
        "Suppression starts empty on every demo, so each run writes alarms and says how many.",
        "Runs until Ctrl-C unless --exit-after is given."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:could not start or no alarm appeared", "2:usage error (e.g. --exit-after soon)",
        "3:invalid configuration"})
final class DemoCommand implements Callable<Integer> {
  /** TEST-NET-3 (RFC 5737): outside every site's networks, and never a real host. */
  static final String INTERNET_SAMPLE = "203.0.113.0/24";
  private static final Duration ALARM_WAIT = Duration.ofSeconds(15);
  private static final int SAMPLE_LINES = 3;

  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(names = "--exit-after", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop this long after the demo traffic (e.g. 10s); default: run until Ctrl-C.")
  Duration exitAfter;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    FlowsentryConfig shipped;
    try {
      shipped = config.load();
    } catch (ConfigException e) {
      e.problems().forEach(spec.commandLine().getErr()::println);
      return ExitCodes.INVALID_CONFIG;
    }
    if (shipped.policies().restrictedOutgoing().isEmpty() || shipped.inputs().netflow().listen().isEmpty()) {
      spec.commandLine().getErr().println("demo: the configuration needs a restricted_outgoing policy and a netflow listen address");
      return ExitCodes.FAILURE;
    }
    Path stateDir = Files.createTempDirectory("flowsentry-demo-state-");
    try {
      return demo(withStateDir(shipped, stateDir), out);
    } finally {
      deleteTree(stateDir);
    }
  }

  private int demo(FlowsentryConfig c, PrintWriter out) throws IOException, InterruptedException {
    String restricted = c.policies().restrictedOutgoing().get(0).restrictedNetworks().get(0);
    String connLog = localZeekFile(c);
    if (connLog != null) writeHeaderIfNew(Path.of(connLog));

    PrometheusMeterRegistry registry = Registries.prometheus();
    Daemon daemon = new Daemon(config.path(), c, registry, Clock.systemUTC());
    try {
      daemon.start();
    } catch (IOException | RuntimeException e) {
      spec.commandLine().getErr().println("demo: flowsentry could not start: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    List<InetSocketAddress> listen = daemon.netflowAddresses();
    ListenAddress v9Target = loopback(ListenAddress.of(listen.get(0)));
    ListenAddress ipfixTarget = loopback(ListenAddress.of(listen.get(listen.size() > 1 ? 1 : 0)));
    out.println("demo: sending NetFlow v9 to " + v9Target + " and IPFIX to " + ipfixTarget
        + " (flows from " + restricted + " to " + INTERNET_SAMPLE + ")");
    send(ExportVersion.V9, v9Target, restricted, out);
    send(ExportVersion.IPFIX, ipfixTarget, restricted, out);
    if (connLog != null) {
      // lines appended before the tailer has opened the file would count as already there (start_at: end)
      await(() -> gauge(registry, "flowsentry.zeek.files.followed", connLog) > 0, ALARM_WAIT);
      double linesBefore = counter(registry, "flowsentry.zeek.lines", connLog);
      appendSample(Path.of(connLog), restricted);
      out.println("demo: appended " + SAMPLE_LINES + " conn.log lines to " + connLog);
      // the final count below includes their alarms only if they were read before the stop
      if (!await(() -> counter(registry, "flowsentry.zeek.lines", connLog) >= linesBefore + SAMPLE_LINES, ALARM_WAIT)) {
        out.println("demo: flowsentry did not read them within " + ALARM_WAIT.toSeconds() + " s; look at the log above");
      }
    }
    Path logDir = Path.of(c.outputs().logDir()).toAbsolutePath();
    boolean seen = await(() -> alarmsWritten(registry) > 0, ALARM_WAIT);
    out.println();
    out.println(seen ? "demo: alarms are arriving. Look at:"
        : "demo: no alarm appeared within " + ALARM_WAIT.toSeconds() + " s; look at the log above and:");
    out.println("  " + logDir.resolve("alarms.log") + "   (classic Bro alarm lines)");
    out.println("  " + logDir.resolve("notice.log") + "   (Zeek notice.log JSON)");
    String metrics = ListenAddress.of(daemon.metricsAddress()).toString();
    out.println("  http://" + metrics + "/metrics   (Prometheus; try: curl -s http://" + metrics + "/metrics | grep ^flowsentry_)");
    out.flush();
    if (exitAfter != null) {
      Thread.sleep(exitAfter.toMillis());
    } else {
      out.println("demo: running until Ctrl-C");
      out.flush();
      RunCommand.awaitStopSignal(daemon);
    }
    int code = RunCommand.stopWithin(daemon, RunCommand.SHUTDOWN_BOUND_SECONDS);
    // counted after the writer flushed and stopped: every alarm this run wrote, none of an earlier one
    out.println("demo: this run wrote " + alarmsWritten(registry) + " alarms to " + logDir.resolve("alarms.log"));
    out.flush();
    return seen ? code : ExitCodes.FAILURE;
  }

  /** The shipped configuration with the demo's own, empty state folder. */
  private static FlowsentryConfig withStateDir(FlowsentryConfig c, Path stateDir) {
    return new FlowsentryConfig(c.inputs(), c.site(), c.policies(), c.outputs(), stateDir.toString(), c.metrics(), c.cluster());
  }

  private static long alarmsWritten(MeterRegistry registry) {
    return (long) registry.find("flowsentry.alarms").counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double counter(MeterRegistry registry, String name, String file) {
    Counter c = registry.find(name).tag("file", file).counter();
    return c == null ? 0 : c.count();
  }

  private static double gauge(MeterRegistry registry, String name, String file) {
    Gauge g = registry.find(name).tag("file", file).gauge();
    return g == null ? 0 : g.value();
  }

  private static ListenAddress loopback(ListenAddress a) {
    boolean any = a.address().hi() == 0 && a.address().lo() == 0;
    if (!any) return a;
    return new ListenAddress(IpAddr.parse(a.address().v6() ? "::1" : "127.0.0.1"), a.port());
  }

  private static void send(ExportVersion version, ListenAddress target, String restricted, PrintWriter out) throws IOException {
    LoadSpec spec = new LoadSpec(version, target, 2_000, 200, 5, 50, 7, Cidr.parse(restricted),
        Cidr.parse(INTERNET_SAMPLE), 16, 1, 0);
    LoadGenerator.Result r = LoadGenerator.run(spec);
    out.println("demo: " + r.describe(spec));
  }

  /**
   * The first non-glob Zeek input under the working directory (the shipped var/zeek/conn.log),
   * as configured (the tailer's metrics name it so); never a real Zeek's absolute path.
   */
  private static String localZeekFile(FlowsentryConfig c) {
    return c.inputs().zeek().stream().filter(z -> !z.isGlob())
        .map(ZeekInputConfig::path).filter(p -> !Path.of(p).isAbsolute()).findFirst().orElse(null);
  }

  private static void writeHeaderIfNew(Path connLog) throws IOException {
    if (Files.exists(connLog)) return;
    if (connLog.getParent() != null) Files.createDirectories(connLog.getParent());
    Files.writeString(connLog, """
        #separator \\x09
        #set_separator\t,
        #empty_field\t(empty)
        #unset_field\t-
        #path\tconn
        #open\t%s
        #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents
        #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]
        """.formatted(DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC)
            .format(Instant.now())));
  }

  private static void appendSample(Path connLog, String restrictedNetwork) throws IOException {
    Cidr net = Cidr.parse(restrictedNetwork);
    String host = net.network().v6() ? net.network().toString() : IpAddr.ofV4(net.network().v4() + 23).toString();
    double ts = System.currentTimeMillis() / 1000.0;
    StringBuilder sb = new StringBuilder();
    String[][] rows = {
        {"CdemoA1", host, "51000", "203.0.113.53", "53", "udp", "dns", "S0"},
        {"CdemoA2", host, "51001", "203.0.113.80", "443", "tcp", "ssl", "SF"},
        {"CdemoA3", host, "51002", "192.168.1.10", "445", "tcp", "-", "SF"}};
    for (String[] r : rows) {
      sb.append(String.format(Locale.ROOT, "%.6f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t0.250000\t120\t480\t%s\tT\tF\t0\tShADadFf\t4\t328\t4\t688\t-\n",
          ts, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]));
    }
    Files.writeString(connLog, sb, StandardOpenOption.APPEND);
  }

  private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() >= deadline) return false;
      Thread.sleep(100);
    }
    return true;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
