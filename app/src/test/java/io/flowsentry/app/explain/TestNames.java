package io.flowsentry.app.explain;

import io.flowsentry.analyzer.explain.NameKnowledge;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.passivedns.PassiveDnsConfig;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable.Resolution;
import io.flowsentry.analyzer.policy.ResolvedNames;
import io.flowsentry.analyzer.resolve.HostTracker;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Background resolution as a fixed table (no DNS server), dns.log through the real passive DNS table. */
final class TestNames implements NameKnowledge {
  private final Map<String, List<IpAddr>> background = new HashMap<>();
  final PassiveDnsTable passive;

  TestNames(PassiveDnsConfig config) {
    passive = new PassiveDnsTable(config, new SimpleMeterRegistry());
  }

  TestNames resolvesTo(String hostname, String... addresses) {
    background.put(hostname, java.util.Arrays.stream(addresses).map(IpAddr::parse).toList());
    return this;
  }

  /** {@code client} looked {@code name} up at {@code tsMicros} and got {@code address} for {@code ttlSeconds}. */
  TestNames looksUp(String client, String name, String address, long tsMicros, long ttlSeconds) {
    passive.learn(new DnsAnswers(tsMicros, IpAddr.parse(client), name,
        List.of(new DnsAnswers.Resolved(IpAddr.parse(address), ttlSeconds * 1_000_000L))));
    return this;
  }

  @Override
  public HostTracker hosts() {
    return h -> a -> PrefixSet.ofAddresses(background.getOrDefault(h, List.of())).contains(a);
  }

  @Override
  public ResolvedNames resolved() {
    return passive::resolvedFrom;
  }

  @Override
  public List<IpAddr> backgroundAddresses(String hostname) {
    return background.getOrDefault(hostname, List.of());
  }

  @Override
  public List<Resolution> resolutions(IpAddr client, IpAddr address, long atMicros) {
    return passive.resolutions(client, address, atMicros);
  }

  static Cidr cidr(String s) {
    return Cidr.parse(s);
  }
}
