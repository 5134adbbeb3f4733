package io.flowsentry.collector.netflow;

import java.util.EnumSet;
import java.util.Set;

/**
 * The export protocols, told apart by the first bytes of every datagram: the 16-bit version field
 * at offset 0 of NetFlow v5, v9 and IPFIX, and sFlow's 32-bit version field (00 00 00 05), whose
 * first 16 bits are 0. {@link #label()} is the {@code protocol} metric label.
 */
public enum ExportProtocol {
  NETFLOW5(5, "netflow5"),
  NETFLOW9(9, "netflow9"),
  IPFIX(10, "ipfix"),
  /**
   * sFlow v5. Its own version field also says 5, so its records and headers carry
   * {@link #SFLOW_VERSION} instead, which no NetFlow version can be mistaken for.
   */
  SFLOW(ExportProtocol.SFLOW_VERSION, "sflow");

  /** The {@code protocol} label for datagrams whose version is unknown or unreadable. */
  public static final String UNKNOWN_LABEL = "unknown";
  /** {@link FlowRecord#version()} of an sFlow v5 record: 0x10005, outside the 16-bit NetFlow versions. */
  public static final int SFLOW_VERSION = 0x1_0005;

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

  /** The protocol of a 16-bit NetFlow/IPFIX version field or of a record's {@link FlowRecord#version()}; null for anything else. */
  public static ExportProtocol ofVersion(int version) {
    return switch (version) {
      case 5 -> NETFLOW5;
      case 9 -> NETFLOW9;
      case 10 -> IPFIX;
      case SFLOW_VERSION -> SFLOW;
      default -> null;
    };
  }

  /**
   * How far one message advances this protocol's sequence number: v5 counts flows, v9 export
   * packets (RFC 3954 section 5.1), IPFIX data records (RFC 7011 section 3.1), sFlow datagrams.
   */
  public long sequenceUnits(MessageHeader header) {
    return this == NETFLOW9 || this == SFLOW ? 1 : header.dataRecords();
  }

  /**
   * The {@code reason} labels this protocol's decoder can report, each registered at 0 from
   * start-up. Unknown versions are found before the protocol is known.
   */
  public Set<DecodeError> reasons() {
    if (this == SFLOW) {
      return EnumSet.of(DecodeError.TRUNCATED_HEADER, DecodeError.BAD_LENGTH, DecodeError.BAD_SET_LENGTH,
          DecodeError.TRUNCATED_RECORD, DecodeError.UNKNOWN_ADDRESS_TYPE);
    }
    Set<DecodeError> all = EnumSet.allOf(DecodeError.class);
    all.remove(DecodeError.UNKNOWN_VERSION);
    all.remove(DecodeError.UNKNOWN_ADDRESS_TYPE);
    return all;
  }
}
