package io.flowsentry.collector.normalize;

/**
 * Which ports name a service, which are ephemeral, and which ICMP messages are replies: the
 * facts behind the port heuristic of {@link OriginatorDecision}.
 *
 * <p>Ephemeral means "≥ 1024 and not a registered service below". The narrower operating-system
 * ranges (Linux 32768–60999, Windows and RFC 6335 49152–65535) are not used: NAT gateways and
 * firewalls translate client ports into the whole 1024–65535 range, and a reply to a NATed
 * client must still be recognized as a reply.
 */
public final class ServicePorts {

  /** Lowest ephemeral (client) port. */
  public static final int EPHEMERAL_MIN = 1024;

  /**
   * Registered ports ≥ 1024 on which servers commonly listen (IANA service names in comments).
   * Kept short on purpose: every entry makes a flow from that port look like a reply.
   */
  private static final int[] REGISTERED_SERVICES = {
      1080, // socks
      1194, // openvpn
      1433, // ms-sql-s
      1521, // oracle
      1701, // l2tp
      1723, // pptp
      1812, 1813, // radius, radius-acct
      1883, // mqtt
      2049, // nfs
      2055, // netflow
      2181, // zookeeper
      2375, 2376, // docker
      3128, // squid
      3268, 3269, // msft-gc, msft-gc-ssl
      3306, // mysql
      3389, // ms-wbt-server (RDP)
      4500, // ipsec-nat-t
      4739, // ipfix
      5060, 5061, // sip, sips
      5222, // xmpp-client
      5432, // postgresql
      5671, 5672, // amqps, amqp
      5900, // vnc
      5985, 5986, // wsman, wsmans
      6379, // redis
      6443, // kubernetes api
      8000, 8008, 8080, 8443, 8888, // http alternates
      8883, // secure-mqtt
      9092, // kafka
      9200, // elasticsearch
      9418, // git
      11211, // memcache
      27017, // mongodb
  };

  private static final boolean[] SERVICE = new boolean[65536];

  static {
    for (int p = 1; p < EPHEMERAL_MIN; p++) SERVICE[p] = true;
    for (int p : REGISTERED_SERVICES) SERVICE[p] = true;
  }

  private ServicePorts() {}

  /** A well-known (1–1023) or registered service port from the list above. */
  public static boolean isService(int port) {
    return port > 0 && port < SERVICE.length && SERVICE[port];
  }

  /** A client-side port: ≥ 1024 and not a registered service. */
  public static boolean isEphemeral(int port) {
    return port >= EPHEMERAL_MIN && port < SERVICE.length && !SERVICE[port];
  }

  /** IP protocols whose flows carry transport ports: TCP, UDP, DCCP, SCTP, UDP-Lite. */
  public static boolean hasPorts(int proto) {
    return proto == 6 || proto == 17 || proto == 33 || proto == 132 || proto == 136;
  }

  /**
   * ICMP messages that answer a request, so their sender is the responder: ICMPv4 echo reply (0),
   * timestamp reply (14), information reply (16), address mask reply (18); ICMPv6 echo reply (129).
   */
  public static boolean isIcmpReply(int proto, int icmpType) {
    if (proto == 1) return icmpType == 0 || icmpType == 14 || icmpType == 16 || icmpType == 18;
    if (proto == 58) return icmpType == 129;
    return false;
  }
}
