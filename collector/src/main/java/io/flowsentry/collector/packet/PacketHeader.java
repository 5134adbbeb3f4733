package io.flowsentry.collector.packet;

import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.Numbers;

/**
 * The flow key of a sampled packet from its first bytes, as packet-sampling exporters send them:
 * IPFIX dataLinkFrameSection (element 315, RFC 7133; Cisco, Juniper) and the sFlow v5 raw packet
 * header record (Ethernet or a bare IPv4/IPv6 packet). Both decoders use this one parser. Walks Ethernet, 802.1Q/802.1ad tags, MPLS labels (and a pseudowire
 * control word followed by an inner Ethernet frame, as EVPN carries it), then the outer IPv4 or
 * IPv6 header (past its extension headers) and the TCP/UDP/SCTP ports or ICMP type/code. With
 * {@link io.flowsentry.collector.netflow.Decapsulation#SRV6}, an IPv6 packet that carries IPv4 or
 * IPv6 (SRv6 encapsulation, with or without a segment routing header) is reported by its inner
 * packet, as akvorado does with SRv6 decapsulation; one level only. Fills only what the record's
 * own fields left unknown. Every read is bounded by the section; a short section yields what fits.
 */
public final class PacketHeader {

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_VLAN = 0x8100;
  private static final int ETHERTYPE_QINQ = 0x88A8;
  private static final int ETHERTYPE_MPLS = 0x8847;
  /** Tags and labels followed per frame; real stacks have two or three. */
  private static final int MAX_LABELS = 8;
  private static final int IPPROTO_IPV4 = 4;
  private static final int IPPROTO_IPV6 = 41;
  private static final int IPPROTO_FRAGMENT = 44;
  /** IPv6 extension headers followed before the transport or inner header. */
  private static final int MAX_EXTENSION_HEADERS = 8;

  private PacketHeader() {}

  /**
   * Fills what {@code b} leaves unknown from an Ethernet frame's first {@code len} bytes.
   *
   * @param decapsulate report an IP-in-IPv6 (SRv6) packet by its inner packet
   */
  public static void fillFromEthernet(byte[] a, int pos, int len, boolean decapsulate, FlowRecord.Builder b) {
    ethernet(a, pos, pos + len, b, true, decapsulate);
  }

  /** Fills what {@code b} leaves unknown from the first {@code len} bytes of a bare IPv4 or IPv6 packet. */
  public static void fillFromIp(byte[] a, int pos, int len, boolean decapsulate, FlowRecord.Builder b) {
    if (len < 1) return;
    int type = switch ((a[pos] >> 4) & 0xF) {
      case 4 -> ETHERTYPE_IPV4;
      case 6 -> ETHERTYPE_IPV6;
      default -> -1;
    };
    ip(a, pos, pos + len, type, b, decapsulate);
  }

  private static void ethernet(byte[] a, int pos, int end, FlowRecord.Builder b, boolean outer, boolean decapsulate) {
    if (end - pos < 14) return;
    int type = Numbers.u16(a, pos + 12);
    pos += 14;
    for (int i = 0; i < MAX_LABELS && (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) && end - pos >= 4; i++) {
      type = Numbers.u16(a, pos + 2);
      pos += 4;
    }
    if (type == ETHERTYPE_MPLS) {
      mpls(a, pos, end, b, outer, decapsulate);
    } else {
      ip(a, pos, end, type, b, decapsulate);
    }
  }

  private static void mpls(byte[] a, int pos, int end, FlowRecord.Builder b, boolean outer, boolean decapsulate) {
    for (int i = 0; i < MAX_LABELS && end - pos >= 4; i++) {
      boolean bottom = (a[pos + 2] & 1) != 0;
      pos += 4;
      if (!bottom) continue;
      if (end - pos < 1) return;
      switch ((a[pos] >> 4) & 0xF) {
        case 4 -> ip(a, pos, end, ETHERTYPE_IPV4, b, decapsulate);
        case 6 -> ip(a, pos, end, ETHERTYPE_IPV6, b, decapsulate);
        case 0 -> {
          // RFC 4385 pseudowire control word, then the customer's Ethernet frame
          if (outer) ethernet(a, pos + 4, end, b, false, decapsulate);
        }
        default -> { }
      }
      return;
    }
  }

