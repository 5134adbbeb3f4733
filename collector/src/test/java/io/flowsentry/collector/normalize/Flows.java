package io.flowsentry.collector.normalize;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.FlowRecord;

/** Flow records for normalizer tests. */
final class Flows {
  private Flows() {}

  static FlowRecord.Builder flow(String src, int sp, String dst, int dp, int proto) {
    FlowRecord.Builder b = FlowRecord.builder();
    b.version = 10;
    b.exporter = IpAddr.parse("192.0.2.1");
    b.exportTimeMillis = 1_700_000_060_000L;
    b.sourceAddress(IpAddr.parse(src));
    b.destinationAddress(IpAddr.parse(dst));
    b.sourcePort = sp;
    b.destinationPort = dp;
    b.protocol = proto;
    b.packets = 10;
    b.octets = 1000;
    b.startMillis = 1_700_000_000_000L;
    b.endMillis = 1_700_000_001_500L;
    return b;
  }

  /** The same conversation seen in the other direction: addresses, ports and counter sides exchanged. */
  static FlowRecord reversed(FlowRecord r) {
    FlowRecord.Builder b = r.toBuilder();
    b.sourceAddress(r.destinationAddress());
    b.destinationAddress(r.sourceAddress());
    b.sourcePort = r.destinationPort();
    b.destinationPort = r.sourcePort();
    b.packets = r.reversePackets();
    b.octets = r.reverseOctets();
    b.reversePackets = r.packets();
    b.reverseOctets = r.octets();
    return b.build();
  }
}
