package io.flowsentry.app.explain;

import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explainer;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.analyzer.explain.NameKnowledge;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.app.config.FlowsentryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.flowsentry.collector.zeek.replay.ZeekReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code explain} without a daemon: the policies' hostnames are resolved once, as the daemon
 * does at start (bounded by {@code site.dns.timeout}); the passive DNS table holds what the
 * given dns.log files teach (none given: it is empty and {@code allowed_domains} cannot match).
 */
public final class LocalExplain {
  private LocalExplain() {}

  /**
   * @param dnsLogs Zeek dns.log files (plain or .gz, TSV or JSON) read into the passive DNS table first
   * @throws IOException naming a dns.log that cannot be read
   */
  public static Explanation explain(FlowsentryConfig c, Connection connection, Clock clock, List<Path> dnsLogs)
      throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DnsHostResolver resolver = new DnsHostResolver(c.site().dns(), clock, registry)) {
      PassiveDnsTable passive = new PassiveDnsTable(c.site().passiveDns(), registry);
      if (!dnsLogs.isEmpty()) new ZeekReplay(e -> { }, passive::learn, false, clock).read(List.of(), dnsLogs, i -> { });
      NameKnowledge names = NameKnowledge.of(resolver, passive);
      for (String h : c.policies().hostnames()) resolver.track(h);
      if (!c.policies().hostnames().isEmpty()) resolver.refreshDue();
      return Explainer.explain(c.site(), c.policies(), names, connection, "local");
    }
  }
}
