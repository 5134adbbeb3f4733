package io.flowsentry.analyzer.core;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.analyzer.delivery.AlarmDeliveries;
import io.flowsentry.analyzer.explain.NameKnowledge;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.analyzer.suppress.SuppressionJournal;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The analyzer with everything it needs, built from validated configuration sections: DNS
 * tracking for hostname pairs, the compiled policies, the alarm writer and the suppression
 * state. {@code flowsentry run} builds it with {@link AlarmWriter.Overflow#DROP} (sources never
 * block); {@code flowsentry replay} with {@link AlarmWriter.Overflow#BLOCK} (no alarm lost), and
 * preferably without a state directory, since a live run's saved event clock would make old
 * events look late and keep their keys suppressed.
 */
public final class AnalysisEngine implements EventHandler, AutoCloseable {
  private final DnsHostResolver resolver;
  private final PassiveDnsTable passiveDns;
  private final Analyzer analyzer;

  /**
   * Resolves the policies' hostnames once (bounded by the DNS timeout) before returning, so the
   * first events already see them, then keeps them fresh in the background.
   *
   * @param stateDir where the suppression snapshot lives; null = none
   */
  public AnalysisEngine(SiteConfig site, PoliciesConfig policies, OutputsConfig outputs, Path stateDir,
      AlarmWriter.Overflow overflow, Clock clock, MeterRegistry registry) {
    this.resolver = new DnsHostResolver(site.dns(), clock, registry);
    this.passiveDns = new PassiveDnsTable(site.passiveDns(), registry);
    AlarmFormat format = new AlarmFormat(ServiceNames.bundled(), site.communityId(), passiveDns::nameFor);
    Path journal = stateDir == null ? null : stateDir.resolve(SuppressionJournal.FILE_NAME);
    AlarmWriter writer = new AlarmWriter(outputs, Path.of(outputs.logDir()), journal, clock, overflow, registry, format,
        AlarmDeliveries.configured(outputs, format, registry));
    this.analyzer = new Analyzer(RestrictedOutgoingPolicy.compileAll(site, policies, resolver, passiveDns::resolvedFrom),
        writer, stateDir, registry);
    resolver.refreshDue();
    resolver.start();
  }

  @Override
  public void onEvent(ConnectionEvent event) {
    analyzer.onEvent(event);
  }

  @Override
  public boolean wants(IpAddr a, IpAddr b) {
    return analyzer.wants(a, b);
  }

  @Override
  public boolean wants(long aHi, long aLo, boolean aV6, long bHi, long bLo, boolean bV6) {
    return analyzer.wants(aHi, aLo, aV6, bHi, bLo, bV6);
  }

  @Override
  public void onSkipped(EventSource source, int count, long newestTsMicros) {
    analyzer.onSkipped(source, count, newestTsMicros);
  }

  /**
   * Applies reloaded policies (and local networks) without losing suppression state of policies
   * that keep their name. DNS settings ({@code site.dns}) take effect on restart.
   */
  public void reload(SiteConfig newSite, PoliciesConfig policies) {
    analyzer.update(RestrictedOutgoingPolicy.compileAll(newSite, policies, resolver, passiveDns::resolvedFrom));
    resolver.retainOnly(policies.hostnames());
    resolver.refreshDue();
  }

  @Override
  public void persist() throws IOException {
    analyzer.persist();
  }

  /** What dns.log taught ({@code inputs.zeek_dns} feeds it): names for alarms. */
  public PassiveDnsTable passiveDns() {
    return passiveDns;
  }

  /** The names the policies see now (background DNS and dns.log), for {@code /explain}. */
  public NameKnowledge nameKnowledge() {
    return NameKnowledge.of(resolver, passiveDns);
  }

  public Analyzer analyzer() {
    return analyzer;
  }

  /** Reopens the alarm logs (SIGHUP after an external logrotate). */
  public void reopen() {
    analyzer.reopen();
  }

  /** Counts so far, for the replay summary. */
  public ReplaySummary summary(long badLines) {
    return analyzer.summary(badLines);
  }

  /** Stops DNS refresh, writes queued alarms, saves the suppression snapshot. */
  @Override
  public void close() throws InterruptedException {
    resolver.close();
    analyzer.close();
  }
}
