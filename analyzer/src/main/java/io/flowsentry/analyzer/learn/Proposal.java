package io.flowsentry.analyzer.learn;

import java.util.List;

/**
 * What {@code learn} proposes for one policy: exception entries for its regular traffic, ranked
 * by the would-be alarms each removes, and the rest, which are the alarms the policy would give.
 *
 * @param alarms connections that would alarm (before suppression) in the input
 * @param overflow of those, the ones beyond {@code --max-groups} (neither proposed nor listed)
 */
public record Proposal(String policy, long alarms, long overflow, List<Entry> entries, List<OneOff> oneOffs) {

  /**
   * One proposed exception entry.
   *
   * @param list {@code allowed_domains}, {@code allowed_destinations}, {@code allowed_services} or {@code allowed_pairs}
   * @param yaml the entry as a YAML list item's value ({@code 198.51.100.0/24}, {@code { network: .., port: .. }}, {@code "*.cdn.example"})
   * @param removes would-be alarms it removes (those not removed by an entry ranked before it)
   * @param hosts restricted hosts whose connections it covers
   * @param destinations destination networks it covers
   * @param days UTC days on which they were seen
   * @param services the services (port/proto) covered, at most a few named
   */
  public record Entry(String list, String yaml, long removes, int hosts, int destinations, int days,
      long firstMicros, long lastMicros, String services) {}

  /** A group that is not regular: what would alarm. */
  public record OneOff(GroupKey group, long connections, int days, long firstMicros, long lastMicros) {}

  public long removed() {
    return entries.stream().mapToLong(Entry::removes).sum();
  }
}
