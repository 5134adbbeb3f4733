package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;

/** Template and set framing shared by the v9 and IPFIX encoders (same layout, different set ids). */
final class TemplateSets {
  private TemplateSets() {}

  /** A set holding one template record: set id, length, template id, field count, (type, length)... */
  static void write(ByteBuf out, int setId, int templateId, int[][] fields) {
    out.writeShort(setId);
    out.writeShort(8 + 4 * fields.length);
    out.writeShort(templateId);
    out.writeShort(fields.length);
    for (int[] f : fields) {
      out.writeShort(f[0]);
      out.writeShort(f[1]);
    }
  }

  /** Pads the set begun at {@code setStart} to a multiple of 4 bytes and writes its length. */
  static void padAndClose(ByteBuf out, int setStart) {
    while ((out.writerIndex() - setStart) % 4 != 0) out.writeByte(0);
    out.setShort(setStart + 2, out.writerIndex() - setStart);
  }
}
