package io.flowsentry.analyzer.learn;

import io.flowsentry.analyzer.learn.Proposal.Entry;
import io.flowsentry.analyzer.learn.Proposal.OneOff;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The report of {@code learn}: valid YAML throughout (everything but the proposed entries is a
 * comment), one block per policy whose lists paste under that policy's entry in
 * {@code policies.restricted_outgoing}.
 */
public final class ProposalText {
  /** One-offs listed one by one per policy; the rest counted. */
  static final int LISTED_ONE_OFFS = 100;

  private ProposalText() {}

  public static String render(List<Proposal> proposals, LearnSettings s) {
    StringBuilder out = new StringBuilder();
    out.append("# flowsentry learn: regular = seen on >= ").append(s.minDays()).append(" days or from >= ")
        .append(s.minHosts()).append(" hosts; destination networks /").append(s.v4Prefix()).append(" (IPv4), /")
        .append(s.v6Prefix()).append(" (IPv6); counts are connections that would alarm, before suppression\n");
    for (Proposal p : proposals) policy(out, p);
    return out.toString();
  }

  private static void policy(StringBuilder out, Proposal p) {
    out.append("\n# === policy ").append(p.policy()).append(": ").append(p.alarms()).append(" connections would alarm; the ")
        .append(p.entries().size()).append(" entries below remove ").append(p.removed()).append(", ")
        .append(p.alarms() - p.removed() - p.overflow()).append(" remain (one-offs)\n");
    if (p.overflow() > 0) {
      out.append("# ").append(p.overflow()).append(" of them found no room in --max-groups and are neither proposed nor listed\n");
    }
    if (!p.entries().isEmpty()) {
      out.append("# ranked by the alarms each removes:\n");
      int rank = 1;
      for (Entry e : p.entries()) {
        out.append("#   ").append(rank++).append(". ").append(e.list()).append(' ').append(e.yaml()).append(": removes ")
            .append(e.removes()).append(" (").append(e.services()).append(" from ").append(e.hosts()).append(e.hosts() == 1 ? " host" : " hosts")
            .append(" to ").append(e.destinations()).append(e.destinations() == 1 ? " network" : " networks").append(" on ")
            .append(e.days()).append(e.days() == 1 ? " day, " : " days, ").append(span(e.firstMicros(), e.lastMicros())).append(")\n");
      }
      out.append("# paste under the entry of policy ").append(p.policy()).append(" in policies.restricted_outgoing"
          + " (merge with lists it already has):\n");
      out.append(lists(p));
    }
    if (!p.oneOffs().isEmpty()) {
      out.append("# the alarms you would get (not regular):\n");
      List<OneOff> shown = p.oneOffs().subList(0, Math.min(LISTED_ONE_OFFS, p.oneOffs().size()));
      for (OneOff o : shown) {
        GroupKey g = o.group();
        out.append("#   ").append(g.orig()).append(" -> ").append(g.destination())
            .append(g.name() == null ? "" : " (" + g.name() + ")").append(' ')
            .append(ProposalBuilder.service(g.port(), g.proto())).append(": ").append(o.connections())
            .append(o.connections() == 1 ? " connection on " : " connections on ").append(o.days())
            .append(o.days() == 1 ? " day, " : " days, ").append(span(o.firstMicros(), o.lastMicros())).append('\n');
      }
      if (p.oneOffs().size() > shown.size()) {
        out.append("#   and ").append(p.oneOffs().size() - shown.size()).append(" more groups\n");
      }
    }
  }

  /** The proposed entries as YAML lists at column 0, each list ranked by what its entries remove. */
  public static String lists(Proposal p) {
    StringBuilder out = new StringBuilder();
    for (String list : List.of("allowed_domains", "allowed_destinations", "allowed_services", "allowed_pairs")) {
      List<Entry> entries = p.entries().stream().filter(e -> e.list().equals(list)).toList();
      if (entries.isEmpty()) continue;
      out.append(list).append(":\n");
      for (Entry e : entries) {
        out.append("  - ").append(e.yaml()).append("   # removes ").append(e.removes()).append('\n');
      }
    }
    return out.toString();
  }

  private static String span(long first, long last) {
    LocalDate a = day(first), b = day(last);
    return a.equals(b) ? a.toString() : a + " .. " + b;
  }

  private static LocalDate day(long micros) {
    return LocalDate.ofInstant(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
