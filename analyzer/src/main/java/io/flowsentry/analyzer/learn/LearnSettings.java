package io.flowsentry.analyzer.learn;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code learn} counts as regular and how much it keeps.
 *
 * @param minDays traffic seen on at least this many days (UTC) is regular
 * @param minHosts traffic from at least this many hosts of the network is regular; also the
 *     number of destination networks that makes one host's service a service (allowed_services)
 * @param maxGroups bound on (policy, host, service, destination network) groups; connections
 *     beyond it are counted, not grouped
 * @param v4Prefix destination networks of IPv4 responders (default /24)
 * @param v6Prefix destination networks of IPv6 responders (default /48)
 */
public record LearnSettings(int minDays, int minHosts, int maxGroups, int v4Prefix, int v6Prefix) {
  public static final LearnSettings DEFAULTS = new LearnSettings(3, 3, 100_000, 24, 48);

  /** Every problem, each naming its option. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (minDays < 1) p.add("--min-days: " + minDays + " (expected: 1 or more)");
    if (minHosts < 1) p.add("--min-hosts: " + minHosts + " (expected: 1 or more)");
    if (maxGroups < 1 || maxGroups > 10_000_000) p.add("--max-groups: " + maxGroups + " (expected: 1 to 10000000)");
    if (v4Prefix < 8 || v4Prefix > 32) p.add("--v4-prefix: " + v4Prefix + " (expected: 8 to 32)");
    if (v6Prefix < 16 || v6Prefix > 128) p.add("--v6-prefix: " + v6Prefix + " (expected: 16 to 128)");
    return p;
  }
}
