package io.flowsentry.collector.netflow.ipfix;

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
 * Pure IPFIX decoder (RFC 7011): walks one message's sets, keeps templates in the shared
 * {@link TemplateStore} (withdrawals included) and reports header, records and errors to a
 * {@link DecodeListener}. No sockets, clocks or metrics. Thread-safe; the store is the only
 * shared state.
 *
 * <pre>
 * RFC 7011 section 3.1, message header:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       Version Number          |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           Export Time                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Sequence Number                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Observation Domain ID                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * followed by Sets, each |Set ID (2 template, 3 options template, 256+ data)|Length|
 * </pre>
 */
public final class IpfixDecoder {

  public static final int VERSION = 10;
  static final int HEADER_LENGTH = 16;
  private static final int TEMPLATE_SET = 2;
  private static final int OPTIONS_TEMPLATE_SET = 3;
  private static final int FIRST_DATA_SET = 256;

  private final TemplateStore store;
  private final NetflowLimits limits;
  private final boolean keepRaw;
  private final Decapsulation decapsulation;

  /**
   * @param store templates, held data and sampling rates for IPFIX (may be shared with the v9 decoder, see TemplateStore)
   * @param keepRaw whether records carry every element by IANA name in {@code raw}
   */
  public IpfixDecoder(TemplateStore store, NetflowLimits limits, boolean keepRaw) {
    this(store, limits, keepRaw, Decapsulation.NONE);
  }

  /** @param decapsulation where sampled packets' flow keys come from (inputs.netflow.decapsulation) */
  public IpfixDecoder(TemplateStore store, NetflowLimits limits, boolean keepRaw, Decapsulation decapsulation) {
    this.store = store;
    this.limits = limits;
    this.keepRaw = keepRaw;
    this.decapsulation = decapsulation;
  }

  /** Decodes the message in the readable bytes of {@code message} (not consumed: the reader index stays). */
  public void decode(ByteBuf message, InetSocketAddress exporter, long receivedMillis, DecodeListener listener) {
    int start = message.readerIndex();
    int readable = message.writerIndex() - start;
    if (readable < HEADER_LENGTH) {
      listener.error(DecodeError.TRUNCATED_HEADER, ExporterId.describe(exporter) + ": incomplete IPFIX header: " + readable
          + " bytes (expected: " + HEADER_LENGTH + "+)");
      return;
    }
    int version = message.getUnsignedShort(start);
    if (version != VERSION) {
      listener.error(DecodeError.UNKNOWN_VERSION, ExporterId.describe(exporter) + ": version " + version + " (expected: 10)");
      return;
    }
    int length = message.getUnsignedShort(start + 2);
    if (length < HEADER_LENGTH) {
      listener.error(DecodeError.BAD_LENGTH, ExporterId.describe(exporter) + ": IPFIX message length " + length + " (expected: 16+)");
      return;
    }
    if (length > readable) {
      // sets that fit in what arrived are still decoded; the walk stops at the first one cut off
      listener.error(DecodeError.BAD_LENGTH, ExporterId.describe(exporter) + ": IPFIX message length " + length
          + " but the datagram has " + readable + " bytes");
    }
    int end = start + Math.min(length, readable);
    long exportMillis = message.getUnsignedInt(start + 4) * 1000;
    long sequence = message.getUnsignedInt(start + 8);
    long domain = message.getUnsignedInt(start + 12);

    DecodeSession session = DecodeSession.start(store, listener, keepRaw, decapsulation, exporter, VERSION, domain, exportMillis, -1,
        receivedMillis);
    session.walkSets(message, start, start + HEADER_LENGTH, end, (setId, body, setEnd) -> {
      if (setId == TEMPLATE_SET || setId == OPTIONS_TEMPLATE_SET) {
        templates(session, message, body, setEnd, setId == OPTIONS_TEMPLATE_SET);
      } else if (setId < FIRST_DATA_SET) {
        session.error(DecodeError.RESERVED_SET_ID, "set id " + setId + " at offset " + (body - 4 - start) + " skipped");
      } else {
        session.dataSet(message, body, setEnd, setId);
      }
    });
    session.finish(new MessageHeader(VERSION, length, -1, exportMillis, sequence, domain, session.dataRecordCount()));
  }

