package io.flowsentry.app.roles;

import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.metrics.MetricsServer;
import io.flowsentry.app.metrics.MetricsServer.Health;
import io.flowsentry.app.service.Service;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flowsentry run --role ...}: the roles this process holds, started writer first and
 * collector last (outputs before inputs, as the daemon does), with one /metrics and /healthz.
 */
public final class ClusterNode implements Service {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  private final Path configFile;
  private final FlowsentryConfig config;
  private final PrometheusMeterRegistry registry;
  private final ScheduledExecutorService housekeeping;
  private final List<RoleService> roles = new ArrayList<>();
  private final Set<Role> names;
  private CollectorRole collector;
  private MetricsServer metricsServer;
  private boolean closed;

  public ClusterNode(Path configFile, FlowsentryConfig config, Set<Role> names, PrometheusMeterRegistry registry, Clock clock) {
    this.configFile = configFile;
    this.config = config;
    this.names = names;
    this.registry = registry;
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "housekeeping");
      t.setDaemon(true);
      return t;
    });
    if (names.contains(Role.ALARM_WRITER)) roles.add(new AlarmWriterRole(config, registry));
    if (names.contains(Role.ANALYZER)) roles.add(new AnalyzerRole(config, registry, clock, housekeeping));
    if (names.contains(Role.COLLECTOR)) roles.add(collector = new CollectorRole(config, registry, clock, housekeeping));
  }

  /**
   * What makes a role list and a configuration unfit to run together, in the configuration
   * error's form; empty when they fit.
   */
  public static List<String> problems(Set<Role> roles, FlowsentryConfig c) {
    List<String> p = new ArrayList<>();
    if (roles.isEmpty()) {
      p.add("--role: (none) (expected: " + Role.EXPECTED + ")");
      return p;
    }
    if (!c.cluster().enabled()) {
      p.add("cluster.kafka: absent (expected: bootstrap_servers of the Kafka cluster the roles " + labels(roles)
          + " exchange events and alarms through; without roles, run is the single-node daemon)");
    }
    if (roles.contains(Role.COLLECTOR) && c.inputs().netflow().listen().isEmpty() && c.inputs().zeek().isEmpty()) {
      p.add("inputs: none (expected: inputs.netflow.listen or inputs.zeek for the collector role)");
    }
    return p;
  }

  private static String labels(Set<Role> roles) {
    return String.join(",", roles.stream().map(Role::label).toList());
  }

  /** Starts the roles, then /metrics; throws (after cleaning up) when any cannot start. */
  public synchronized void start() throws IOException {
    try {
      for (RoleService r : roles) r.start();
      metricsServer = new MetricsServer(config.metrics().address(), registry, this::health);
      metricsServer.start();
      log.info("flowsentry running roles {} with {}; metrics on {}", labels(names), configFile, metricsServer.address());
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Health health() {
    List<String> status = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (RoleService r : roles) {
      status.addAll(r.status());
      problems.addAll(r.problems());
    }
    StringBuilder detail = new StringBuilder(problems.isEmpty() ? "ok\n" : "unhealthy\n");
    status.forEach(line -> detail.append(line).append('\n'));
    problems.forEach(p -> detail.append("problem: ").append(p).append('\n'));
    return new Health(problems.isEmpty(), detail.toString());
  }

  public synchronized InetSocketAddress metricsAddress() {
    return metricsServer.address();
  }

  /** Where the collector's NetFlow sockets are bound (the real ports when the configuration says 0). */
  public synchronized List<InetSocketAddress> netflowAddresses() {
    return collector == null ? List.of() : collector.netflowAddresses();
  }

  /** Policies (and site networks) switch in the analyzer; everything else needs a restart and says so. */
  @Override
  public synchronized List<String> reload() {
    FlowsentryConfig next;
    try {
      next = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      log.error("configuration not reloaded, the running one stays:\n  {}", String.join("\n  ", e.problems()));
      return e.problems();
    }
    for (RoleService r : roles) r.reload(next);
    if (!Objects.equals(config.cluster(), next.cluster())) log.warn("configuration: cluster changed; it takes effect at the next restart");
    if (!Objects.equals(config.inputs(), next.inputs())) log.warn("configuration: inputs changed; it takes effect at the next restart");
    if (!Objects.equals(config.outputs(), next.outputs())) log.warn("configuration: outputs changed; it takes effect at the next restart");
    log.info("configuration reloaded from {}", configFile);
    return List.of();
  }

  /** Inputs first (collector), then the analyzer, then the writer. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    for (int i = roles.size() - 1; i >= 0; i--) {
      try {
        roles.get(i).close();
      } catch (RuntimeException e) {
        log.warn("closing a role: {}", e.toString());
      }
    }
    housekeeping.shutdownNow();
    if (metricsServer != null) metricsServer.close();
    log.info("flowsentry stopped");
  }
}
