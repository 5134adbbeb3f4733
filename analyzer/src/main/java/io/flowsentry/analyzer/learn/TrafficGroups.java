package io.flowsentry.analyzer.learn;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Would-be alarms grouped by policy × restricted host × service × destination network, with at
 * most {@code maxGroups} groups: a connection of a new group beyond the bound is counted per
 * policy as overflow, not grouped (it is then neither proposed nor listed, and the report says
 * how many). One thread adds.
 */
public final class TrafficGroups {
  private final LearnSettings settings;
  private final Map<GroupKey, GroupStats> groups = new HashMap<>();
  private final Map<String, Long> alarms = new LinkedHashMap<>();
  private final Map<String, Long> overflow = new LinkedHashMap<>();

  public TrafficGroups(LearnSettings settings) {
    this.settings = settings;
  }

  /** Declares a policy, so that one without any would-be alarm is still reported. */
  public void policy(String name) {
    alarms.putIfAbsent(name, 0L);
  }

  /** One connection that would alarm under {@code policy}. */
  public void add(String policy, ConnectionEvent e) {
    alarms.merge(policy, 1L, Long::sum);
    IpAddr resp = e.respH();
    Cidr destination = new Cidr(resp, resp.v6() ? settings.v6Prefix() : settings.v4Prefix());
    GroupKey key = new GroupKey(policy, e.origH(), e.respP(), e.proto() == ConnectionEvent.ICMPV6 ? ConnectionEvent.ICMP : e.proto(), destination);
    GroupStats s = groups.get(key);
    if (s == null) {
      if (groups.size() >= settings.maxGroups()) {
        overflow.merge(policy, 1L, Long::sum);
        return;
      }
      s = new GroupStats();
      groups.put(key, s);
    }
    s.add(e.tsMicros(), resp);
  }

  public Map<GroupKey, GroupStats> groups() {
    return groups;
  }

  /** Would-be alarms per policy (grouped or not). */
  public Map<String, Long> alarms() {
    return alarms;
  }

  /** Would-be alarms per policy that found no room for their group. */
  public long overflow(String policy) {
    return overflow.getOrDefault(policy, 0L);
  }
}
