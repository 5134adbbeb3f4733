package io.flowsentry.collector.zeek.dns;

import io.flowsentry.collector.event.IpAddr;
import java.util.List;
import java.util.Objects;

/**
 * What one answered dns.log line teaches: {@code client} asked for {@code query} and was told
 * these addresses (CNAME and other non-address answers left out; the name is the one the client
 * asked for, which is what it meant to reach).
 *
 * @param tsMicros when the query was sent (Zeek's {@code ts}), epoch microseconds
 * @param client the querying host ({@code id.orig_h})
 * @param query the name asked for, lower case, without a trailing dot
 * @param addresses the A/AAAA answers with their TTLs
 */
public record DnsAnswers(long tsMicros, IpAddr client, String query, List<Resolved> addresses) {

  /** @param ttlMicros the answer's TTL, -1 when the log gave none */
  public record Resolved(IpAddr address, long ttlMicros) {
    public Resolved {
      Objects.requireNonNull(address, "address");
    }
  }

  public DnsAnswers {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(query, "query");
    addresses = List.copyOf(addresses);
  }
}
