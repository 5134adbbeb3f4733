package io.flowsentry.analyzer.explain;

import io.flowsentry.analyzer.explain.Explanation.ExceptionMatch;
import io.flowsentry.analyzer.explain.Explanation.NameAddresses;
import io.flowsentry.analyzer.explain.Explanation.PolicyVerdict;
import io.flowsentry.analyzer.explain.Explanation.SeenInDnsLog;
import io.flowsentry.analyzer.net.AddressMatcher;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable.Resolution;
import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.AllowedService;
import io.flowsentry.analyzer.policy.Decision;
import io.flowsentry.analyzer.policy.DomainSet;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.PortSpec;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsLogParser;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Explains a connection against validated policies: a pure function of (site, policies, name
 * knowledge, connection). The verdict is the compiled policy's own {@link RestrictedOutgoingPolicy#decide}
 * (compiled exactly as the analyzer compiles it), never a second implementation; the lists of
 * matching entries beside it are for people and say which configured lines are involved.
 */
public final class Explainer {
  private Explainer() {}

  public static Explanation explain(SiteConfig site, PoliciesConfig policies, NameKnowledge names, Connection c,
      String evaluatedBy) {
    List<RestrictedOutgoingPolicy> compiled =
        RestrictedOutgoingPolicy.compileAll(site, policies, names.hosts(), names.resolved());
    ConnectionEvent event = c.toEvent();
    List<PolicyVerdict> verdicts = new ArrayList<>();
    for (int i = 0; i < compiled.size(); i++) {
      verdicts.add(verdict(site, policies.restrictedOutgoing().get(i), compiled.get(i), names, c, event));
    }
    return new Explanation(c.orig().toString(), c.resp().toString(), c.service(), time(c.atMicros()), evaluatedBy,
        verdicts);
  }

  private static PolicyVerdict verdict(SiteConfig site, RestrictedOutgoingPolicyConfig p, RestrictedOutgoingPolicy policy,
      NameKnowledge names, Connection c, ConnectionEvent event) {
    Decision d = policy.decide(event);
    List<Resolution> resolved = names.resolutions(c.orig(), c.resp(), c.atMicros());
    List<ExceptionMatch> matches = new ArrayList<>();
    List<String> dests = p.allowedDestinations();
    for (int i = 0; i < dests.size(); i++) {
      if (Cidr.parse(dests.get(i)).contains(c.resp())) matches.add(new ExceptionMatch("allowed_destinations", i, dests.get(i), ""));
    }
    List<AllowedService> services = p.allowedServices();
    for (int i = 0; i < services.size(); i++) {
      AllowedService s = services.get(i);
      if (PortSpec.parse(s.port()).matches(c.proto(), c.port()) && Cidr.parse(s.network()).contains(c.orig())) {
        matches.add(new ExceptionMatch("allowed_services", i, s.network() + " " + s.port(), ""));
      }
    }
    List<AllowedPair> pairs = p.allowedPairs();
    for (int i = 0; i < pairs.size(); i++) {
      pairMatch(pairs.get(i), i, names, c, resolved).ifPresent(matches::add);
    }
    List<String> domains = p.allowedDomains();
    for (int i = 0; i < domains.size(); i++) {
      DomainSet one = DomainSet.of(List.of(domains.get(i)));
      for (Resolution r : resolved) {
        if (one.test(r.name())) {
          matches.add(new ExceptionMatch("allowed_domains", i, domains.get(i), "resolved from " + r.name() + " (dns.log)"));
          break;
        }
      }
    }
    return new PolicyVerdict(p.name(), d.alarms(), d.name().toLowerCase(java.util.Locale.ROOT), d.description(),
        containing(p.restrictedNetworks(), c.orig()), containing(site.localNetworks(), c.resp()), matches,
        hostnames(p, names, c, resolved), null, p.mode());
  }

  private static java.util.Optional<ExceptionMatch> pairMatch(AllowedPair pair, int index, NameKnowledge names,
      Connection c, List<Resolution> resolved) {
    String entry = pair.source() + " -> " + pair.destination();
    if (!side(pair.source(), names).contains(c.orig())) return java.util.Optional.empty();
    if (side(pair.destination(), names).contains(c.resp())) {
      String how = AllowedPair.isAddress(pair.destination()) ? "" : "resolved in the background";
      return java.util.Optional.of(new ExceptionMatch("allowed_pairs", index, entry, how));
    }
    if (AllowedPair.isAddress(pair.destination())) return java.util.Optional.empty();
    String name = DnsLogParser.normalizedName(pair.destination().strip());
    for (Resolution r : resolved) {
      if (r.name().equals(name)) {
        return java.util.Optional.of(new ExceptionMatch("allowed_pairs", index, entry, "the originator resolved it (dns.log)"));
      }
    }
    return java.util.Optional.empty();
  }

  private static AddressMatcher side(String value, NameKnowledge names) {
    if (AllowedPair.isAddress(value)) {
      Cidr cidr = Cidr.parse(value);
      return cidr::contains;
    }
    return names.hosts().track(value.strip());
  }

  /** Every hostname of the policy: pair sides and domain entries, each with its addresses. */
  private static List<NameAddresses> hostnames(RestrictedOutgoingPolicyConfig p, NameKnowledge names, Connection c,
      List<Resolution> resolved) {
    List<NameAddresses> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (AllowedPair pair : p.allowedPairs()) {
      for (String h : pair.hostnames()) {
        String name = DnsLogParser.normalizedName(h.strip());
        if (!seen.add(name)) continue;
        List<String> background = names.backgroundAddresses(h.strip()).stream().map(IpAddr::toString).toList();
        out.add(new NameAddresses(name, "allowed_pairs", background, dnsLog(resolved, name::equals, c)));
      }
    }
    for (String d : p.allowedDomains()) {
      DomainSet one = DomainSet.of(List.of(d));
      out.add(new NameAddresses(d.strip(), "allowed_domains", List.of(), dnsLog(resolved, one, c)));
    }
    return out;
  }

  private static List<SeenInDnsLog> dnsLog(List<Resolution> resolved, java.util.function.Predicate<String> accepts,
      Connection c) {
    List<SeenInDnsLog> out = new ArrayList<>();
    for (Resolution r : resolved) {
      if (accepts.test(r.name())) {
        out.add(new SeenInDnsLog(r.name(), c.resp().toString(), time(r.fromMicros()), time(r.untilMicros())));
      }
    }
    return out;
  }

  private static List<String> containing(List<String> cidrs, IpAddr a) {
    return cidrs.stream().filter(x -> Cidr.parse(x).contains(a)).toList();
  }

  /** Epoch microseconds as ISO-8601 UTC. */
  public static String time(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).toString();
  }
}
