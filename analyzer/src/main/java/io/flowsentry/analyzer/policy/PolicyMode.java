package io.flowsentry.analyzer.policy;

/**
 * Whether a policy's alarms page anyone. {@code enforce} writes alarms.log, {@code <policy>.log},
 * notice.log and every delivery output; {@code shadow} evaluates and suppresses exactly the same
 * way but writes only {@code <policy>.log} (each line marked {@code mode=shadow}) and the
 * {@code mode="shadow"} series of {@code flowsentry_alarms_total}: a new or changed policy can run
 * for a week against real traffic before its alarms reach the people and pipelines that act on them.
 */
public enum PolicyMode {
  ENFORCE("enforce"),
  SHADOW("shadow");

  public static final String EXPECTED = "enforce or shadow";

  private final String label;

  PolicyMode(String label) {
    this.label = label;
  }

  /** The configuration value, also the {@code mode} label of {@code flowsentry_alarms_total}. */
  public String label() {
    return label;
  }

  /** @throws IllegalArgumentException when the text is neither {@code enforce} nor {@code shadow} */
  public static PolicyMode parse(String text) {
    for (PolicyMode m : values()) {
      if (m.label.equals(text)) return m;
    }
    throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
  }
}
