package io.flowsentry.collector.loadgen;

import java.util.Locale;

/** The export protocols the generator speaks, by their command-line names. */
public enum ExportVersion {
  V5, V9, IPFIX;

  public static ExportVersion parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "v5", "5" -> V5;
      case "v9", "9" -> V9;
      case "ipfix", "10" -> IPFIX;
      default -> throw new IllegalArgumentException("version: \"" + text + "\" (expected: v5, v9 or ipfix)");
    };
  }

  /** The version number in the export header (IPFIX: 10). */
  public int wireVersion() {
    return switch (this) {
      case V5 -> 5;
      case V9 -> 9;
      case IPFIX -> 10;
    };
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
