package io.flowsentry.analyzer.learn;

import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.List;

/**
 * Events → every policy's real decision ({@link RestrictedOutgoingPolicy#alarms}, before
 * suppression) → the groups of the ones that would alarm. Flows no policy can alarm on are
 * skipped by the sources, as in the analyzer. One thread.
 */
public final class Learner implements EventHandler {
  private final RestrictedOutgoingPolicy[] policies;
  private final int[] policyIndex;
  private final PrefixSet originators;
  private final TrafficGroups groups;
  private long events;

  public Learner(List<RestrictedOutgoingPolicy> policies, TrafficGroups groups) {
    this.policies = policies.toArray(RestrictedOutgoingPolicy[]::new);
    this.policyIndex = new int[this.policies.length];
    List<Cidr> networks = new ArrayList<>();
    for (int i = 0; i < this.policies.length; i++) {
      networks.addAll(this.policies[i].restrictedNetworks().blocks());
      policyIndex[i] = groups.policy(this.policies[i].name());
    }
    this.originators = PrefixSet.of(networks);
    this.groups = groups;
  }

  @Override
  public void onEvent(ConnectionEvent e) {
    events++;
    for (int i = 0; i < policies.length; i++) {
      if (policies[i].alarms(e)) groups.add(policyIndex[i], e);
    }
  }

  @Override
  public boolean wants(IpAddr a, IpAddr b) {
    return originators.contains(a) || originators.contains(b);
  }

  @Override
  public boolean wants(long aHi, long aLo, boolean aV6, long bHi, long bLo, boolean bV6) {
    return originators.contains(aHi, aLo, aV6) || originators.contains(bHi, bLo, bV6);
  }

  @Override
  public void onSkipped(io.flowsentry.collector.event.EventSource source, int count, long newestTsMicros) {
    events += count;
  }

  /** Connection events read (analyzed or skipped as unable to alarm). */
  public long events() {
    return events;
  }
}
