package io.flowsentry.collector.event;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 (corelight community-id-spec): the flow hash Zeek, Suricata and others log as
 * {@code community_id}, so an analyst can pivot from an alarm to their records of the same
 * connection. SHA-1 over
 * <pre>
 *   seed (2 bytes, big-endian) | lower address | higher address | protocol (1) | 0 (1)
 *   | lower port (2) | higher port (2)        -- ports only for TCP, UDP, SCTP, ICMP, ICMPv6
 * </pre>
 * then {@code "1:"} + base64. "Lower" orders the endpoints by address bytes, then port, so both
 * directions of a conversation get the same ID. For ICMP and ICMPv6 the ports are the type and,
 * for a request/reply type, its counterpart type (else the code); a type without a counterpart
 * is one-way and keeps the sender first. Thread-safe; one digest per thread.
 */
public final class CommunityId {
  public static final int SCTP = 132;
  public static final CommunityId DEFAULT_SEED = new CommunityId(0);

  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  });

  private final int seed;

  /** @param seed 0..65535 ({@code site.community_id_seed}) */
  public CommunityId(int seed) {
    if (seed < 0 || seed > 0xFFFF) {
      throw new IllegalArgumentException("community id seed must be 0..65535, got " + seed);
    }
    this.seed = seed;
  }

  public int seed() {
    return seed;
  }

  /**
   * The event's ID. For ICMP the event carries the type in {@code orig_p} and the code (or, from
   * Zeek, the counterpart type) in {@code resp_p}, sent by the originator — except when
   * normalization made the record's destination the originator (confidence {@code reverse-seen}
   * or {@code port-heuristic}): then the responder sent it. This matters only for one-way types;
   * request/reply types hash the same from either side.
   */
  public String of(ConnectionEvent e) {
    if (e.isIcmp() && senderIsResponder(e.directionConfidence())) {
      return of(e.respH(), e.origP(), e.origH(), e.respP(), e.proto());
    }
    return of(e.origH(), e.origP(), e.respH(), e.respP(), e.proto());
  }

  private static boolean senderIsResponder(DirectionConfidence c) {
    return c == DirectionConfidence.REVERSE_SEEN || c == DirectionConfidence.PORT_HEURISTIC;
  }

  /**
   * The ID of packets from {@code src} to {@code dst}.
   *
   * @param srcPort source port; for ICMP/ICMPv6 the type
   * @param dstPort destination port; for ICMP/ICMPv6 the code
   */
  public String of(IpAddr src, int srcPort, IpAddr dst, int dstPort, int proto) {
    int sp = srcPort, dp = dstPort;
    boolean oneWay = false;
    if (proto == ConnectionEvent.ICMP || proto == ConnectionEvent.ICMPV6) {
      int counterpart = proto == ConnectionEvent.ICMP ? icmpCounterpart(srcPort) : icmp6Counterpart(srcPort);
      oneWay = counterpart < 0;
      dp = oneWay ? dstPort : counterpart;
    }
    if (!oneWay && !inOrder(src, sp, dst, dp)) {
      IpAddr a = src;
      src = dst;
      dst = a;
      int p = sp;
      sp = dp;
      dp = p;
    }
    boolean ports = hasPorts(proto);
    // the families differ only when a record lacked one address (0.0.0.0 stands in for it)
    byte[] buf = new byte[2 + length(src) + length(dst) + 2 + (ports ? 4 : 0)];
    int i = 0;
    buf[i++] = (byte) (seed >>> 8);
    buf[i++] = (byte) seed;
    i = put(buf, i, src);
    i = put(buf, i, dst);
    buf[i++] = (byte) proto;
    buf[i++] = 0;
    if (ports) {
      buf[i++] = (byte) (sp >>> 8);
      buf[i++] = (byte) sp;
      buf[i++] = (byte) (dp >>> 8);
      buf[i] = (byte) dp;
    }
    return "1:" + Base64.getEncoder().encodeToString(SHA1.get().digest(buf));
  }

  private static boolean hasPorts(int proto) {
    return proto == ConnectionEvent.TCP || proto == ConnectionEvent.UDP || proto == SCTP
        || proto == ConnectionEvent.ICMP || proto == ConnectionEvent.ICMPV6;
  }

  /** Whether (a, aPort) is the lower endpoint: address bytes first (unsigned), then port. */
  private static boolean inOrder(IpAddr a, int aPort, IpAddr b, int bPort) {
    int c = Long.compareUnsigned(a.hi(), b.hi());
    if (c == 0) c = Long.compareUnsigned(a.lo(), b.lo());
    return c < 0 || (c == 0 && aPort <= bPort);
  }

  private static int length(IpAddr a) {
    return a.v6() ? 16 : 4;
  }

  private static int put(byte[] buf, int i, IpAddr a) {
    if (!a.v6()) {
      int v = a.v4();
      buf[i] = (byte) (v >>> 24);
      buf[i + 1] = (byte) (v >>> 16);
      buf[i + 2] = (byte) (v >>> 8);
      buf[i + 3] = (byte) v;
      return i + 4;
    }
    for (int k = 0; k < 8; k++) {
      buf[i + k] = (byte) (a.hi() >>> (56 - 8 * k));
      buf[i + 8 + k] = (byte) (a.lo() >>> (56 - 8 * k));
    }
    return i + 16;
  }

  /** ICMPv4 request/reply pairs (echo, router, timestamp, information, address mask); -1 = one-way. */
  static int icmpCounterpart(int type) {
    return switch (type) {
      case 8 -> 0;
      case 0 -> 8;
      case 10 -> 9;
      case 9 -> 10;
      case 13 -> 14;
      case 14 -> 13;
      case 15 -> 16;
      case 16 -> 15;
      case 17 -> 18;
      case 18 -> 17;
      default -> -1;
    };
  }

  /** ICMPv6 pairs (echo, MLD, router and neighbour discovery, who-are-you, home agent discovery); -1 = one-way. */
  static int icmp6Counterpart(int type) {
    return switch (type) {
      case 128 -> 129;
      case 129 -> 128;
      case 130 -> 131;
      case 131 -> 130;
      case 133 -> 134;
      case 134 -> 133;
      case 135 -> 136;
      case 136 -> 135;
      case 139 -> 140;
      case 140 -> 139;
      case 144 -> 145;
      case 145 -> 144;
      default -> -1;
    };
  }
}
