package io.flowsentry.collector.netflow.template;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * A small NetFlow v9 / IPFIX message encoder for tests: header, template and options-template
 * sets, data sets of records given field by field, and raw sets for malformed input.
 */
public final class ExportWriter {

  /** A field specifier: element {@code id} of enterprise {@code pen} (0 = IANA), {@code length} bytes (0xFFFF = variable). */
  public record Field(long pen, int id, int length) {
    public static Field of(int id, int length) {
      return new Field(0, id, length);
    }
  }

  private final int version;
  private final ByteBuf buf = Unpooled.buffer();
  private int count;

  private ExportWriter(int version) {
    this.version = version;
  }

  /** v9 header: count is filled by {@link #build} with the number of records and templates written. */
  public static ExportWriter v9(long sysUptimeMillis, long unixSeconds, long sequence, long sourceId) {
    ExportWriter w = new ExportWriter(9);
    w.buf.writeShort(9).writeShort(0).writeInt((int) sysUptimeMillis).writeInt((int) unixSeconds)
        .writeInt((int) sequence).writeInt((int) sourceId);
    return w;
  }

  /** IPFIX header: the length is filled by {@link #build}. */
  public static ExportWriter ipfix(long exportSeconds, long sequence, long domain) {
    ExportWriter w = new ExportWriter(10);
    w.buf.writeShort(10).writeShort(0).writeInt((int) exportSeconds).writeInt((int) sequence).writeInt((int) domain);
    return w;
  }

  public ExportWriter template(int templateId, List<Field> fields) {
    int set = startSet(version == 9 ? 0 : 2);
    buf.writeShort(templateId).writeShort(fields.size());
    writeFields(fields);
    count++;
    return endSet(set);
  }

  public ExportWriter optionsTemplate(int templateId, List<Field> scope, List<Field> options) {
    int set = startSet(version == 9 ? 1 : 3);
    buf.writeShort(templateId);
    if (version == 9) {
      buf.writeShort(4 * scope.size()).writeShort(4 * options.size());
    } else {
      buf.writeShort(scope.size() + options.size()).writeShort(scope.size());
    }
    writeFields(scope);
    writeFields(options);
    while (version == 9 && buf.writerIndex() % 4 != 0) buf.writeByte(0);
    count++;
    return endSet(set);
  }

  /** A data set; each record is the field values in template order, each a Long, byte[] or String (variable-length). */
  public ExportWriter data(int templateId, List<Field> fields, List<List<Object>> records) {
    int set = startSet(templateId);
    for (List<Object> r : records) {
      for (int i = 0; i < fields.size(); i++) writeValue(fields.get(i).length(), r.get(i));
      count++;
    }
    return endSet(set);
  }

  /** A set with the given id and body, length as declared (may lie). */
  public ExportWriter rawSet(int setId, int declaredLength, byte[] body) {
    buf.writeShort(setId).writeShort(declaredLength).writeBytes(body);
    return this;
  }

  public ExportWriter rawBytes(byte[] bytes) {
    buf.writeBytes(bytes);
    return this;
  }

  /** Bytes from ints, for hand-written wire fragments. */
  public static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
    return out;
  }

  public byte[] build() {
    if (version == 9) {
      buf.setShort(2, count);
    } else {
      buf.setShort(2, buf.writerIndex());
    }
    return ByteBufUtil.getBytes(buf);
  }

  private void writeFields(List<Field> fields) {
    for (Field f : fields) {
      if (f.pen() != 0) {
        buf.writeShort(f.id() | 0x8000).writeShort(f.length()).writeInt((int) f.pen());
      } else {
        buf.writeShort(f.id()).writeShort(f.length());
      }
    }
  }

  private void writeValue(int length, Object value) {
    byte[] bytes = switch (value) {
      case Long v -> {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[length - 1 - i] = (byte) (v >>> (8 * i));
        yield b;
      }
      case byte[] b -> b;
      case String s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      default -> throw new IllegalArgumentException("value " + value);
    };
    if (length == 0xFFFF) {
      if (bytes.length < 255) {
        buf.writeByte(bytes.length);
      } else {
        buf.writeByte(255).writeShort(bytes.length);
      }
    } else if (bytes.length != length) {
      throw new IllegalArgumentException(bytes.length + " bytes for a field of " + length);
    }
    buf.writeBytes(bytes);
  }

  private int startSet(int setId) {
    int at = buf.writerIndex();
    buf.writeShort(setId).writeShort(0);
    return at;
  }

  private ExportWriter endSet(int at) {
    buf.setShort(at + 2, buf.writerIndex() - at);
    return this;
  }
}
