package io.flowsentry.collector.netflow;

/**
 * Why (part of) a datagram could not be decoded. {@link #tag()} is the {@code reason} label of
 * {@code flowsentry_decode_errors_total}, so the set of values stays small and fixed.
 */
public enum DecodeError {
  /** Shorter than the version's fixed header. */
  TRUNCATED_HEADER("truncated_header"),
  /** Version field is not 5, 9 or 10 (sFlow: not 5). */
  UNKNOWN_VERSION("unknown_version"),
  /** A length or count in a header disagrees with the datagram (v5 count, IPFIX message length). */
  BAD_LENGTH("bad_length"),
  /** A set/flowset length is below its header size or runs past the message end. */
  BAD_SET_LENGTH("bad_set_length"),
  /** A template with zero fields, a field of length 0 where not allowed, or inconsistent scope counts. */
  INVALID_TEMPLATE("invalid_template"),
  /** A template with more fields than {@code limits.max_fields_per_template}. */
  TOO_MANY_FIELDS("too_many_fields"),
  /**
   * The exporter already has {@code limits.max_templates_per_exporter} templates, or a new one
   * would take it past {@code max_template_bytes_per_exporter}.
   */
  TOO_MANY_TEMPLATES("too_many_templates"),
  /**
   * {@code limits.max_state_bytes} is used up by exporters that delivered records more recently
   * than this one: its template or held data set is not kept.
   */
  STATE_BUDGET("state_budget"),
  /** A data record shorter than its template says, or a variable-length field past the set end. */
  TRUNCATED_RECORD("truncated_record"),
  /** Data held for a template that never came within the window, or evicted for the pending bound. */
  PENDING_EXPIRED("pending_expired"),
  /**
   * The exporter lost its place in the full exporter table ({@code limits.max_exporters}) to a
   * more useful one while its message was being decoded: what the message defined is not kept.
   */
  TOO_MANY_EXPORTERS("too_many_exporters"),
  /** A set id that is reserved (v9 2..255 other than 0/1, IPFIX 4..255). */
  RESERVED_SET_ID("reserved_set_id"),
  /** sFlow: an agent or next-hop address type other than 1 (IPv4) or 2 (IPv6), so its length is unknown. */
  UNKNOWN_ADDRESS_TYPE("unknown_address_type");

  private final String tag;

  DecodeError(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
