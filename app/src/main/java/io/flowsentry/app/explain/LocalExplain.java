package io.flowsentry.app.explain;

import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explainer;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.analyzer.explain.NameKnowledge;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.app.config.FlowsentryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/**
 * {@code explain} without a daemon: the policies' hostnames are resolved once, as the daemon
 * does at start (bounded by {@code site.dns.timeout}); no dns.log has been read, so the passive
 * DNS table is empty and {@code allowed_domains} cannot match.
 */
public final class LocalExplain {
  private LocalExplain() {}

  public static Explanation explain(FlowsentryConfig c, Connection connection, Clock clock) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DnsHostResolver resolver = new DnsHostResolver(c.site().dns(), clock, registry)) {
      PassiveDnsTable passive = new PassiveDnsTable(c.site().passiveDns(), registry);
      NameKnowledge names = NameKnowledge.of(resolver, passive);
      for (String h : c.policies().hostnames()) resolver.track(h);
      if (!c.policies().hostnames().isEmpty()) resolver.refreshDue();
      return Explainer.explain(c.site(), c.policies(), names, connection, "local");
    }
  }
}
