package io.flowsentry.collector.event;

/** Where a connection event came from; {@link #label()} is the contract spelling. */
public enum EventSource {
  NETFLOW5("netflow5"),
  NETFLOW9("netflow9"),
  IPFIX("ipfix"),
  SFLOW("sflow"),
  ZEEK("zeek");

  private final String label;

  EventSource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
