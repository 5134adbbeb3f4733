package io.flowsentry.cluster.testing;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic connection events in time order over a small set of conversations, so that keys
 * repeat within and past a 60 s suppress_for: restricted hosts (192.168.4.0/24) to the Internet
 * (alarms), to local networks (none), Internet hosts to restricted ones (replies, none), TCP,
 * UDP and ICMP. Gaps are drawn in microseconds, so no repeat falls exactly on a window's end.
 */
public final class RepeatingTraffic {
  private RepeatingTraffic() {}

  public static List<ConnectionEvent> events(int count, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ConnectionEvent> out = new ArrayList<>(count);
    long ts = 1_225_743_661_000_000L;
    int[] ports = {22, 25, 53, 80, 123, 137, 443, 445, 3389};
    for (int i = 0; i < count; i++) {
      // 10 ms on average: one of the ~2600 restricted-outgoing keys comes back every ~25 s on average,
      // within or past its 60 s window; those of the 7 s policy mostly past theirs
      ts += r.nextLong(0, 20_000);
      int host = r.nextInt(24);
      int remote = r.nextInt(12);
      int port = ports[r.nextInt(ports.length)];
      int kind = r.nextInt(10);
      IpAddr restricted = IpAddr.parse("192.168.4." + (1 + host));
      IpAddr internet = IpAddr.parse("203.0.113." + (1 + remote));
      ConnectionEvent.Builder b = ConnectionEvent.builder().tsMicros(ts).durationMicros(r.nextLong(0, 5_000_000))
          .origPkts(1 + r.nextInt(20)).origIpBytes(40 + r.nextInt(3000)).source(EventSource.ZEEK)
          .directionConfidence(DirectionConfidence.EXPORTER).uid("C" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36));
      if (kind < 6) {
        b.origH(restricted).origP(1024 + r.nextInt(60000)).respH(internet).respP(port).proto(port == 53 || port == 123 || port == 137 ? 17 : 6);
      } else if (kind < 7) {
        b.origH(restricted).origP(8).respH(internet).respP(0).proto(1).icmpType(8).icmpCode(0);
      } else if (kind < 9) {
        b.origH(internet).origP(1024 + r.nextInt(60000)).respH(restricted).respP(port).proto(6);
      } else {
        b.origH(restricted).origP(1024 + r.nextInt(60000)).respH(IpAddr.parse("10.1.2." + (1 + remote))).respP(port).proto(6);
      }
      out.add(b.build());
    }
    return out;
  }
}
