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

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
