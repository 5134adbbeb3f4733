package io.flowsentry.collector.event;

/** How the originator of a connection event was decided (ARCHITECTURE.md, "The connection event"). */
public enum DirectionConfidence {
  /**
   * The source said so: Zeek, NSEL initiator fields, IPFIX biflowDirection, or the sampled packet
   * itself: an sFlow-sampled TCP SYN without ACK comes from the initiator, a SYN with ACK from the
   * responder.
   */
  EXPORTER("exporter"),
  /** The reverse 5-tuple was seen first, within a bounded window. */
  REVERSE_SEEN("reverse-seen"),
  /** A well-known service port on the source side and an ephemeral one on the destination side. */
  PORT_HEURISTIC("port-heuristic"),
  /** Nothing better known: the flow's source is taken as the originator. */
  ASSUMED("assumed");

  private final String label;

  DirectionConfidence(String label) {
    this.label = label;
  }

  /** The contract spelling used in JSON outputs and metrics. */
  public String label() {
    return label;
  }
}