  private static void ip(byte[] a, int pos, int end, int type, FlowRecord.Builder b, boolean decapsulate) {
    int protocol;
    int l4;
    if (type == ETHERTYPE_IPV4 && end - pos >= 20 && (a[pos] >> 4 & 0xF) == 4) {
      int headerLength = (a[pos] & 0xF) * 4;
      if (b.tos < 0) b.tos = a[pos + 1] & 0xFF;
      if (b.octets < 0) b.octets = Numbers.u16(a, pos + 2);
      boolean firstFragment = (Numbers.u16(a, pos + 6) & 0x1FFF) == 0;
      protocol = a[pos + 9] & 0xFF;
      if (!b.hasSource()) b.sourceV4(Numbers.i32(a, pos + 12));
      if (!b.hasDestination()) b.destinationV4(Numbers.i32(a, pos + 16));
      l4 = firstFragment && headerLength >= 20 ? pos + headerLength : end;
    } else if (type == ETHERTYPE_IPV6 && end - pos >= 40 && (a[pos] >> 4 & 0xF) == 6) {
      // the transport protocol is the last next-header after the extension headers
      protocol = a[pos + 6] & 0xFF;
      l4 = pos + 40;
      boolean laterFragment = false;
      for (int i = 0; i < MAX_EXTENSION_HEADERS && isExtensionHeader(protocol) && end - l4 >= 8; i++) {
        boolean fragment = protocol == IPPROTO_FRAGMENT;
        // a fragment other than the first carries no transport header
        if (fragment && (Numbers.u16(a, l4 + 2) & 0xFFF8) != 0) laterFragment = true;
        int length = fragment ? 8 : ((a[l4 + 1] & 0xFF) + 1) * 8;
        protocol = a[l4] & 0xFF;
        l4 += length;
      }
      if (laterFragment) l4 = end;
      if (decapsulate && (protocol == IPPROTO_IPV4 || protocol == IPPROTO_IPV6) && l4 < end) {
        // SRv6 (RFC 8986 H.Encaps: an outer IPv6 header, usually with a segment routing header)
        // and other IP-in-IPv6 tunnels: the hosts that talk are in the inner packet
        ip(a, l4, end, protocol == IPPROTO_IPV4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6, b, false);
        return;
      }
      if (b.tos < 0) b.tos = (Numbers.u16(a, pos) >> 4) & 0xFF;
      if (b.octets < 0) b.octets = Numbers.u16(a, pos + 4) + 40L;
      if (!b.hasSource()) b.sourceV6(Numbers.i64(a, pos + 8), Numbers.i64(a, pos + 16));
      if (!b.hasDestination()) b.destinationV6(Numbers.i64(a, pos + 24), Numbers.i64(a, pos + 32));
    } else {
      return;
    }
    if (b.packets < 0) b.packets = 1;
    if (b.protocol < 0) b.protocol = protocol;
    if (protocol != b.protocol) return; // the record's own fields describe another layer
    transport(a, l4, end, protocol, b);
  }

  /** Hop-by-hop options, routing (SRv6's segment routing header is type 4 of it), fragment, destination options. */
  private static boolean isExtensionHeader(int nextHeader) {
    return nextHeader == 0 || nextHeader == 43 || nextHeader == IPPROTO_FRAGMENT || nextHeader == 60;
  }

  private static void transport(byte[] a, int pos, int end, int protocol, FlowRecord.Builder b) {
    switch (protocol) {
      case 6, 17, 132 -> {
        if (end - pos < 4) return;
        if (b.sourcePort < 0) b.sourcePort = Numbers.u16(a, pos);
        if (b.destinationPort < 0) b.destinationPort = Numbers.u16(a, pos + 2);
        if (protocol == 6 && end - pos >= 14 && b.tcpFlags < 0) b.tcpFlags = a[pos + 13] & 0xFF;
      }
      case 1, 58 -> {
        if (end - pos < 2 || b.icmpType >= 0) return;
        b.icmpType = a[pos] & 0xFF;
        b.icmpCode = a[pos + 1] & 0xFF;
      }
      default -> { }
    }
  }
}
