package io.flowsentry.collector.netflow.template;

/**
 * What decoding state costs on the heap, for the byte budgets ({@code limits.*_bytes}). The
 * figures are upper bounds for a 64-bit JVM with or without compressed references: ZGC (the
 * launcher's default) has none, so every reference is counted as 8 bytes and every object
 * header as 16. {@code TemplateFootprintTest} checks them against measured heap use.
 */
final class Footprint {

  static final int HEADER = 16;
  static final int REFERENCE = 8;
  /**
   * A {@code ConcurrentHashMap} node or {@code HashMap} entry, plus its share of the table (up
   * to two slots after a resize), rounded up to what ZGC was measured to take.
   */
  static final int MAP_ENTRY = 96;
  /** A {@link TemplateKey} with its map entries: the store's template map and the exporter's key set. */
  static final int TEMPLATE_ENTRY = align(HEADER + 4 + 8 + 4 + REFERENCE) + 2 * MAP_ENTRY;
  /** A {@link PendingSet} apart from its data: the record, its key, the array header and the queue slot. */
  static final int PENDING_SET = align(HEADER + REFERENCE * 2 + 4 + 8 * 3) + align(HEADER + 4 + 8 + 4 + REFERENCE)
      + HEADER + REFERENCE;
  private Footprint() {}

  static int align(long bytes) {
    return (int) ((bytes + 7) & ~7L);
  }

  /** An array of {@code length} elements of {@code elementBytes} each. */
  static int array(int elementBytes, int length) {
    return align(HEADER + (long) elementBytes * length);
  }

  /** A Latin-1 string of {@code length} characters that nothing else shares. */
  static int string(int length) {
    return align(HEADER + 4 + 4 + 1 + REFERENCE) + array(1, length);
  }
}
