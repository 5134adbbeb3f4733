package io.flowsentry.analyzer.explain;

import java.util.List;

/**
 * Why a connection would or would not alarm, per policy: what {@code flowsentry explain} prints
 * and {@code GET /explain} answers (as JSON with snake_case keys). Times are ISO-8601 UTC text.
 *
 * @param evaluatedBy {@code daemon} (a running daemon's live names and suppression) or {@code local}
 */
public record Explanation(String orig, String resp, String service, String at, String evaluatedBy,
    List<PolicyVerdict> policies) {

  /** The same explanation with each policy's live suppression (policies the function knows nothing of get {@link Suppression#NONE}). */
  public Explanation withSuppression(java.util.function.Function<String, Suppression> byPolicy) {
    List<PolicyVerdict> out = policies.stream().map(v -> {
      Suppression s = byPolicy.apply(v.policy());
      return v.withSuppression(s == null ? Suppression.NONE : s);
    }).toList();
    return new Explanation(orig, resp, service, at, evaluatedBy, out);
  }

  /**
   * One policy's verdict.
   *
   * @param alarms whether the connection breaks the policy (before suppression), as the analyzer decides it
   * @param decision the {@code Decision} that decided it: the first check, in the analyzer's order, that let it through
   * @param restrictedBy the {@code restricted_networks} entries holding the originator
   * @param localBy the {@code site.local_networks} entries holding the responder
   * @param exceptions every exception entry that matches (the deciding one and any other)
   * @param names the hostnames of this policy with the addresses they stand for now
   * @param suppression the live suppression of the key; null when not asked of a running daemon
   * @param mode the policy's {@code mode}: {@code enforce}, or {@code shadow} (its alarms go only to its own log)
   */
  public record PolicyVerdict(String policy, boolean alarms, String decision, String why,
      List<String> restrictedBy, List<String> localBy, List<ExceptionMatch> exceptions,
      List<NameAddresses> names, Suppression suppression, String mode) {

    public PolicyVerdict withSuppression(Suppression s) {
      return new PolicyVerdict(policy, alarms, decision, why, restrictedBy, localBy, exceptions, names, s, mode);
    }
  }

  /**
   * An exception entry that matches.
   *
   * @param list {@code allowed_destinations}, {@code allowed_services}, {@code allowed_pairs} or {@code allowed_domains}
   * @param index the entry's position in its list (from 0, as check-config names it)
   * @param entry the entry as configured
   * @param detail how it matched (the name resolved, for instance); empty when plain
   */
  public record ExceptionMatch(String list, int index, String entry, String detail) {}

  /**
   * A hostname of {@code allowed_pairs} or {@code allowed_domains} and the addresses it stands for.
   *
   * @param background what background DNS resolution holds now (empty: not resolved yet, or failing)
   * @param dnsLog the originator's own lookups of this name that gave the responder, valid at the moment (dns.log)
   */
  public record NameAddresses(String name, String usedIn, List<String> background, List<SeenInDnsLog> dnsLog) {}

  /** The originator resolved {@code address} from {@code name}; it counts from {@code from} to {@code until}. */
  public record SeenInDnsLog(String name, String address, String from, String until) {}

  /**
   * @param suppressed whether an alarm for this key is held back at the moment asked
   * @param lastSeen when the key last alarmed or was suppressed (event time)
   * @param suppressedUntil when its quiet time ends unless seen again
   */
  public record Suppression(boolean suppressed, String lastSeen, String suppressedUntil) {
    public static final Suppression NONE = new Suppression(false, null, null);
  }
}
