package io.flowsentry.collector.loadgen;

import java.util.Locale;

/** The export protocols the generator speaks, by their command-line names. */
public enum ExportVersion {
  V5, V9, IPFIX, SFLOW;

  public static ExportVersion parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "v5", "5" -> V5;
      case "v9", "9" -> V9;
      case "ipfix", "10" -> IPFIX;
      case "sflow" -> SFLOW;
      default -> throw new IllegalArgumentException("version: \"" + text + "\" (expected: v5, v9, ipfix or sflow)");
    };
  }

  /**
   * The tag of a packet pool for the C sender ({@code bench/c/blast.c}), which tells it where each
   * datagram's sequence numbers are: the version number of a NetFlow/IPFIX export header (IPFIX:
   * 10), and for sFlow, whose datagrams start with version 5 too, {@link #SFLOW_POOL_TAG}.
   */
  public int poolTag() {
    return switch (this) {
      case V5 -> 5;
      case V9 -> 9;
      case IPFIX -> 10;
      case SFLOW -> SFLOW_POOL_TAG;
    };
  }

  /** "sFl5" in ASCII: no NetFlow or IPFIX version number, and readable in a hex dump of a pool. */
  public static final int SFLOW_POOL_TAG = 0x7346_6C35;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