  /*
   * Template Record (RFC 7011 section 3.4.1), Options Template Record (section 3.4.2):
   * |      Template ID (> 255)      |         Field Count           |
   * |      Scope Field Count        |   (options templates only)
   * then Field Count field specifiers (section 3.2):
   * |E|  Information Element ident. |        Field Length           |
   * |                      Enterprise Number  (only when E = 1)     |
   * A record with Field Count 0 is a withdrawal (section 8.1); Template ID 2 / 3 withdraws all
   * templates / options templates of the observation domain.
   */
  private void templates(DecodeSession session, ByteBuf buf, int pos, int end, boolean options) {
    while (end - pos >= 4) {
      int templateId = buf.getUnsignedShort(pos);
      int fieldCount = buf.getUnsignedShort(pos + 2);
      pos += 4;
      if (fieldCount == 0) {
        if (!withdraw(session, templateId, options)) return;
        continue;
      }
      if (templateId < FIRST_DATA_SET) {
        session.error(DecodeError.INVALID_TEMPLATE, "template id " + templateId + " (expected: 256+)");
        return;
      }
      int scopeCount = 0;
      if (options) {
        if (end - pos < 2) {
          session.error(DecodeError.BAD_SET_LENGTH, "options template " + templateId + ": no scope field count");
          return;
        }
        scopeCount = buf.getUnsignedShort(pos);
        pos += 2;
        if (scopeCount == 0 || scopeCount > fieldCount) {
          session.error(DecodeError.INVALID_TEMPLATE, "options template " + templateId + ": scope field count "
              + scopeCount + " (expected: 1.." + fieldCount + ")");
          return;
        }
      }
      if (fieldCount > limits.maxFieldsPerTemplate()) {
        session.error(DecodeError.TOO_MANY_FIELDS, "template " + templateId + ": " + fieldCount
            + " fields (expected: at most " + limits.maxFieldsPerTemplate() + ")");
        return; // its specifiers cannot be skipped without reading them all; the rest of the set is lost
      }
      pos = define(session, buf, pos, end, templateId, options, scopeCount, fieldCount);
      if (pos < 0) return;
    }
  }

  /** Handles a withdrawal; false when it is malformed and the rest of the set must be skipped. */
  private boolean withdraw(DecodeSession session, int templateId, boolean options) {
    if (templateId == (options ? OPTIONS_TEMPLATE_SET : TEMPLATE_SET)) {
      session.withdrawAll(options);
      return true;
    }
    if (templateId == 0) return false; // padding
    if (templateId < FIRST_DATA_SET) {
      session.error(DecodeError.INVALID_TEMPLATE, "withdrawal of template id " + templateId + " (expected: 256+)");
      return false;
    }
    session.withdraw(templateId);
    return true;
  }

  /** Reads the field specifiers and defines the template; the position after them, or -1 when they run past {@code end}. */
  private int define(DecodeSession session, ByteBuf buf, int pos, int end, int templateId, boolean options,
      int scopeCount, int fieldCount) {
    int[] ids = new int[fieldCount];
    int[] lengths = new int[fieldCount];
    long[] enterprises = new long[fieldCount];
    for (int i = 0; i < fieldCount; i++) {
      if (end - pos < 4) return cutOff(session, templateId, i, fieldCount);
      int id = buf.getUnsignedShort(pos);
      lengths[i] = buf.getUnsignedShort(pos + 2);
      pos += 4;
      if ((id & 0x8000) != 0) {
        if (end - pos < 4) return cutOff(session, templateId, i, fieldCount);
        enterprises[i] = buf.getUnsignedInt(pos);
        pos += 4;
      }
      ids[i] = id & 0x7FFF;
    }
    session.define(templateId, options, scopeCount, ids, lengths, enterprises);
    return pos;
  }

  private static int cutOff(DecodeSession session, int templateId, int field, int fieldCount) {
    session.error(DecodeError.BAD_SET_LENGTH, "template " + templateId + ": field " + field + " of " + fieldCount
        + " runs past the set end");
    return -1;
  }
}
