package io.flowsentry.collector.zeek.parse;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The conn.log columns an event is built from, by Zeek name. Columns are always found by name,
 * never by position: sites add columns ({@code community_id}, VLANs, {@code _write_ts} before
 * {@code ts}), Zeek 7.1 adds {@code ip_proto} and Zeek 8 {@code id.ctx.*}. Logs written with
 * {@code Log::default_scope_sep = "_"} spell the id fields {@code id_orig_h}; both spellings map.
 */
public enum ConnField {
  TS("ts"),
  UID("uid"),
  ORIG_H("id.orig_h"),
  ORIG_P("id.orig_p"),
  RESP_H("id.resp_h"),
  RESP_P("id.resp_p"),
  PROTO("proto"),
  SERVICE("service"),
  DURATION("duration"),
  ORIG_BYTES("orig_bytes"),
  RESP_BYTES("resp_bytes"),
  CONN_STATE("conn_state"),
  ORIG_PKTS("orig_pkts"),
  ORIG_IP_BYTES("orig_ip_bytes"),
  RESP_PKTS("resp_pkts"),
  RESP_IP_BYTES("resp_ip_bytes"),
  IP_PROTO("ip_proto"),
  /** Any other column: kept only in {@code raw}. */
  OTHER("");

  private static final Map<String, ConnField> BY_NAME = new HashMap<>();

  /** Columns of Zeek's conn.log (base and common policy scripts) that give no event field. */
  private static final Set<String> OTHER_CONN_COLUMNS = Set.of("local_orig", "local_resp", "missed_bytes",
      "history", "tunnel_parents", "orig_l2_addr", "resp_l2_addr", "vlan", "inner_vlan", "community_id",
      "failed_service", "speculative_service", "orig_cc", "resp_cc");

  static {
    for (ConnField f : values()) {
      if (f != OTHER) {
        BY_NAME.put(f.zeekName, f);
        BY_NAME.put(f.zeekName.replace('.', '_'), f);
      }
    }
  }

  private final String zeekName;

  ConnField(String zeekName) {
    this.zeekName = zeekName;
  }

  /** The column name Zeek writes (with the default scope separator "."). */
  public String zeekName() {
    return zeekName;
  }

  public static ConnField of(String columnName) {
    return BY_NAME.getOrDefault(columnName, OTHER);
  }

  /** Whether {@code name} is a column Zeek's conn.log has. */
  static boolean isConnColumn(String name) {
    return BY_NAME.containsKey(name) || OTHER_CONN_COLUMNS.contains(name);
  }

  /** Whether {@code s} is spelled like a Zeek column name. */
  static boolean isFieldName(String s) {
    if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) return false;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) return false;
    }
    return true;
  }
}
