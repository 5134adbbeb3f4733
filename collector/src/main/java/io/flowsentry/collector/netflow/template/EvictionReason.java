package io.flowsentry.collector.netflow.template;

/**
 * Why an exporter's state was forgotten before it went quiet on its own: the {@code reason}
 * label of {@code flowsentry_exporters_evicted_total}.
 */
public enum EvictionReason {
  /** {@code max_exporters} were tracked and a new exporter took the least useful one's place. */
  TABLE_FULL("table_full"),
  /** {@code max_state_bytes} was used up and a more useful exporter needed the room. */
  STATE_BUDGET("state_budget"),
  /** Silent for {@code exporter_timeout}. */
  IDLE("idle");

  private final String tag;

  EvictionReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
