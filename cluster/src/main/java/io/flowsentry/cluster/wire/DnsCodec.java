package io.flowsentry.cluster.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import java.util.ArrayList;
import java.util.List;

/** {@link DnsAnswers} to and from the v1 wire record ({@code DnsAnswer} in events.proto), for {@code <prefix>.dns.v1}. */
public final class DnsCodec {
  /** More addresses than any DNS answer fits in a UDP message: a record beyond it is not one. */
  static final int MAX_ADDRESSES = 4096;

  private DnsCodec() {}

  public static byte[] encode(DnsAnswers a) {
    DnsAnswer.Builder b = DnsAnswer.newBuilder().setTsMicros(a.tsMicros()).setClient(EventCodec.address(a.client()))
        .setQuery(a.query());
    for (DnsAnswers.Resolved r : a.addresses()) {
      b.addAddresses(ResolvedAddress.newBuilder().setAddress(EventCodec.address(r.address())).setTtlMicros(r.ttlMicros()));
    }
    return b.build().toByteArray();
  }

  /**
   * @throws MalformedRecordException when the bytes are not a v1 answer or break its rules (an
   *     address of another length than 4 or 16, no query name, too many addresses)
   */
  public static DnsAnswers decode(byte[] bytes) throws MalformedRecordException {
    DnsAnswer w;
    try {
      w = DnsAnswer.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRecordException("not a flowsentry.events.v1.DnsAnswer: " + e.getMessage());
    }
    if (w.getQuery().isEmpty()) throw new MalformedRecordException("query: empty");
    if (w.getAddressesCount() > MAX_ADDRESSES) {
      throw new MalformedRecordException("addresses: " + w.getAddressesCount() + " (expected: at most " + MAX_ADDRESSES + ")");
    }
    List<DnsAnswers.Resolved> addresses = new ArrayList<>(w.getAddressesCount());
    for (ResolvedAddress r : w.getAddressesList()) {
      addresses.add(new DnsAnswers.Resolved(EventCodec.address(r.getAddress(), "address"), r.getTtlMicros() < 0 ? -1 : r.getTtlMicros()));
    }
    IpAddr client = EventCodec.address(w.getClient(), "client");
    return new DnsAnswers(w.getTsMicros(), client, w.getQuery(), addresses);
  }
}
