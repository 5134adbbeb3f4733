package io.flowsentry.analyzer.learn;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
  // per policy, indexed by the number policy() gave it: no boxing on the per-event path
  private final List<String> names = new ArrayList<>();
  private long[] alarms = new long[4];
  private long[] overflow = new long[4];

  public TrafficGroups(LearnSettings settings) {
    this.settings = settings;
  }

  /**
   * Declares a policy (so that one without any would-be alarm is still reported) and returns
   * its number for {@link #add}; the same name gets the same number.
   */
  public int policy(String name) {
    int i = names.indexOf(name);
    if (i >= 0) return i;
    names.add(name);
    if (names.size() > alarms.length) {
      alarms = Arrays.copyOf(alarms, alarms.length * 2);
      overflow = Arrays.copyOf(overflow, overflow.length * 2);
    }
    return names.size() - 1;
  }

  /** One connection that would alarm under the policy numbered {@code policyIndex}. */
  public void add(int policyIndex, ConnectionEvent e) {
    String policy = names.get(policyIndex);
    alarms[policyIndex]++;
    IpAddr resp = e.respH();
    Cidr destination = new Cidr(resp, resp.v6() ? settings.v6Prefix() : settings.v4Prefix());
    GroupKey key = new GroupKey(policy, e.origH(), e.respP(), e.proto() == ConnectionEvent.ICMPV6 ? ConnectionEvent.ICMP : e.proto(), destination);
    GroupStats s = groups.get(key);
    if (s == null) {
      if (groups.size() >= settings.maxGroups()) {
        overflow[policyIndex]++;
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

  /** The policies declared, in order. */
  public List<String> policies() {
    return names;
  }

  /** Would-be alarms of a policy (grouped or not). */
  public long alarms(String policy) {
    int i = names.indexOf(policy);
    return i < 0 ? 0 : alarms[i];
  }

  /** Would-be alarms of a policy that found no room for their group. */
  public long overflow(String policy) {
    int i = names.indexOf(policy);
    return i < 0 ? 0 : overflow[i];
  }
}
