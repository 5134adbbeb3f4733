package io.flowsentry.analyzer.explain;

import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable.Resolution;
import io.flowsentry.analyzer.policy.ResolvedNames;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.analyzer.resolve.HostTracker;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;
import java.util.List;

/**
 * What flowsentry knows about names at the moment asked: the matchers the policies are compiled
 * with (so the verdict is the real one), and the same knowledge as lists, to show where each
 * address came from. Two sources: background DNS resolution of {@code allowed_pairs} hostnames,
 * and passive DNS (what hosts resolved themselves, from dns.log).
 */
public interface NameKnowledge {
  /** Where hostnames of {@code allowed_pairs} are tracked, as the analyzer compiles with. */
  HostTracker hosts();

  /** What hosts resolved themselves, as the analyzer compiles with. */
  ResolvedNames resolved();

  /** The addresses background resolution holds for {@code hostname} now (empty: not resolved yet). */
  List<IpAddr> backgroundAddresses(String hostname);

  /** The names {@code client} resolved to {@code address}, valid at {@code atMicros} (dns.log). */
  List<Resolution> resolutions(IpAddr client, IpAddr address, long atMicros);

  /** The knowledge of a running engine (or of a local one): its resolver and its passive DNS table. */
  static NameKnowledge of(DnsHostResolver resolver, PassiveDnsTable passiveDns) {
    return new NameKnowledge() {
      @Override
      public HostTracker hosts() {
        return resolver;
      }

      @Override
      public ResolvedNames resolved() {
        return passiveDns::resolvedFrom;
      }

      @Override
      public List<IpAddr> backgroundAddresses(String hostname) {
        // resolved names are held as single-address blocks
        return resolver.track(hostname).addresses().blocks().stream().map(Cidr::network).toList();
      }

      @Override
      public List<Resolution> resolutions(IpAddr client, IpAddr address, long atMicros) {
        return passiveDns.resolutions(client, address, atMicros);
      }
    };
  }
}
