package io.flowsentry.analyzer.policy;

import io.flowsentry.collector.event.IpAddr;
import java.util.function.Predicate;

/** What hosts resolved themselves (Zeek's dns.log), as {@code allowed_domains} asks it. */
@FunctionalInterface
public interface ResolvedNames {
  /** Nothing known: no {@code allowed_domains} exception ever matches. */
  ResolvedNames NONE = (client, address, atMicros, names) -> false;

  /** Whether {@code client} itself resolved {@code address} from a name {@code names} accepts, valid at {@code atMicros}. */
  boolean resolvedFrom(IpAddr client, IpAddr address, long atMicros, Predicate<String> names);
}
