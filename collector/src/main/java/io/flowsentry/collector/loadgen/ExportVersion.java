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
   * The version number in a NetFlow/IPFIX export header (IPFIX: 10), which tags a packet pool for the
   * C sender. sFlow has none of its own there (its datagrams start with version 5 too) and the C
   * sender does not rewrite sFlow sequence numbers, so an sFlow pool is refused.
   */
  public int wireVersion() {
    return switch (this) {
      case V5 -> 5;
      case V9 -> 9;
      case IPFIX -> 10;
      case SFLOW -> throw new IllegalArgumentException("the C sender's packet pools hold NetFlow and IPFIX only, not sflow");
    };
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
