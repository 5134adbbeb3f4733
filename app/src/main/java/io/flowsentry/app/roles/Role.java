package io.flowsentry.app.roles;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The parts of the pipeline {@code flowsentry run --role} runs in a cluster (ARCHITECTURE.md,
 * "Growing past one machine"); the names are a contract.
 */
public enum Role {
  /** Receives NetFlow/IPFIX/sFlow and tails Zeek, decodes, normalizes, publishes to {@code <prefix>.flows.v1} (dns.log answers to {@code <prefix>.dns.v1}). */
  COLLECTOR("collector"),
  /** One of the Streams group on {@code <prefix>.flows.v1}: policies, suppression, alarms to {@code <prefix>.alarms.v1}. */
  ANALYZER("analyzer"),
  /** {@code <prefix>.alarms.v1} into alarms.log, {@code <policy>.log} and notice.log. */
  ALARM_WRITER("alarm-writer");

  public static final String EXPECTED = "a comma list of collector, analyzer, alarm-writer";
  private final String label;

  Role(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** @throws IllegalArgumentException naming what is wrong with the list and {@link #EXPECTED} */
  public static Set<Role> parseList(String text) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    List<String> unknown = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String name = part.strip().toLowerCase(Locale.ROOT);
      Role match = null;
      for (Role r : values()) if (r.label.equals(name)) match = r;
      if (match == null) unknown.add("\"" + part.strip() + "\"");
      else roles.add(match);
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("--role " + text + ": unknown role " + String.join(", ", unknown) + " (expected: " + EXPECTED + ")");
    }
    return roles;
  }
}
