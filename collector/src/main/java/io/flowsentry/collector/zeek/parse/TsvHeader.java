package io.flowsentry.collector.zeek.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The header of a Zeek ASCII log as far as it has been read:
 * <pre>
 * #separator \x09
 * #set_separator	,
 * #empty_field	(empty)
 * #unset_field	-
 * #path	conn
 * #open	2026-11-28-00-00-00
 * #fields	ts	uid	id.orig_h	...
 * #types	time	string	addr	...
 * </pre>
 * A zeek-cut style file has only one line of column names; it takes the default separators
 * ({@code cutStyle}). Bro 2.x logs have no {@code #open}.
 *
 * @param separator column separator byte (one byte: Zeek's default tab, or what {@code #separator} says)
 * @param setSeparator separator of elements in set and vector columns
 * @param emptyField text of an empty set/string
 * @param unsetField text of an unset value
 * @param path {@code #path}, or null
 * @param open {@code #open}, or null
 * @param fields column names from {@code #fields}
 * @param types column types from {@code #types}; empty when absent
 * @param cutStyle whether the column names came from a zeek-cut style line rather than {@code #fields}
 */
public record TsvHeader(
    byte separator,
    String setSeparator,
    String emptyField,
    String unsetField,
    String path,
    String open,
    List<String> fields,
    List<String> types,
    boolean cutStyle) {

  public static final TsvHeader DEFAULTS =
      new TsvHeader((byte) '\t', ",", "(empty)", "-", null, null, List.of(), List.of(), false);

  public TsvHeader {
    fields = List.copyOf(fields);
    types = List.copyOf(types);
  }

  /** Column index of every {@link ConnField}, -1 where the file has no such column. */
  int[] columnIndexes() {
    int[] index = new int[ConnField.values().length];
    Arrays.fill(index, -1);
    for (int i = 0; i < fields.size(); i++) {
      ConnField f = ConnField.of(fields.get(i));
      if (f != ConnField.OTHER && index[f.ordinal()] < 0) index[f.ordinal()] = i;
    }
    return index;
  }

  byte[] unsetBytes() {
    return unsetField.getBytes(StandardCharsets.UTF_8);
  }

  byte[] emptyBytes() {
    return emptyField.getBytes(StandardCharsets.UTF_8);
  }
}
