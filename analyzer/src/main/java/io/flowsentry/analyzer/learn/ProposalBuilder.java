package io.flowsentry.analyzer.learn;

import io.flowsentry.analyzer.learn.Proposal.Entry;
import io.flowsentry.analyzer.learn.Proposal.OneOff;
import io.flowsentry.analyzer.policy.DomainSet;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns the groups of one policy into exception entries, narrowest kind that fits first:
 * <ol>
 *   <li>{@code allowed_domains} for a name (where dns.log was read) whose traffic is regular (from
 *       at least {@code min_hosts} hosts or on at least {@code min_days} days) and reaches
 *       several destination networks (a CDN rotating its addresses): one name entry instead of
 *       an {@code allowed_destinations} entry per network. When at least
 *       {@value DomainProposals#WILDCARD_MIN_NAMES} such names share their last two labels, one
 *       {@code *.suffix} wildcard stands for them (see {@link DomainProposals});
 *   <li>{@code allowed_destinations} for a destination network reached by at least
 *       {@code min_hosts} restricted hosts (an NTP pool, a CDN);
 *   <li>{@code allowed_services} for one host's service seen on at least {@code min_days} days
 *       towards at least {@code min_hosts} destination networks (a mail relay's SMTP);
 *   <li>{@code allowed_pairs} for one host and one destination (address, or network when it used
 *       several) seen on at least {@code min_days} days (a partner's API).
 * </ol>
 * A group is covered by the first entry that takes it; what no entry takes is a one-off. So
 * every entry is regular by the rule (days or hosts), and the counts add up.
 */
public final class ProposalBuilder {
  private final LearnSettings settings;

  public ProposalBuilder(LearnSettings settings) {
    this.settings = settings;
  }

  public List<Proposal> build(TrafficGroups traffic) {
    Map<String, List<Map.Entry<GroupKey, GroupStats>>> byPolicy = new LinkedHashMap<>();
    for (String p : traffic.policies()) byPolicy.put(p, new ArrayList<>());
    for (var g : traffic.groups().entrySet()) byPolicy.computeIfAbsent(g.getKey().policy(), k -> new ArrayList<>()).add(g);
    List<Proposal> out = new ArrayList<>();
    byPolicy.forEach((policy, groups) -> out.add(propose(policy, groups, traffic.alarms(policy),
        traffic.overflow(policy))));
    return out;
  }

  private Proposal propose(String policy, List<Map.Entry<GroupKey, GroupStats>> groups, long alarms, long overflow) {
    // a stable order, so the same input always gives the same proposal
    groups.sort(Comparator.comparing((Map.Entry<GroupKey, GroupStats> g) -> g.getKey().orig())
        .thenComparing(g -> g.getKey().destination().network()).thenComparingInt(g -> g.getKey().proto())
        .thenComparingInt(g -> g.getKey().port()));
    Set<GroupKey> covered = new HashSet<>();
    List<Entry> entries = new ArrayList<>();
    // 0. names that cover several destination networks, before those networks are proposed one by one
    domains(groups, covered, entries);
    // 1. destination networks many hosts reach
    for (var c : clusters(groups, covered, g -> g.destination())) {
      if (c.hosts().size() >= settings.minHosts()) entries.add(c.entry("allowed_destinations", c.key().toString(), covered));
    }
    // 2. one host's service towards many networks, regularly
    for (var c : clusters(groups, covered, g -> List.of(g.orig(), g.port(), g.proto()))) {
      if (c.destinations().size() >= settings.minHosts() && c.days().size() >= settings.minDays()) {
        GroupKey any = c.members().getFirst().getKey();
        entries.add(c.entry("allowed_services", "{ network: " + Cidr.of(any.orig()) + ", port: " + service(any.port(), any.proto()) + " }", covered));
      }
    }
    // 3. one host and one destination, regularly
    for (var c : clusters(groups, covered, g -> List.of(g.orig(), g.destination()))) {
      if (c.days().size() >= settings.minDays()) {
        GroupKey any = c.members().getFirst().getKey();
        IpAddr only = c.onlyAddress();
        String destination = only != null ? only.toString() : any.destination().toString();
        entries.add(c.entry("allowed_pairs", "{ source: " + any.orig() + ", destination: " + destination + " }", covered));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::removes).reversed());
    List<OneOff> oneOffs = new ArrayList<>();
    for (var g : groups) {
      if (covered.contains(g.getKey())) continue;
      GroupStats s = g.getValue();
      oneOffs.add(new OneOff(g.getKey(), s.count(), s.days().length, s.firstMicros(), s.lastMicros()));
    }
    oneOffs.sort(Comparator.comparingLong(OneOff::firstMicros));
    return new Proposal(policy, alarms, overflow, entries, oneOffs);
  }

  private void domains(List<Map.Entry<GroupKey, GroupStats>> groups, Set<GroupKey> covered, List<Entry> entries) {
    // only groups the originator resolved itself every time: those are what the entry removes
    List<Map.Entry<GroupKey, GroupStats>> named = new ArrayList<>();
    for (var g : groups) {
      if (g.getKey().name() != null && g.getValue().allResolvedByOriginator()) named.add(g);
    }
    if (named.isEmpty()) return;
    List<String> regular = new ArrayList<>();
    for (var c : clusters(named, covered, GroupKey::name)) {
      boolean isRegular = c.hosts().size() >= settings.minHosts() || c.days().size() >= settings.minDays();
      if (isRegular && c.destinations().size() >= 2) regular.add((String) c.key());
    }
    for (String entry : DomainProposals.entries(regular)) {
      DomainSet matches = DomainSet.of(List.of(entry));
      Cluster c = new Cluster(entry);
      for (var g : named) {
        if (!covered.contains(g.getKey()) && matches.test(g.getKey().name())) c.add(g);
      }
      if (c.members().isEmpty()) continue;
      entries.add(c.entry("allowed_domains", DomainProposals.yaml(entry), covered));
    }
  }

  /** Groups not yet covered, clustered by a key, largest first. */
  private List<Cluster> clusters(List<Map.Entry<GroupKey, GroupStats>> groups, Set<GroupKey> covered,
      Function<GroupKey, Object> by) {
    Map<Object, Cluster> clusters = new LinkedHashMap<>();
    for (var g : groups) {
      if (covered.contains(g.getKey())) continue;
      Object key = by.apply(g.getKey());
      clusters.computeIfAbsent(key, Cluster::new).add(g);
    }
    List<Cluster> out = new ArrayList<>(clusters.values());
    out.sort(Comparator.comparingLong(Cluster::count).reversed());
    return out;
  }

  static String service(int port, int proto) {
    return switch (proto) {
      case ConnectionEvent.TCP -> port + "/tcp";
      case ConnectionEvent.UDP -> port + "/udp";
      default -> "icmp";
    };
  }

  /** Groups sharing a key, with what they add up to. */
  private static final class Cluster {
    private final Object key;
    private final List<Map.Entry<GroupKey, GroupStats>> members = new ArrayList<>();
    private final Set<IpAddr> hosts = new HashSet<>();
    private final Set<Cidr> destinations = new HashSet<>();
    private final Set<Integer> days = new HashSet<>();
    private final Set<String> services = new TreeSet<>();
    private long count;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;

    Cluster(Object key) {
      this.key = key;
    }

    void add(Map.Entry<GroupKey, GroupStats> g) {
      members.add(g);
      GroupKey k = g.getKey();
      GroupStats s = g.getValue();
      hosts.add(k.orig());
      destinations.add(k.destination());
      for (int d : s.days()) days.add(d);
      services.add(service(k.port(), k.proto()));
      count += s.count();
      first = Math.min(first, s.firstMicros());
      last = Math.max(last, s.lastMicros());
    }

    Object key() {
      return key;
    }

    List<Map.Entry<GroupKey, GroupStats>> members() {
      return members;
    }

    Set<IpAddr> hosts() {
      return hosts;
    }

    Set<Cidr> destinations() {
      return destinations;
    }

    Set<Integer> days() {
      return days;
    }

    long count() {
      return count;
    }

    /** The one responder address of all members, or null. */
    IpAddr onlyAddress() {
      IpAddr only = null;
      for (var m : members) {
        IpAddr a = m.getValue().onlyAddress();
        if (a == null || (only != null && !only.equals(a))) return null;
        only = a;
      }
      return only;
    }

    Entry entry(String list, String yaml, Set<GroupKey> covered) {
      for (var m : members) covered.add(m.getKey());
      String named = services.size() <= 4 ? String.join(", ", services) : String.join(", ", new ArrayList<>(services).subList(0, 4))
          + " and " + (services.size() - 4) + " more";
      return new Entry(list, yaml, count, hosts.size(), destinations.size(), days.size(), first, last, named);
    }
  }


}
