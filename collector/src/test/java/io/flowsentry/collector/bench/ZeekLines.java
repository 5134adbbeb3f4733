package io.flowsentry.collector.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Typical conn.log content for the Zeek benchmarks: a Zeek 6 header with the columns sites
 * commonly add ({@code community_id}, MACs, VLAN), lines of about 250 bytes, 90 % IPv4 and
 * 10 % IPv6, TCP/UDP/ICMP mixed. The same connections are available as JSON lines.
 */
public final class ZeekLines {
  public static final String TSV_HEADER = """
      #separator \\x09
      #set_separator\t,
      #empty_field\t(empty)
      #unset_field\t-
      #path\tconn
      #open\t2026-11-28-00-00-00
      #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto\tcommunity_id\torig_l2_addr\tresp_l2_addr\tvlan
      #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount\tstring\tstring\tstring\tint
      """;
  private static final String[] SERVICES = {"ssl", "dns", "http", "-", "ssh", "ntp"};
  private static final String[] STATES = {"SF", "S0", "RSTO", "SH", "OTH", "REJ"};

  private ZeekLines() {}

  /** One connection's values, written either way. */
  private record Conn(long tsMicros, String uid, String origH, int origP, String respH, int respP, String proto,
      int ipProto, String service, long durationMicros, long origBytes, long respBytes, String state, String history,
      long origPkts, long origIpBytes, long respPkts, long respIpBytes, String communityId, String origMac,
      String respMac, int vlan) {}

  private static List<Conn> conns(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Conn> out = new ArrayList<>(n);
    String uidChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < n; i++) {
      StringBuilder uid = new StringBuilder("C");
      for (int k = 0; k < 17; k++) uid.append(uidChars.charAt(r.nextInt(uidChars.length())));
      boolean v6 = r.nextInt(10) == 0;
      int kind = r.nextInt(10);
      String proto = kind < 6 ? "tcp" : kind < 9 ? "udp" : "icmp";
      int ipProto = switch (proto) { case "tcp" -> 6; case "udp" -> 17; default -> v6 ? 58 : 1; };
      String origH = v6 ? "2001:db8:4:7::" + Integer.toHexString(r.nextInt(65536)) : "192.168." + r.nextInt(256) + "." + r.nextInt(256);
      String respH = v6 ? "2606:2800:220:1:248:1893:25c8:" + Integer.toHexString(r.nextInt(65536))
          : r.nextInt(224) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
      long origPkts = 1 + r.nextInt(200);
      long respPkts = r.nextInt(300);
      out.add(new Conn(1_764_288_000_000_000L + i * 1_000L + r.nextInt(1000), uid.toString(), origH,
          proto.equals("icmp") ? 8 : 1024 + r.nextInt(64000), respH, proto.equals("icmp") ? 0 : r.nextInt(10) < 7 ? 443 : 53,
          proto, ipProto, SERVICES[r.nextInt(SERVICES.length)], r.nextInt(1000) == 0 ? -1 : r.nextLong(120_000_000L),
          r.nextLong(2_000_000), r.nextLong(20_000_000), STATES[r.nextInt(STATES.length)], "ShADadFf",
          origPkts, origPkts * 60 + r.nextInt(50_000), respPkts, respPkts * 900 + r.nextInt(50_000),
          "1:" + uid.substring(1, 17) + "Kd8vQ0hQy4Ew=", mac(r), mac(r), 100 + r.nextInt(20)));
    }
    return out;
  }

  private static String mac(SplittableRandom r) {
    return String.format("00:1b:21:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256));
  }

  private static String seconds(long micros) {
    return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
  }

  /** {@code n} TSV data lines, each ending in a newline. */
  public static List<String> tsv(int n) {
    return conns(n, 42).stream().map(c -> String.join("\t", seconds(c.tsMicros), c.uid, c.origH, "" + c.origP,
        c.respH, "" + c.respP, c.proto, c.service, c.durationMicros < 0 ? "-" : seconds(c.durationMicros),
        "" + c.origBytes, "" + c.respBytes, c.state, "T", "F", "0", c.history, "" + c.origPkts, "" + c.origIpBytes,
        "" + c.respPkts, "" + c.respIpBytes, "-", "" + c.ipProto, c.communityId, c.origMac, c.respMac, "" + c.vlan)
        + "\n").toList();
  }

  /** The same connections as Zeek JSON lines ({@code LogAscii::use_json=T}). */
  public static List<String> json(int n) {
    return conns(n, 42).stream().map(c -> "{\"ts\":" + seconds(c.tsMicros) + ",\"uid\":\"" + c.uid
        + "\",\"id.orig_h\":\"" + c.origH + "\",\"id.orig_p\":" + c.origP + ",\"id.resp_h\":\"" + c.respH
        + "\",\"id.resp_p\":" + c.respP + ",\"proto\":\"" + c.proto + "\""
        + (c.service.equals("-") ? "" : ",\"service\":\"" + c.service + "\"")
        + (c.durationMicros < 0 ? "" : ",\"duration\":" + seconds(c.durationMicros))
        + ",\"orig_bytes\":" + c.origBytes + ",\"resp_bytes\":" + c.respBytes + ",\"conn_state\":\"" + c.state
        + "\",\"local_orig\":true,\"local_resp\":false,\"missed_bytes\":0,\"history\":\"" + c.history
        + "\",\"orig_pkts\":" + c.origPkts + ",\"orig_ip_bytes\":" + c.origIpBytes + ",\"resp_pkts\":" + c.respPkts
        + ",\"resp_ip_bytes\":" + c.respIpBytes + ",\"ip_proto\":" + c.ipProto + ",\"community_id\":\""
        + c.communityId + "\",\"orig_l2_addr\":\"" + c.origMac + "\",\"resp_l2_addr\":\"" + c.respMac
        + "\",\"vlan\":" + c.vlan + "}\n").toList();
  }
}
