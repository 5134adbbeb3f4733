package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.event.Cidr;
import java.util.HashSet;
import java.util.SplittableRandom;

/**
 * A fixed table of distinct IPv4 flows drawn deterministically from a seed: the same seed,
 * count and networks always give the same flows, so a receiver's totals can be checked exactly.
 * Record {@code k} of a run describes flow {@code k % size()}; its packet and octet counters
 * belong to the flow and never change, which makes totals a sum over flows.
 */
public final class SyntheticFlows {
  public static final int MAX_FLOWS = 1_000_000;
  /** Draws per wanted flow before giving up: networks too small for the count are reported, not looped on. */
  private static final int MAX_DRAWS_PER_FLOW = 20;
  private static final int[] SERVICE_PORTS = {80, 443, 53, 22, 25, 123, 445, 993, 3389, 8080};

  private final int[] src;
  private final int[] dst;
  private final short[] srcPort;
  private final short[] dstPort;
  private final byte[] protocol;
  private final byte[] tcpFlags;
  private final int[] packets;
  private final int[] octets;
  private final int[] durationMillis;
  private final int[] endAgoMillis;

  /**
   * @throws IllegalArgumentException when a network is not IPv4, the count is out of range, or
   *     the networks cannot hold that many distinct flows
   */
  public SyntheticFlows(int count, long seed, Cidr sourceNetwork, Cidr destinationNetwork) {
    if (count < 1 || count > MAX_FLOWS) {
      throw new IllegalArgumentException("flows: " + count + " (expected: 1-" + MAX_FLOWS + ")");
    }
    if (sourceNetwork.network().v6() || destinationNetwork.network().v6()) {
      throw new IllegalArgumentException("networks must be IPv4 (NetFlow v5 carries only IPv4), got " + sourceNetwork + " and " + destinationNetwork);
    }
    src = new int[count];
    dst = new int[count];
    srcPort = new short[count];
    dstPort = new short[count];
    protocol = new byte[count];
    tcpFlags = new byte[count];
    packets = new int[count];
    octets = new int[count];
    durationMillis = new int[count];
    endAgoMillis = new int[count];
    SplittableRandom random = new SplittableRandom(seed);
    HashSet<FiveTuple> seen = new HashSet<>();
    long draws = 0;
    for (int i = 0; i < count; ) {
      if (++draws > (long) count * MAX_DRAWS_PER_FLOW) {
        throw new IllegalArgumentException("cannot draw " + count + " distinct flows from " + sourceNetwork + " to " + destinationNetwork);
      }
      int s = pick(random, sourceNetwork);
      int d = pick(random, destinationNetwork);
      int roll = random.nextInt(100);
      int proto = roll < 70 ? 6 : roll < 95 ? 17 : 1;
      int sp = proto == 1 ? 0 : 1024 + random.nextInt(65536 - 1024);
      int dp = proto == 1 ? 0x0800 : random.nextInt(5) > 0 ? SERVICE_PORTS[random.nextInt(SERVICE_PORTS.length)] : 1 + random.nextInt(65535);
      if (!seen.add(new FiveTuple(s, d, sp, dp, proto))) continue;
      src[i] = s;
      dst[i] = d;
      srcPort[i] = (short) sp;
      dstPort[i] = (short) dp;
      protocol[i] = (byte) proto;
      tcpFlags[i] = (byte) (proto == 6 ? 0x1B : 0); // FIN PSH ACK SYN: a complete small connection
      packets[i] = 1 + random.nextInt(64);
      octets[i] = packets[i] * (40 + random.nextInt(1461));
      durationMillis[i] = random.nextInt(30_000);
      endAgoMillis[i] = random.nextInt(2_000);
      i++;
    }
  }

  /** The table with each flow turned around; the arrays are never written after construction, so both share them. */
  private SyntheticFlows(SyntheticFlows forward) {
    src = forward.dst;
    dst = forward.src;
    srcPort = forward.dstPort;
    dstPort = forward.srcPort;
    protocol = forward.protocol;
    tcpFlags = forward.tcpFlags;
    packets = forward.packets;
    octets = forward.octets;
    durationMillis = forward.durationMillis;
    endAgoMillis = forward.endAgoMillis;
  }

  /**
   * The same conversations seen from the responder's side: addresses and ports swapped (an ICMP
   * echo request, type 8 in the destination port, comes back as type 0, an echo reply), counters
   * and times kept. A router exports both directions of a connection as two flows; these are the
   * second ones, for exercising a collector's originator decision.
   */
  public SyntheticFlows replies() {
    return new SyntheticFlows(this);
  }

  private record FiveTuple(int src, int dst, int srcPort, int dstPort, int protocol) {}

  private static int pick(SplittableRandom random, Cidr network) {
    long size = 1L << (32 - network.prefixLength());
    return network.network().v4() + (int) random.nextLong(size);
  }

  public int size() {
    return src.length;
  }

  public int src(int i) { return src[i]; }

  public int dst(int i) { return dst[i]; }

  public int srcPort(int i) { return srcPort[i] & 0xFFFF; }

  public int dstPort(int i) { return dstPort[i] & 0xFFFF; }

  public int protocol(int i) { return protocol[i] & 0xFF; }

  public int tcpFlags(int i) { return tcpFlags[i] & 0xFF; }

  public long packets(int i) { return packets[i]; }

  public long octets(int i) { return octets[i]; }

  /** How long the flow lasted, in milliseconds. */
  public int durationMillis(int i) { return durationMillis[i]; }

  /** How long before the export the flow ended, in milliseconds. */
  public int endAgoMillis(int i) { return endAgoMillis[i]; }

  /** Ingress interface index: a few, as on a real router. */
  public int inputInterface(int i) { return 1 + (i & 3); }

  public int outputInterface(int i) { return 5 + (i & 1); }
}
