package io.flowsentry.analyzer.learn;

import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.analyzer.policy.ResolvedNames;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Would-be alarms grouped by policy × restricted host × service × destination network × responder
 * name (where dns.log is read), with at most {@code maxGroups} groups: a connection of a new
 * group beyond the bound is counted per policy as overflow, not grouped (it is then neither
 * proposed nor listed, and the report says how many). Names are held once each and only by
 * groups, at most {@link #MAX_NAME} characters, so the group bound bounds them too. One thread
 * adds.
 */
public final class TrafficGroups {
  /** Longest name kept (a DNS name has at most 253 characters); a longer one counts as no name. */
  public static final int MAX_NAME = 253;

  private final LearnSettings settings;
  private final ResponderNames names;
  private final ResolvedNames resolved;
  private final Map<GroupKey, GroupStats> groups = new HashMap<>();
  // one String per distinct name of the groups, not one per group
  private final Map<String, String> nameStrings = new HashMap<>();
  private long longNames;
  // per policy, indexed by the number policy() gave it: no boxing on the per-event path
  private final List<String> policyNames = new ArrayList<>();
  private long[] alarms = new long[4];
  private long[] overflow = new long[4];

  /** Without passive DNS: no group has a name. */
  public TrafficGroups(LearnSettings settings) {
    this(settings, ResponderNames.NONE, ResolvedNames.NONE);
  }

  /**
   * @param names the daemon's {@code resp_name} lookup (passive DNS), giving each connection's name
   * @param resolved whether the originator itself resolved the responder from that name, as
   *     {@code allowed_domains} asks it
   */
  public TrafficGroups(LearnSettings settings, ResponderNames names, ResolvedNames resolved) {
    this.settings = settings;
    this.names = names;
    this.resolved = resolved;
  }

  /**
   * Declares a policy (so that one without any would-be alarm is still reported) and returns
   * its number for {@link #add}; the same name gets the same number.
   */
  public int policy(String name) {
    int i = policyNames.indexOf(name);
    if (i >= 0) return i;
    policyNames.add(name);
    if (policyNames.size() > alarms.length) {
      alarms = Arrays.copyOf(alarms, alarms.length * 2);
      overflow = Arrays.copyOf(overflow, overflow.length * 2);
    }
    return policyNames.size() - 1;
  }

  /** One connection that would alarm under the policy numbered {@code policyIndex}. */
  public void add(int policyIndex, ConnectionEvent e) {
    String policy = policyNames.get(policyIndex);
    alarms[policyIndex]++;
    IpAddr resp = e.respH();
    Cidr destination = new Cidr(resp, resp.v6() ? settings.v6Prefix() : settings.v4Prefix());
    String name = names.nameFor(e.origH(), resp, e.tsMicros());
    if (name != null && name.length() > MAX_NAME) {
      longNames++;
      name = null;
    }
    GroupKey key = new GroupKey(policy, e.origH(), e.respP(), e.proto() == ConnectionEvent.ICMPV6 ? ConnectionEvent.ICMP : e.proto(),
        destination, name);
    GroupStats s = groups.get(key);
    if (s == null) {
      if (groups.size() >= settings.maxGroups()) {
        overflow[policyIndex]++;
        return;
      }
      if (name != null) key = new GroupKey(key.policy(), key.orig(), key.port(), key.proto(), key.destination(), intern(name));
      s = new GroupStats();
      groups.put(key, s);
    }
    String n = key.name();
    s.add(e.tsMicros(), resp, n != null && resolved.resolvedFrom(e.origH(), resp, e.tsMicros(), n::equals));
  }

  private String intern(String name) {
    String held = nameStrings.putIfAbsent(name, name);
    return held == null ? name : held;
  }

  /** Connections whose name was longer than {@link #MAX_NAME}, grouped as having none. */
  public long longNames() {
    return longNames;
  }

  public Map<GroupKey, GroupStats> groups() {
    return groups;
  }

  /** The policies declared, in order. */
  public List<String> policies() {
    return policyNames;
  }

  /** Would-be alarms of a policy (grouped or not). */
  public long alarms(String policy) {
    int i = policyNames.indexOf(policy);
    return i < 0 ? 0 : alarms[i];
  }

  /** Would-be alarms of a policy that found no room for their group. */
  public long overflow(String policy) {
    int i = policyNames.indexOf(policy);
    return i < 0 ? 0 : overflow[i];
  }
}
