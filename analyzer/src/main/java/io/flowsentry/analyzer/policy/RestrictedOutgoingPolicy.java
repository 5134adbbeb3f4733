package io.flowsentry.analyzer.policy;

import io.flowsentry.analyzer.net.AddressMatcher;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.resolve.HostTracker;
import io.flowsentry.collector.config.Durations;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsLogParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled restricted-outgoing policy (ARCHITECTURE.md, "Policy semantics"). An event alarms
 * when its originator is in the restricted networks, its responder is outside the site's local
 * networks, and no exception matches. Immutable and thread-safe; hostnames in pairs are read
 * through {@link HostTracker} matchers whose addresses change underneath without locking.
 *
 * <p>Names the originator resolved itself ({@link ResolvedNames}, from Zeek's dns.log) are asked
 * last, and only for an event every other exception let through: {@code allowed_domains}, and a
 * hostname destination in {@code allowed_pairs} (besides its background resolution). An answer
 * that reaches flowsentry after the connection it led to was analyzed does not count: that
 * connection alarms (fail closed), later ones to the same address are allowed.
 */
public final class RestrictedOutgoingPolicy {

  /** Services with the same port pattern share one prefix set, so the list stays short. */
  record ServiceRule(PortSpec port, PrefixSet networks) {}

  /** @param destinationName the destination hostname (normalized), or null when it is an address or CIDR */
  record PairRule(AddressMatcher source, AddressMatcher destination, String destinationName) {}

  private final String name;
  private final PrefixSet restricted;
  private final PrefixSet local;
  private final PrefixSet allowedDestinations;
  private final ServiceRule[] services;
  private final PairRule[] pairs;
  private final Duration suppressFor;
  private final long maxSuppressionEntries;
  private final NoteStyle noteStyle;
  private final long maxAlarmsPerMinute;
  private final DomainSet allowedDomains;
  private final ResolvedNames resolved;
  private final PolicyMode mode;

  private RestrictedOutgoingPolicy(String name, PrefixSet restricted, PrefixSet local,
      PrefixSet allowedDestinations, List<ServiceRule> services, List<PairRule> pairs,
      Duration suppressFor, long maxSuppressionEntries, NoteStyle noteStyle, long maxAlarmsPerMinute,
      DomainSet allowedDomains, ResolvedNames resolved, PolicyMode mode) {
    this.name = name;
    this.restricted = restricted;
    this.local = local;
    this.allowedDestinations = allowedDestinations;
    this.services = services.toArray(ServiceRule[]::new);
    this.pairs = pairs.toArray(PairRule[]::new);
    this.suppressFor = suppressFor;
    this.maxSuppressionEntries = maxSuppressionEntries;
    this.noteStyle = noteStyle;
    this.maxAlarmsPerMinute = maxAlarmsPerMinute;
    this.allowedDomains = allowedDomains;
    this.resolved = resolved;
    this.mode = mode;
  }

  /** Compiles a validated configuration without passive DNS: {@code allowed_domains} never match. */
  public static RestrictedOutgoingPolicy compile(RestrictedOutgoingPolicyConfig c, PrefixSet local, HostTracker hosts) {
    return compile(c, local, hosts, ResolvedNames.NONE);
  }

  /**
   * Compiles a validated configuration.
   *
   * @param local the site's local networks
   * @param hosts where hostnames in {@code allowed_pairs} are tracked
   * @param resolved what hosts resolved themselves, for {@code allowed_domains} and hostname pairs
   */
  public static RestrictedOutgoingPolicy compile(RestrictedOutgoingPolicyConfig c, PrefixSet local, HostTracker hosts,
      ResolvedNames resolved) {
    Map<PortSpec, List<Cidr>> byPort = new LinkedHashMap<>();
    for (AllowedService s : c.allowedServices()) {
      byPort.computeIfAbsent(PortSpec.parse(s.port()), k -> new ArrayList<>()).add(Cidr.parse(s.network()));
    }
    List<ServiceRule> services = byPort.entrySet().stream()
        .map(e -> new ServiceRule(e.getKey(), PrefixSet.of(e.getValue()))).toList();
    List<PairRule> pairs = c.allowedPairs().stream()
        .map(p -> new PairRule(side(p.source(), hosts), side(p.destination(), hosts),
            AllowedPair.isAddress(p.destination()) ? null : DnsLogParser.normalizedName(p.destination().strip())))
        .toList();
    return new RestrictedOutgoingPolicy(c.name(), PrefixSet.parse(c.restrictedNetworks()), local,
        PrefixSet.parse(c.allowedDestinations()), services, pairs, Durations.parse(c.suppressFor()),
        c.maxSuppressionEntries(), NoteStyle.parse(c.noteStyle()), c.maxAlarmsPerMinute(),
        DomainSet.of(c.allowedDomains()), resolved, PolicyMode.parse(c.mode()));
  }

  /** Compiles every restricted-outgoing policy of a validated configuration without passive DNS. */
  public static List<RestrictedOutgoingPolicy> compileAll(SiteConfig site, PoliciesConfig policies, HostTracker hosts) {
    return compileAll(site, policies, hosts, ResolvedNames.NONE);
  }

  /** Compiles every restricted-outgoing policy of a validated configuration. */
  public static List<RestrictedOutgoingPolicy> compileAll(SiteConfig site, PoliciesConfig policies, HostTracker hosts,
      ResolvedNames resolved) {
    PrefixSet local = site.localNetworkSet();
    return policies.restrictedOutgoing().stream().map(c -> compile(c, local, hosts, resolved)).toList();
  }

  private static AddressMatcher side(String value, HostTracker hosts) {
    return AllowedPair.isAddress(value) ? PrefixSet.of(List.of(Cidr.parse(value))) : hosts.track(value.strip());
  }

  /**
   * True when the event breaks this policy (before suppression). Never allocates; never blocks
   * unless a name exception is asked (the passive DNS table's lock, held briefly).
   */
  public boolean alarms(ConnectionEvent e) {
    return decide(e) == Decision.ALARM;
  }

  /**
   * The check that decided the event, in the order they are asked: the one code path both the
   * analyzer ({@link #alarms}) and {@code flowsentry explain} use, so an explanation can never
   * disagree with the alarm it explains. Allocates nothing (an enum constant).
   */
  public Decision decide(ConnectionEvent e) {
    IpAddr orig = e.origH();
    if (!restricted.contains(orig)) return Decision.NOT_RESTRICTED;
    IpAddr resp = e.respH();
    if (local.contains(resp)) return Decision.LOCAL_RESPONDER;
    if (allowedDestinations.contains(resp)) return Decision.ALLOWED_DESTINATION;
    for (ServiceRule s : services) {
      if (s.port.matches(e.proto(), e.respP()) && s.networks.contains(orig)) return Decision.ALLOWED_SERVICE;
    }
    for (PairRule p : pairs) {
      if (p.source.contains(orig) && p.destination.contains(resp)) return Decision.ALLOWED_PAIR;
    }
    return resolvedFromAllowedName(orig, resp, e.tsMicros());
  }

  private Decision resolvedFromAllowedName(IpAddr orig, IpAddr resp, long tsMicros) {
    if (!allowedDomains.isEmpty() && resolved.resolvedFrom(orig, resp, tsMicros, allowedDomains)) {
      return Decision.ALLOWED_DOMAIN;
    }
    for (PairRule p : pairs) {
      if (p.destinationName != null && p.source.contains(orig)
          && resolved.resolvedFrom(orig, resp, tsMicros, p.destinationName::equals)) {
        return Decision.ALLOWED_PAIR_RESOLVED;
      }
    }
    return Decision.ALARM;
  }

  public String name() {
    return name;
  }

  /** Where an originator must be for this policy to alarm: no event outside them can break it. */
  public PrefixSet restrictedNetworks() {
    return restricted;
  }

  public Duration suppressFor() {
    return suppressFor;
  }

  public long maxSuppressionEntries() {
    return maxSuppressionEntries;
  }

  /** Alarms written one by one per minute of event time, the rest summarized; 0 = no cap. */
  public long maxAlarmsPerMinute() {
    return maxAlarmsPerMinute;
  }

  public NoteStyle noteStyle() {
    return noteStyle;
  }

  /** Enforce: alarms go everywhere; shadow: only to {@code <policy>.log} and metrics. */
  public PolicyMode mode() {
    return mode;
  }

  @Override
  public String toString() {
    return "RestrictedOutgoingPolicy[" + name + "]";
  }
}
