package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.ie.DataType;
import io.flowsentry.collector.netflow.ie.InformationElements;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * One (options) template as the exporter defined it, compiled into a field plan: per field the
 * wire length, the {@link FieldOp} that stores its value and the name/type for {@code raw}.
 * Immutable except for the time it was last (re)announced, which drives the template timeout.
 */
public final class Template {

  /** IPFIX field length meaning "variable length" (RFC 7011 section 7). */
  public static final int VARIABLE = 0xFFFF;

  private final int version;
  private final int templateId;
  private final boolean options;
  private final int scopeFieldCount;
  private final int[] ids;
  final int[] lengths;
  private final long[] enterprises;
  final int[] ops;
  final String[] names;
  final DataType[] types;
  final int minRecordLength;
  /** Enterprise-specific fields this template carries that no decoder reads (skipped by length). */
  final int skippedEnterpriseFields;
  /** Field offsets within a record when no field has variable length, else null. */
  final int[] offsets;
  /**
   * For a template without variable-length fields: its numbers grouped by width, as op and
   * offset pairs, so a record is read by four loops without a switch per field (null otherwise).
   * A number the template carries twice is read from its last field only, as field order would
   * have it. {@link #otherFields} lists the rest: addresses, NTP times, the frame section, odd widths.
   */
  final int[] u8Ops, u8At, u16Ops, u16At, u32Ops, u32At, u64Ops, u64At, otherFields;
  /** Heap this template holds, its map entries included (an upper bound, see {@link Footprint}). */
  private final int retainedBytes;
  private volatile long lastSeenMillis;

  private Template(int version, int templateId, boolean options, int scopeFieldCount, int[] ids,
      int[] lengths, long[] enterprises, long seenMillis) {
    this.version = version;
    this.templateId = templateId;
    this.options = options;
    this.scopeFieldCount = scopeFieldCount;
    this.ids = ids;
    this.lengths = lengths;
    this.enterprises = enterprises;
    this.lastSeenMillis = seenMillis;
    int n = ids.length;
    ops = new int[n];
    names = new String[n];
    types = new DataType[n];
    int min = 0;
    int[] at = new int[n];
    boolean fixed = true;
    for (int i = 0; i < n; i++) {
      at[i] = min;
      fixed &= lengths[i] != VARIABLE;
      // v9 scope fields are not information elements (1 = system, 2 = interface, ...: RFC 3954 section 6.1)
      boolean v9Scope = version == 9 && i < scopeFieldCount;
      ops[i] = v9Scope ? FieldOp.SKIP : FieldOp.of(enterprises[i], ids[i], lengths[i]);
      names[i] = v9Scope ? v9ScopeName(ids[i]) : InformationElements.name(enterprises[i], ids[i]);
      // a system is named by whatever the exporter chose (shown as hex); the others are numbers
      types[i] = v9Scope && ids[i] >= 2 && ids[i] <= 5 ? DataType.UNSIGNED64
          : v9Scope ? DataType.OCTET_ARRAY : InformationElements.type(enterprises[i], ids[i]);
      min += lengths[i] == VARIABLE ? 1 : lengths[i];
    }
    minRecordLength = min;
    offsets = fixed ? at : null;
    int skipped = 0;
    for (int i = 0; i < n; i++) {
      if (enterprises[i] != 0 && ops[i] == FieldOp.SKIP) skipped++;
    }
    skippedEnterpriseFields = skipped;
    if (fixed) {
      boolean[] read = readFields(ops);
      int[] u8 = fields(read, f -> isNumber(ops[f], lengths[f], 1));
      int[] u16 = fields(read, f -> isNumber(ops[f], lengths[f], 2));
      int[] u32 = fields(read, f -> isNumber(ops[f], lengths[f], 4));
      int[] u64 = fields(read, f -> isNumber(ops[f], lengths[f], 8));
      u8Ops = pick(ops, u8); u8At = pick(at, u8);
      u16Ops = pick(ops, u16); u16At = pick(at, u16);
      u32Ops = pick(ops, u32); u32At = pick(at, u32);
      u64Ops = pick(ops, u64); u64At = pick(at, u64);
      otherFields = fields(read, f -> !isPlainWidth(ops[f], lengths[f]));
    } else {
      u8Ops = u8At = u16Ops = u16At = u32Ops = u32At = u64Ops = u64At = otherFields = null;
    }
    retainedBytes = footprint();
  }

  private int footprint() {
    int n = ids.length;
    long bytes = Footprint.align(Footprint.HEADER + 6 * 4 + 17 * Footprint.REFERENCE + 8) + Footprint.TEMPLATE_ENTRY
        + 4L * Footprint.array(4, n) + Footprint.array(8, n) + 2L * Footprint.array(Footprint.REFERENCE, n);
    for (int[] a : new int[][] {u8Ops, u8At, u16Ops, u16At, u32Ops, u32At, u64Ops, u64At, otherFields}) {
      if (a != null) bytes += Footprint.array(4, a.length);
    }
    for (int i = 0; i < n; i++) {
      // names from the element tables are shared by every template; made-up ones ("ie999",
      // "e9id1") are new strings each time (a lookup that returns the same instance is shared)
      if (names[i] != InformationElements.name(enterprises[i], ids[i])) bytes += Footprint.string(names[i].length());
    }
    // an eighth more for what ZGC holds beyond the objects themselves (measured: its pages are
    // never packed full), so the charge covers every collector the launcher may run
    return (int) (bytes + bytes / 8);
  }

