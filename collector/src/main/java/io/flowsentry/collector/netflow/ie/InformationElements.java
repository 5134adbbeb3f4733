package io.flowsentry.collector.netflow.ie;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Names and data types of information elements by number, from the IANA registry (trimmed copy
 * {@code iana-information-elements.tsv}) plus the NetFlow v9 / Cisco NSEL numbers the registry
 * leaves unnamed ({@code netflow-v9-elements.tsv}). Lookups are array indexing: decoders resolve
 * names once per template, never per record.
 *
 * <p>Enterprise-specific elements: PEN 29305 is RFC 5103's reverse information element space,
 * named {@code "reverse" + ForwardName} with the forward element's type; other enterprises are
 * named {@code "e<PEN>id<number>"} and typed octetArray. Unknown standard numbers are named
 * {@code "ie<number>"}.
 */
public final class InformationElements {

  /** RFC 5103 private enterprise number for reverse information elements. */
  public static final long REVERSE_PEN = 29305;

  private static final int SIZE = 1 << 16; // v9 field types are 16-bit; IPFIX ids use 15 bits
  private static final String[] NAMES = new String[SIZE];
  private static final String[] REVERSE_NAMES = new String[SIZE];
  private static final DataType[] TYPES = new DataType[SIZE];

  static {
    load("iana-information-elements.tsv");
    load("netflow-v9-elements.tsv");
    for (int id = 0; id < SIZE; id++) {
      if (NAMES[id] != null) {
        REVERSE_NAMES[id] = "reverse" + Character.toUpperCase(NAMES[id].charAt(0)) + NAMES[id].substring(1);
      }
    }
  }

  private InformationElements() {}

  /** Name of standard (PEN 0) element {@code id}; {@code "ie<id>"} when the registry has none. */
  public static String name(int id) {
    String n = id >= 0 && id < SIZE ? NAMES[id] : null;
    return n != null ? n : "ie" + id;
  }

  /** Whether the tables know standard element {@code id}. */
  public static boolean isKnown(int id) {
    return id >= 0 && id < SIZE && NAMES[id] != null;
  }

  /** Data type of standard element {@code id}; octetArray when unknown. */
  public static DataType type(int id) {
    DataType t = id >= 0 && id < SIZE ? TYPES[id] : null;
    return t != null ? t : DataType.OCTET_ARRAY;
  }

  /** Name of element {@code id} of enterprise {@code pen} (0 = IANA standard). */
  public static String name(long pen, int id) {
    if (pen == 0) return name(id);
    if (pen == REVERSE_PEN && id >= 0 && id < SIZE && REVERSE_NAMES[id] != null) return REVERSE_NAMES[id];
    return "e" + pen + "id" + id;
  }

  /** Data type of element {@code id} of enterprise {@code pen}. */
  public static DataType type(long pen, int id) {
    if (pen == 0 || pen == REVERSE_PEN) return type(id);
    return DataType.OCTET_ARRAY;
  }

  private static void load(String resource) {
    try (InputStream in = InformationElements.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] cols = line.split("\t");
        int id = Integer.parseInt(cols[0]);
        NAMES[id] = cols[1];
        TYPES[id] = DataType.fromRegistryName(cols[2]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
