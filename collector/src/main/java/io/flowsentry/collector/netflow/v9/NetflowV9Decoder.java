package io.flowsentry.collector.netflow.v9;

import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.DecodeSession;
import io.flowsentry.collector.netflow.template.ExporterId;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * Pure NetFlow v9 decoder (RFC 3954): walks one export packet's flowsets, keeps templates in the
 * shared {@link TemplateStore} and reports header, records and errors to a {@link DecodeListener}.
 * No sockets, clocks or metrics: time is the caller's {@code receivedMillis}. Thread-safe; the
 * store is the only shared state.
 *
 * <pre>
 * RFC 3954 section 5.1, packet header:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Version Number          |            Count              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           sysUpTime                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           UNIX Secs                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Sequence Number                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Source ID                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * followed by FlowSets, each |FlowSet ID (0 template, 1 options template, 256+ data)|Length|
 * </pre>
 */
public final class NetflowV9Decoder {

  public static final int VERSION = 9;
  static final int HEADER_LENGTH = 20;
  private static final int TEMPLATE_FLOWSET = 0;
  private static final int OPTIONS_TEMPLATE_FLOWSET = 1;
  private static final int FIRST_DATA_FLOWSET = 256;

  private final TemplateStore store;
  private final NetflowLimits limits;
  private final boolean keepRaw;
  private final Decapsulation decapsulation;

  /**
   * @param store templates, held data and sampling rates for v9 (may be shared with the IPFIX decoder, see TemplateStore)
   * @param keepRaw whether records carry every element by IANA name in {@code raw}
   */
  public NetflowV9Decoder(TemplateStore store, NetflowLimits limits, boolean keepRaw) {
    this(store, limits, keepRaw, Decapsulation.NONE);
  }

  /** @param decapsulation where sampled packets' flow keys come from (inputs.netflow.decapsulation) */
  public NetflowV9Decoder(TemplateStore store, NetflowLimits limits, boolean keepRaw, Decapsulation decapsulation) {
    this.store = store;
    this.limits = limits;
    this.keepRaw = keepRaw;
    this.decapsulation = decapsulation;
  }

  /** Decodes the readable bytes of {@code message} (not consumed: the reader index stays). */
  public void decode(ByteBuf message, InetSocketAddress exporter, long receivedMillis, DecodeListener listener) {
    int start = message.readerIndex();
    int end = message.writerIndex();
    if (end - start < HEADER_LENGTH) {
      listener.error(DecodeError.TRUNCATED_HEADER, ExporterId.describe(exporter) + ": incomplete v9 header: " + (end - start)
          + " bytes (expected: " + HEADER_LENGTH + "+)");
      return;
    }
    int version = message.getUnsignedShort(start);
    if (version != VERSION) {
      listener.error(DecodeError.UNKNOWN_VERSION, ExporterId.describe(exporter) + ": version " + version + " (expected: 9)");
      return;
    }
    int count = message.getUnsignedShort(start + 2);
    long sysUptime = message.getUnsignedInt(start + 4);
    long exportMillis = message.getUnsignedInt(start + 8) * 1000;
    long sequence = message.getUnsignedInt(start + 12);
    long sourceId = message.getUnsignedInt(start + 16);

    DecodeSession session = DecodeSession.start(store, listener, keepRaw, decapsulation, exporter, VERSION, sourceId, exportMillis,
        sysUptime, receivedMillis);
    session.walkSets(message, start, start + HEADER_LENGTH, end, (setId, body, setEnd) -> {
      if (setId == TEMPLATE_FLOWSET) {
        templates(session, message, body, setEnd);
      } else if (setId == OPTIONS_TEMPLATE_FLOWSET) {
        optionsTemplates(session, message, body, setEnd);
      } else if (setId < FIRST_DATA_FLOWSET) {
        session.error(DecodeError.RESERVED_SET_ID, "flowset id " + setId + " at offset " + (body - 4 - start) + " skipped");
      } else {
        session.dataSet(message, body, setEnd, setId);
      }
    });
    session.finish(new MessageHeader(VERSION, count, sysUptime, exportMillis, sequence, sourceId,
        session.dataRecordCount()));
  }

