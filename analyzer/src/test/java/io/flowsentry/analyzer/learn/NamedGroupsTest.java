package io.flowsentry.analyzer.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.analyzer.policy.ResolvedNames;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Groups keyed by name, and the allowed_domains entries proposed from them. */
class NamedGroupsTest {
  private static final long DAY = 86_400_000_000L;
  private static final long T0 = 1_772_323_200_000_000L;

  /** Names by responder address; "own" whether the originator resolved it itself. */
  private static TrafficGroups groups(Map<String, String> names, boolean own) {
    ResponderNames byAddress = (o, r, at) -> names.get(r.toString());
    ResolvedNames resolved = (o, r, at, accepts) -> own && names.containsKey(r.toString()) && accepts.test(names.get(r.toString()));
    return new TrafficGroups(LearnSettings.DEFAULTS, byAddress, resolved);
  }

  private static ConnectionEvent conn(String orig, String resp, long ts) {
    return ConnectionEvent.builder().tsMicros(ts).origH(IpAddr.parse(orig)).origP(40000).respH(IpAddr.parse(resp)).respP(443)
        .proto(ConnectionEvent.TCP).build();
  }

  private static List<String> entries(TrafficGroups g) {
    return new ProposalBuilder(LearnSettings.DEFAULTS).build(g).getFirst().entries().stream()
        .map(e -> e.list() + " " + e.yaml()).collect(Collectors.toList());
  }

  @Test
  void aNameOverSeveralNetworksFromSeveralHostsIsOneDomainEntry() {
    TrafficGroups g = groups(Map.of("146.75.40.1", "dl.cdn.example", "146.75.41.1", "dl.cdn.example"), true);
    int p = g.policy("servers");
    for (int h = 1; h <= 3; h++) {
      g.add(p, conn("192.168.4." + h, "146.75.40.1", T0 + h));
      g.add(p, conn("192.168.4." + h, "146.75.41.1", T0 + h));
    }
    assertEquals(List.of("allowed_domains dl.cdn.example"), entries(g));
    assertEquals(6, new ProposalBuilder(LearnSettings.DEFAULTS).build(g).getFirst().removed());
  }

  @Test
  void aNameOnlyTheSiteResolvedIsNotProposedAsADomain() {
    // allowed_domains asks what the originator resolved itself: the entry would remove nothing
    TrafficGroups g = groups(Map.of("146.75.40.1", "dl.cdn.example", "146.75.41.1", "dl.cdn.example"), false);
    int p = g.policy("servers");
    for (int h = 1; h <= 3; h++) {
      g.add(p, conn("192.168.4." + h, "146.75.40.1", T0 + h));
      g.add(p, conn("192.168.4." + h, "146.75.41.1", T0 + h));
    }
    assertEquals(List.of("allowed_destinations 146.75.40.0/24", "allowed_destinations 146.75.41.0/24"),
        entries(g).stream().sorted().toList());
  }

  @Test
  void aNameInOneNetworkIsLeftToTheOtherKinds() {
    TrafficGroups g = groups(Map.of("146.75.40.1", "dl.cdn.example", "146.75.40.2", "dl.cdn.example"), true);
    int p = g.policy("servers");
    for (int h = 1; h <= 3; h++) {
      g.add(p, conn("192.168.4." + h, "146.75.40.1", T0 + h));
      g.add(p, conn("192.168.4." + h, "146.75.40.2", T0 + h));
    }
    assertEquals(List.of("allowed_destinations 146.75.40.0/24"), entries(g));
  }

  @Test
  void threeRegularNamesUnderOneSuffixAreOneWildcardThatAlsoCoversItsOneOffs() {
    TrafficGroups g = groups(Map.of("146.75.40.1", "a.cdn.example", "146.75.41.1", "b.cdn.example", "146.75.42.1", "c.cdn.example",
        "146.75.43.1", "a.cdn.example", "146.75.44.1", "b.cdn.example", "146.75.45.1", "c.cdn.example", "9.9.9.9", "once.cdn.example"), true);
    int p = g.policy("servers");
    for (int d = 0; d < 3; d++) {
      for (int net = 40; net <= 45; net++) g.add(p, conn("192.168.4.1", "146.75." + net + ".1", T0 + d * DAY));
    }
    g.add(p, conn("192.168.4.2", "9.9.9.9", T0));
    Proposal proposal = new ProposalBuilder(LearnSettings.DEFAULTS).build(g).getFirst();
    assertEquals(List.of("allowed_domains \"*.cdn.example\""), entries(g));
    // the wildcard matches once.cdn.example too, so the engine would not alarm on it either
    assertEquals(19, proposal.removed());
    assertTrue(proposal.oneOffs().isEmpty());
  }

  @Test
  void aTooLongNameIsGroupedAsNoName() {
    String longName = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(60) + ".example";
    TrafficGroups g = groups(Map.of("146.75.40.1", longName), true);
    int p = g.policy("servers");
    g.add(p, conn("192.168.4.1", "146.75.40.1", T0));
    assertEquals(1, g.longNames());
    assertNull(g.groups().keySet().iterator().next().name());
  }

  @Test
  void withoutPassiveDnsNoGroupHasAName() {
    TrafficGroups g = new TrafficGroups(LearnSettings.DEFAULTS);
    int p = g.policy("servers");
    g.add(p, conn("192.168.4.1", "146.75.40.1", T0));
    assertNull(g.groups().keySet().iterator().next().name());
  }
}
