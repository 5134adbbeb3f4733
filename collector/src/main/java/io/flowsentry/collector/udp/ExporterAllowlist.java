package io.flowsentry.collector.udp;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Which exporters may send: a handful of CIDRs checked per datagram on the receiving thread.
 * Lists are short (an operator's router ranges), so a scan over flat arrays beats a trie and
 * allocates nothing for IPv4 senders.
 */
public final class ExporterAllowlist {
  private final boolean any;
  private final int[] v4Network;
  private final int[] v4Mask;
  private final long[] v6Hi;
  private final long[] v6Lo;
  private final long[] v6MaskHi;
  private final long[] v6MaskLo;

  public ExporterAllowlist(List<Cidr> cidrs) {
    any = cidrs.isEmpty();
    List<Cidr> v4 = cidrs.stream().filter(c -> !c.network().v6()).toList();
    List<Cidr> v6 = cidrs.stream().filter(c -> c.network().v6()).toList();
    v4Network = new int[v4.size()];
    v4Mask = new int[v4.size()];
    for (int i = 0; i < v4.size(); i++) {
      v4Network[i] = v4.get(i).network().v4();
      v4Mask[i] = (int) Cidr.maskLo(v4.get(i).prefixLength(), false);
    }
    v6Hi = new long[v6.size()];
    v6Lo = new long[v6.size()];
    v6MaskHi = new long[v6.size()];
    v6MaskLo = new long[v6.size()];
    for (int i = 0; i < v6.size(); i++) {
      Cidr c = v6.get(i);
      v6Hi[i] = c.network().hi();
      v6Lo[i] = c.network().lo();
      v6MaskHi[i] = Cidr.maskHi(c.prefixLength(), true);
      v6MaskLo[i] = Cidr.maskLo(c.prefixLength(), true);
    }
  }

  /** @throws IllegalArgumentException when an entry is not a CIDR (validate the config first) */
  public static ExporterAllowlist parse(List<String> cidrs) {
    return new ExporterAllowlist(cidrs.stream().map(Cidr::parse).toList());
  }

  public boolean allowsAny() {
    return any;
  }

  public boolean allows(InetAddress sender) {
    if (any) return true;
    if (sender instanceof Inet4Address) {
      byte[] b = sender.getAddress();
      return allowsV4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
    }
    IpAddr a = IpAddr.of(sender);
    // an IPv4 exporter seen through a dual-stack [::] socket arrives as ::ffff:a.b.c.d
    if (a.hi() == 0 && (a.lo() >>> 32) == 0xFFFFL) return allowsV4((int) a.lo());
    return allowsV6(a.hi(), a.lo());
  }

  boolean allowsV4(int address) {
    for (int i = 0; i < v4Network.length; i++) {
      if ((address & v4Mask[i]) == v4Network[i]) return true;
    }
    return false;
  }

  boolean allowsV6(long hi, long lo) {
    for (int i = 0; i < v6Hi.length; i++) {
      if ((hi & v6MaskHi[i]) == v6Hi[i] && (lo & v6MaskLo[i]) == v6Lo[i]) return true;
    }
    return false;
  }
}
