package io.flowsentry.collector.normalize;

import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.ExportProtocol;
import io.flowsentry.collector.netflow.FlowFields;

/**
 * Decides which side of a flow record started the conversation (ARCHITECTURE.md: "Deciding the
 * originator is part of normalization"). A NetFlow record is one direction of a conversation;
 * a reply from a restricted web server to an Internet client is a flow <em>from</em> the
 * restricted host and must not look like an outgoing connection.
 *
 * <p>In order, the first that applies wins:
 * <ol>
 *   <li>{@code exporter} — the exporter knows: an NSEL record (firewall event or connection id:
 *       the ASA reports connections initiator → responder), or biflowDirection initiator (1, keep)
 *       or reverseInitiator (2, swap). An RFC 5103 biflow without biflowDirection, or with
 *       arbitrary (0) or perimeter (3), says nothing about the initiator and falls through:
 *       softflowd {@code -b}, for one, puts the lower address first and sends no
 *       biflowDirection, so a web server at the lower address would come out as originator.
 *       Its reverse counters still follow the decision to the other side. An sFlow-sampled TCP
 *       packet with SYN: without ACK its sender initiated (keep), with ACK its receiver did (swap).</li>
 *   <li>{@code reverse-seen} — the opposite direction was already decided with this flow's
 *       destination as originator, within the {@link ReverseFlowCache} window: this is its reply.</li>
 *   <li>{@code port-heuristic} — a service port ({@link ServicePorts#isService}) on the source
 *       side and an ephemeral one on the destination side, or an ICMP reply type: a reply.</li>
 *   <li>{@code assumed} — the source as sent.</li>
 * </ol>
 * Every decided flow is remembered originator-first, so both directions of one conversation
 * come out with the same originator whichever is exported first. flowDirection (61) is not
 * used: ingress/egress names the interface the flow was metered on, not who initiated it.
 */
public final class OriginatorDecision {

  /** The outcome: whether to swap source and destination, and why. Interned, no allocation. */
  public enum Decision {
    EXPORTER_KEEP(false, DirectionConfidence.EXPORTER),
    EXPORTER_SWAP(true, DirectionConfidence.EXPORTER),
    REVERSE_SEEN_SWAP(true, DirectionConfidence.REVERSE_SEEN),
    PORT_HEURISTIC_SWAP(true, DirectionConfidence.PORT_HEURISTIC),
    ASSUMED_KEEP(false, DirectionConfidence.ASSUMED);

    private final boolean swap;
    private final DirectionConfidence confidence;

    Decision(boolean swap, DirectionConfidence confidence) {
      this.swap = swap;
      this.confidence = confidence;
    }

    /** Whether the destination is the originator. */
    public boolean swap() {
      return swap;
    }

    public DirectionConfidence confidence() {
      return confidence;
    }
  }

  private static final int TCP_SYN = 0x02;
  private static final int TCP_ACK = 0x10;

  private final ReverseFlowCache conversations;

  public OriginatorDecision(ReverseFlowCache conversations) {
    this.conversations = conversations;
  }

  /**
   * Decides and remembers the decision.
   *
   * @param src the record's source address (never null: the caller fills in a missing one)
   * @param dst the record's destination address (never null)
   * @param icmpType the record's ICMP type (explicit or derived), -1 when not ICMP
   * @param flowMillis the record's flow time (start, else end, else export time)
   */
  public Decision decide(FlowFields r, IpAddr src, IpAddr dst, int icmpType, long flowMillis) {
    boolean ports = ServicePorts.hasPorts(r.protocol());
    int sp = ports ? r.sourcePort() : 0, dp = ports ? r.destinationPort() : 0;
    // each side is mixed once for both the lookup and the remembering (this runs per record)
    long s = ReverseFlowCache.endpoint(src, sp), t = ReverseFlowCache.endpoint(dst, dp);
    Decision d = exporterSays(r);
    if (d == null) {
      if (conversations.seen(t, s, r.protocol(), flowMillis)) {
        d = Decision.REVERSE_SEEN_SWAP;
      } else {
        d = byPorts(r.protocol(), r.sourcePort(), r.destinationPort(), icmpType);
      }
    }
    if (d.swap) {
      conversations.remember(t, s, r.protocol(), flowMillis);
    } else {
      conversations.remember(s, t, r.protocol(), flowMillis);
    }
    return d;
  }

  /** What the exporter said about the initiator, or null when it said nothing. */
  static Decision exporterSays(FlowFields r) {
    if (r.firewallEvent() >= 0 || r.connectionId() >= 0) return Decision.EXPORTER_KEEP;
    if (r.version() == ExportProtocol.SFLOW_VERSION) return handshake(r);
    return switch (r.biflowDirection()) {
      case 1 -> Decision.EXPORTER_KEEP;
      case 2 -> Decision.EXPORTER_SWAP;
      default -> null;
    };
  }

  /**
   * What one sampled TCP packet shows (sFlow samples single packets; a NetFlow record's flags are
   * the OR over a whole flow, so a SYN in them says nothing about direction): SYN without ACK is
   * the initiator's opening packet, SYN with ACK the responder's answer. Null for any other packet.
   */
  private static Decision handshake(FlowFields r) {
    if (r.protocol() != 6 || r.tcpFlags() < 0 || (r.tcpFlags() & TCP_SYN) == 0) return null;
    return (r.tcpFlags() & TCP_ACK) == 0 ? Decision.EXPORTER_KEEP : Decision.EXPORTER_SWAP;
  }

  /** The port heuristic alone: {@link Decision#PORT_HEURISTIC_SWAP} for a reply, else {@link Decision#ASSUMED_KEEP}. */
  public static Decision byPorts(int proto, int sourcePort, int destinationPort, int icmpType) {
    if (ServicePorts.hasPorts(proto)) {
      return ServicePorts.isService(sourcePort) && ServicePorts.isEphemeral(destinationPort)
          ? Decision.PORT_HEURISTIC_SWAP
          : Decision.ASSUMED_KEEP;
    }
    return ServicePorts.isIcmpReply(proto, icmpType) ? Decision.PORT_HEURISTIC_SWAP : Decision.ASSUMED_KEEP;
  }
}
