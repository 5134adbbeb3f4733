package io.flowsentry.collector.netflow;

/**
 * The three export protocols, told apart by the first two bytes of every datagram (the version
 * field is at offset 0 in v5, v9 and IPFIX alike). {@link #label()} is the {@code protocol}
 * metric label.
 */
public enum ExportProtocol {
  NETFLOW5(5, "netflow5"),
  NETFLOW9(9, "netflow9"),
  IPFIX(10, "ipfix");

  /** The {@code protocol} label for datagrams whose version is unknown or unreadable. */
  public static final String UNKNOWN_LABEL = "unknown";

  private final int version;
  private final String label;

  ExportProtocol(int version, String label) {
    this.version = version;
    this.label = label;
  }

  public int version() {
    return version;
  }

  public String label() {
    return label;
  }

  /** The protocol for a version field, or null when it is none of 5, 9, 10. */
  public static ExportProtocol ofVersion(int version) {
    return switch (version) {
      case 5 -> NETFLOW5;
      case 9 -> NETFLOW9;
      case 10 -> IPFIX;
      default -> null;
    };
  }

  /**
   * How far one message advances this protocol's sequence number: v5 counts flows, v9 export
   * packets (RFC 3954 section 5.1), IPFIX data records (RFC 7011 section 3.1).
   */
  public long sequenceUnits(MessageHeader header) {
    return this == NETFLOW9 ? 1 : header.dataRecords();
  }
}
