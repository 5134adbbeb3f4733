package io.flowsentry.analyzer.explain;

import io.flowsentry.analyzer.explain.Explanation.ExceptionMatch;
import io.flowsentry.analyzer.explain.Explanation.NameAddresses;
import io.flowsentry.analyzer.explain.Explanation.PolicyVerdict;
import io.flowsentry.analyzer.explain.Explanation.SeenInDnsLog;

/** An {@link Explanation} for people: one block per policy, the verdict first. */
public final class ExplanationText {
  private ExplanationText() {}

  public static String render(Explanation e) {
    StringBuilder out = new StringBuilder();
    out.append(e.orig()).append(" -> ").append(e.resp()).append(' ').append(e.service())
        .append(" at ").append(e.at()).append(" (evaluated by ").append(e.evaluatedBy()).append(")\n");
    if (e.policies().isEmpty()) out.append("no restricted_outgoing policy is configured\n");
    for (PolicyVerdict v : e.policies()) {
      out.append('\n').append("policy ").append(v.policy()).append(": ")
          .append(v.alarms() ? "WOULD ALARM" : "no alarm").append(" (").append(v.why()).append(")\n");
      if ("shadow".equals(v.mode())) {
        out.append("  mode: shadow (alarms go only to ").append(v.policy()).append(".log)\n");
      }
      out.append("  originator in restricted_networks: ")
          .append(v.restrictedBy().isEmpty() ? "no" : "yes, " + String.join(", ", v.restrictedBy())).append('\n');
      out.append("  responder in site.local_networks: ")
          .append(v.localBy().isEmpty() ? "no" : "yes, " + String.join(", ", v.localBy())).append('\n');
      if (v.exceptions().isEmpty()) out.append("  exceptions matching: none\n");
      for (ExceptionMatch m : v.exceptions()) {
        out.append("  exception matching: ").append(m.list()).append('[').append(m.index()).append("] ").append(m.entry());
        if (!m.detail().isEmpty()) out.append(" (").append(m.detail()).append(')');
        out.append('\n');
      }
      for (NameAddresses n : v.names()) {
        out.append("  name ").append(n.name()).append(" (").append(n.usedIn()).append("): ");
        if (n.usedIn().equals("allowed_pairs")) {
          out.append(n.background().isEmpty() ? "not resolved yet" : String.join(", ", n.background()))
              .append(" (background DNS)");
        } else {
          out.append("matched through what hosts resolve (dns.log)");
        }
        out.append('\n');
        for (SeenInDnsLog s : n.dnsLog()) {
          out.append("    the originator resolved ").append(s.address()).append(" from ").append(s.name())
              .append(", valid ").append(s.from()).append(" .. ").append(s.until()).append(" (dns.log)\n");
        }
      }
      if (v.suppression() != null) {
        out.append("  suppressed: ").append(v.suppression().suppressed()
            ? "yes, until " + v.suppression().suppressedUntil() + " (last seen " + v.suppression().lastSeen() + ")"
            : "no").append('\n');
      }
    }
    return out.toString();
  }
}