  /*
   * Template FlowSet records (RFC 3954 section 5.2):
   * |      Template ID 256          |         Field Count           |
   * |        Field Type 1           |         Field Length 1        |
   * |             ...               |              ...              |
   */
  private void templates(DecodeSession session, ByteBuf buf, int pos, int end) {
    while (end - pos >= 4) {
      int templateId = buf.getUnsignedShort(pos);
      int fieldCount = buf.getUnsignedShort(pos + 2);
      if (templateId == 0 && fieldCount == 0) return; // padding
      pos += 4;
      if (!checkTemplate(session, templateId, fieldCount, 4L * fieldCount, end - pos)) {
        if (fieldCount == 0) continue;
        return;
      }
      define(session, buf, pos, templateId, false, 0, fieldCount);
      pos += 4 * fieldCount;
    }
  }

  /*
   * Options Template FlowSet (RFC 3954 section 6.1), one or more of:
   * |         Template ID           |      Option Scope Length      |
   * |        Option Length          |       Scope 1 Field Type      |
   * |     Scope 1 Field Length      |               ...             |
   * |     Option 1 Field Type       |     Option 1 Field Length     |
   * followed by padding to a 4-byte boundary
   */
  private void optionsTemplates(DecodeSession session, ByteBuf buf, int pos, int end) {
    while (end - pos >= 6) {
      int templateId = buf.getUnsignedShort(pos);
      int scopeLength = buf.getUnsignedShort(pos + 2);
      int optionLength = buf.getUnsignedShort(pos + 4);
      if (templateId == 0) return; // padding
      pos += 6;
      if (scopeLength % 4 != 0 || optionLength % 4 != 0) {
        session.error(DecodeError.INVALID_TEMPLATE, "options template " + templateId + ": scope length "
            + scopeLength + ", option length " + optionLength + " (expected: multiples of 4)");
        return;
      }
      int fieldCount = (scopeLength + optionLength) / 4;
      if (!checkTemplate(session, templateId, fieldCount, (long) scopeLength + optionLength, end - pos)) return;
      define(session, buf, pos, templateId, true, scopeLength / 4, fieldCount);
      pos += scopeLength + optionLength;
    }
  }

  /** Whether a template header is usable; reports why not. */
  private boolean checkTemplate(DecodeSession session, int templateId, int fieldCount, long bytes, int available) {
    if (templateId < FIRST_DATA_FLOWSET) {
      session.error(DecodeError.INVALID_TEMPLATE, "template id " + templateId + " (expected: 256+)");
      return false;
    }
    if (fieldCount == 0) {
      session.error(DecodeError.INVALID_TEMPLATE, "template " + templateId + " has no fields");
      return false;
    }
    if (fieldCount > limits.maxFieldsPerTemplate()) {
      session.error(DecodeError.TOO_MANY_FIELDS, "template " + templateId + ": " + fieldCount
          + " fields (expected: at most " + limits.maxFieldsPerTemplate() + ")");
      return false;
    }
    if (bytes > available) {
      session.error(DecodeError.BAD_SET_LENGTH, "template " + templateId + ": " + fieldCount + " fields need "
          + bytes + " bytes, the flowset has " + available);
      return false;
    }
    return true;
  }

  private void define(DecodeSession session, ByteBuf buf, int pos, int templateId, boolean options, int scopeCount,
      int fieldCount) {
    int[] ids = new int[fieldCount];
    int[] lengths = new int[fieldCount];
    for (int i = 0; i < fieldCount; i++, pos += 4) {
      ids[i] = buf.getUnsignedShort(pos);
      lengths[i] = buf.getUnsignedShort(pos + 2);
    }
    session.define(templateId, options, scopeCount, ids, lengths, new long[fieldCount]);
  }
}