  /**
   * The fields a record read applies: not skipped, and of a number carried twice only the last
   * (every special field is applied, in field order: a later zero address does not replace an
   * earlier one).
   */
  private static boolean[] readFields(int[] ops) {
    boolean[] laterHasOp = new boolean[FieldOp.COUNT];
    boolean[] read = new boolean[ops.length];
    for (int f = ops.length - 1; f >= 0; f--) {
      int op = ops[f];
      if (op == FieldOp.SKIP || op >= FieldOp.FIRST_NUMBER && laterHasOp[op]) continue;
      laterHasOp[op] = true;
      read[f] = true;
    }
    return read;
  }

  /** Indexes of the read fields that match, in field order. */
  private static int[] fields(boolean[] read, IntPredicate matches) {
    return IntStream.range(0, read.length).filter(f -> read[f] && matches.test(f)).toArray();
  }

  private static int[] pick(int[] values, int[] indexes) {
    return Arrays.stream(indexes).map(i -> values[i]).toArray();
  }

  private static boolean isNumber(int op, int length, int width) {
    return op >= FieldOp.FIRST_NUMBER && length == width;
  }

  private static boolean isPlainWidth(int op, int length) {
    return op >= FieldOp.FIRST_NUMBER && (length == 1 || length == 2 || length == 4 || length == 8);
  }

  /**
   * A template over the given fields. The caller has checked the counts against the limits;
   * this only rejects what can never be decoded.
   *
   * @param enterprises enterprise number per field, 0 for IANA elements (always 0 for v9)
   * @throws IllegalArgumentException when the arrays differ in length, there are no fields, or
   *     a record would be zero bytes long (a data set of such records would never advance)
   */
  public static Template of(int version, int templateId, boolean options, int scopeFieldCount,
      int[] ids, int[] lengths, long[] enterprises, long seenMillis) {
    if (ids.length != lengths.length || ids.length != enterprises.length) {
      throw new IllegalArgumentException("field arrays differ in length");
    }
    if (ids.length == 0) throw new IllegalArgumentException("template " + templateId + " has no fields");
    Template t = new Template(version, templateId, options, scopeFieldCount, ids.clone(),
        lengths.clone(), enterprises.clone(), seenMillis);
    if (t.minRecordLength == 0) {
      throw new IllegalArgumentException("template " + templateId + " describes zero-length records");
    }
    return t;
  }

  /** The RFC 3954 (section 6.1) scope field types, named for raw output. */
  private static String v9ScopeName(int type) {
    return switch (type) {
      case 1 -> "scopeSystem";
      case 2 -> "scopeInterface";
      case 3 -> "scopeLineCard";
      case 4 -> "scopeCache";
      case 5 -> "scopeTemplate";
      default -> "scope" + type;
    };
  }

  public int version() { return version; }
  public int templateId() { return templateId; }
  public boolean isOptions() { return options; }
  /** Leading fields that are the scope of an options record; 0 for data templates. */
  public int scopeFieldCount() { return scopeFieldCount; }
  public int fieldCount() { return ids.length; }
  /** Shortest record this template describes (variable-length fields count one byte). */
  public int minRecordLength() { return minRecordLength; }
  public long lastSeenMillis() { return lastSeenMillis; }
  /** What holding this template costs, in heap bytes (the unit of the template byte budgets). */
  public int retainedBytes() { return retainedBytes; }

  void touch(long millis) {
    lastSeenMillis = millis;
  }

  /** Same definition (a periodic re-announcement rather than a replacement). */
  public boolean sameDefinition(Template o) {
    return templateId == o.templateId && sameDefinition(o.version, o.options, o.scopeFieldCount, o.ids, o.lengths, o.enterprises);
  }

  /** Whether these fields are what this template already says (checked before compiling a re-announcement). */
  public boolean sameDefinition(int version, boolean options, int scopeFieldCount, int[] ids, int[] lengths,
      long[] enterprises) {
    return this.version == version && this.options == options && this.scopeFieldCount == scopeFieldCount
        && Arrays.equals(this.ids, ids) && Arrays.equals(this.lengths, lengths)
        && Arrays.equals(this.enterprises, enterprises);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(options ? "options template " : "template ").append(templateId).append(" [");
    for (int i = 0; i < ids.length; i++) {
      if (i > 0) sb.append(", ");
      sb.append(names[i]).append('/').append(lengths[i] == VARIABLE ? "var" : lengths[i]);
    }
    return sb.append(']').toString();
  }
}
