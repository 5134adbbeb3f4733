package io.flowsentry.collector.netflow;

import java.util.Locale;

/**
 * YAML {@code inputs.netflow.decapsulation}: whether a sampled packet's flow key
 * (dataLinkFrameSection) is taken from the outer header or from the packet a tunnel carries.
 * Off by default, as in akvorado: the record then describes the packet as the exporter saw it.
 */
public enum Decapsulation {
  /** The outermost IP header, whatever it carries. */
  NONE,
  /**
   * An IPv6 packet whose (last extension) header carries IPv4 or IPv6 — SRv6 H.Encaps with or
   * without a segment routing header — is reported by the inner packet: in an SRv6 core the outer
   * addresses name two routers, the inner ones the hosts that talk.
   */
  SRV6;

  public static final String EXPECTED = "none or srv6";

  /** @throws IllegalArgumentException for anything but the names in {@link #EXPECTED} */
  public static Decapsulation parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "none" -> NONE;
      case "srv6" -> SRV6;
      default -> throw new IllegalArgumentException("decapsulation: \"" + text + "\" (expected: " + EXPECTED + ")");
    };
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
