package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;

/**
 * The datagrams of the hostile-input runs ({@code bench/hostile.sh}): what a forged source
 * sends to make the collector hold state. Pure: datagram {@code n} of a kind is always the same
 * bytes. Even {@code n} are NetFlow v9, odd are IPFIX, so both protocols are flooded at once.
 */
public enum HostileDatagrams {
  /** A template of 256 fields, each a 4-byte element no registry names (the costliest kind). */
  TEMPLATES_256,
  /** A template of the 13 fields a typical router sends. */
  TEMPLATES_13,
  /** A data set for a template that never comes (held while it waits). */
  PENDING,
  /** A header and nothing else: decodes, delivers nothing (what a lockout attempt needs per address). */
  HEADER_ONLY,
  /** Two bytes: never decodes. */
  GARBAGE;

  /** The 13 fields: addresses, ports, protocol, flags, counters, times, interfaces, TOS. */
  private static final int[] TYPICAL = {8, 12, 7, 11, 4, 6, 1, 2, 22, 21, 10, 14, 5};
  private static final int[] TYPICAL_LENGTHS = {4, 4, 2, 2, 1, 1, 4, 4, 4, 4, 2, 2, 1};
  /** Template ids cycle through this many, so every datagram of a source defines a new template until its bounds hold. */
  private static final int TEMPLATE_IDS = 4096;
  private static final int PENDING_DATA_BYTES = 400;

  /** The kind named on the command line ({@code templates-256}, ...). */
  public static HostileDatagrams parse(String name) {
    for (HostileDatagrams d : values()) {
      if (d.cliName().equals(name)) return d;
    }
    throw new IllegalArgumentException("--kind: \"" + name + "\" (expected: templates-256, templates-13, pending, header-only or garbage)");
  }

  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Appends datagram {@code n} to {@code out}. */
  public void write(ByteBuf out, long n, long nowMillis) {
    if (this == GARBAGE) {
      out.writeShort(9);
      return;
    }
    boolean v9 = (n & 1) == 0;
    int start = out.writerIndex();
    int templateId = 256 + (int) ((n >> 1) % TEMPLATE_IDS);
    if (v9) {
      // RFC 3954 section 5.1: version, count, sysUptime, unix secs, sequence, source id
      out.writeShort(9).writeShort(this == HEADER_ONLY ? 0 : 1).writeInt(1_000).writeInt((int) (nowMillis / 1000))
          .writeInt((int) n).writeInt(0);
    } else {
      // RFC 7011 section 3.1: version, length (set below), export time, sequence, domain
      out.writeShort(10).writeShort(0).writeInt((int) (nowMillis / 1000)).writeInt((int) n).writeInt(0);
    }
    switch (this) {
      case TEMPLATES_256 -> {
        int[] ids = new int[256];
        int[] lengths = new int[256];
        for (int i = 0; i < 256; i++) {
          ids[i] = (v9 ? 40_000 : 20_000) + i; // IPFIX ids are 15 bits
          lengths[i] = 4;
        }
        template(out, v9, templateId, ids, lengths);
      }
      case TEMPLATES_13 -> template(out, v9, templateId, TYPICAL, TYPICAL_LENGTHS);
      case PENDING -> {
        out.writeShort(templateId).writeShort(4 + PENDING_DATA_BYTES);
        for (int i = 0; i < PENDING_DATA_BYTES; i++) out.writeByte((int) (n + i));
      }
      default -> { }
    }
    if (!v9) out.setShort(start + 2, out.writerIndex() - start);
  }

  private static void template(ByteBuf out, boolean v9, int templateId, int[] ids, int[] lengths) {
    out.writeShort(v9 ? 0 : 2).writeShort(4 + 4 + 4 * ids.length);
    out.writeShort(templateId).writeShort(ids.length);
    for (int i = 0; i < ids.length; i++) out.writeShort(ids[i]).writeShort(lengths[i]);
  }
}
