package io.flowsentry.collector.netflow.template;

import static io.flowsentry.collector.netflow.template.FieldOp.*;

import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.Numbers;
import io.flowsentry.collector.netflow.OptionsRecord;
import io.flowsentry.collector.packet.PacketHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The template-driven part of decoding one v9 / IPFIX export message: the version decoders walk
 * the header and the sets, and hand template definitions, withdrawals and data sets to this
 * session, which keeps the store, the held data and the sampling rates up to date and turns data
 * records into {@link FlowRecord}s through each template's compiled field plan.
 *
 * <p>Records are collected and delivered by {@link #finish}, after the header, because the
 * header must carry the number of data records the message held (IPFIX sequence numbers count
 * them). One session per message and thread; the records wait in this thread's
 * {@link RecordBuffer} as reusable builders, lent to the listener one by one.
 */
public final class DecodeSession {

  /** More records than this in one set means a template that is nearly all padding: stop there. */
  public static final int MAX_RECORDS_PER_SET = 16_384;

  private static final int PROTO_ICMP = 1;
  private static final int PROTO_ICMPV6 = 58;
  private static final ThreadLocal<long[]> VALUES = ThreadLocal.withInitial(() -> new long[FieldOp.COUNT]);

  private final TemplateStore store;
  private final DecodeListener listener;
  private final boolean keepRaw;
  private final boolean decapsulateSrv6;
  private final ExporterId exporter;
  private final TemplateStore.Exporter entry;
  private final int version;
  private final long domain;
  private final long receivedMillis;
  private final RecordBuffer records = RecordBuffer.forThisThread();
  /** The record being decoded. */
  private FlowRecord.Builder b;
  private int dataRecords;
  /** Enterprise-specific element values skipped in this message (counted, not decoded). */
  private long skippedEnterpriseElements;
  private boolean held;

  private long exportTimeMillis;
  private long sysUptimeMillis;
  /** This message's domain in the sampling store, fetched on first use and after options data. */
  private SamplingStore.Domain sampling;

  /**
   * This record's value per {@link FieldOp} (numbers as read, NTP times as epoch milliseconds),
   * -1 for fields the template does not have. Filled with -1 once per set: every record of a
   * set writes the same ops, so nothing else needs clearing between its records.
   */
  private final long[] values = VALUES.get();
  private byte[] frame;
  private int frameAt, frameLength;

  /**
   * @param exportTimeMillis the message header's export time, epoch milliseconds
   * @param sysUptimeMillis the v9 header's sysUptime, -1 for IPFIX
   */
  private DecodeSession(TemplateStore store, DecodeListener listener, boolean keepRaw, Decapsulation decapsulation,
      TemplateStore.Exporter entry, int version, long observationDomain, long exportTimeMillis, long sysUptimeMillis, long receivedMillis) {
    this.store = store;
    this.listener = listener;
    this.keepRaw = keepRaw;
    this.decapsulateSrv6 = decapsulation == Decapsulation.SRV6;
    this.exporter = entry.id;
    this.entry = entry;
    this.version = version;
    this.domain = observationDomain;
    this.exportTimeMillis = exportTimeMillis;
    this.sysUptimeMillis = sysUptimeMillis;
    this.receivedMillis = receivedMillis;
  }

  /**
   * Starts decoding a message from {@code sender} whose header decoded: registers the exporter
   * (perhaps in the place of a less useful one) and runs the store's periodic expiry.
   */
  public static DecodeSession start(TemplateStore store, DecodeListener listener, boolean keepRaw, Decapsulation decapsulation,
      InetSocketAddress sender, int version, long observationDomain, long exportTimeMillis, long sysUptimeMillis,
      long receivedMillis) {
    ExporterId id = ExporterId.of(sender, store.limits().exporterIncludesPort());
    store.expireIfDue(receivedMillis, listener);
    TemplateStore.Exporter entry = store.admit(id, receivedMillis);
    return new DecodeSession(store, listener, keepRaw, decapsulation, entry, version, observationDomain, exportTimeMillis,
        sysUptimeMillis, receivedMillis);
  }

  /** Handles one set whose header has been checked; {@code [body, end)} is its content. */
  @FunctionalInterface
  public interface SetHandler {
    void set(int setId, int body, int end);
  }

  /**
   * Walks the sets (v9: flowsets) in {@code [pos, end)} of the message starting at {@code start}.
   * A set whose length is below its header or past the end stops the walk (nothing after it can
   * be located); otherwise the walk always resumes at the declared end of the set.
   */
  public void walkSets(ByteBuf buf, int start, int pos, int end, SetHandler handler) {
    while (end - pos >= 4) {
      int setId = buf.getUnsignedShort(pos);
      int length = buf.getUnsignedShort(pos + 2);
      if (length < 4 || length > end - pos) {
        error(DecodeError.BAD_SET_LENGTH, "set " + setId + " at offset " + (pos - start) + ": length " + length
            + " (expected: 4.." + (end - pos) + ")");
        return;
      }
      handler.set(setId, pos + 4, pos + length);
      pos += length;
    }
  }

  public TemplateKey key(int templateId) {
    return new TemplateKey(exporter, version, domain, templateId);
  }

  public void error(DecodeError reason, String detail) {
    listener.error(reason, exporter + " domain " + domain + ": " + detail);
  }

  /**
   * Stores a template just read (compiling it unless it re-announces the stored definition) and
   * decodes the data that was waiting for it.
   *
   * @param enterprises enterprise number per field, 0 for IANA elements (all 0 for v9)
   */
  public void define(int templateId, boolean options, int scopeCount, int[] ids, int[] lengths, long[] enterprises) {
    TemplateKey key = key(templateId);
    Template template = store.refresh(key, version, options, scopeCount, ids, lengths, enterprises, receivedMillis);
    if (template == null) {
      try {
        template = Template.of(version, templateId, options, scopeCount, ids, lengths, enterprises, receivedMillis);
      } catch (IllegalArgumentException e) {
        error(DecodeError.INVALID_TEMPLATE, e.getMessage());
        return;
      }
      DecodeError refused = store.put(key, template, receivedMillis);
      if (refused != null) {
        error(refused, "template " + templateId + " not stored (" + refusal(refused, template) + ")");
        return;
      }
    }
    for (PendingSet p : store.pending().take(key, version, receivedMillis, listener)) {
      long exportTime = exportTimeMillis, uptime = sysUptimeMillis;
      exportTimeMillis = p.exportTimeMillis();
      sysUptimeMillis = p.sysUptimeMillis();
      if (decodeRecords(p.data(), 0, p.data().length, template) > 0) entry.delivered(receivedMillis);
      exportTimeMillis = exportTime;
      sysUptimeMillis = uptime;
    }
  }

  private String refusal(DecodeError reason, Template template) {
    NetflowLimits l = store.limits();
    return switch (reason) {
      case TOO_MANY_TEMPLATES -> "limits: " + l.maxTemplatesPerExporter() + " templates and "
          + l.maxTemplateBytesPerExporter() + " bytes per exporter; this one takes " + template.retainedBytes();
      case STATE_BUDGET -> "limits.max_state_bytes is used by exporters that delivered records more recently";
      default -> "exporter no longer tracked";
    };
  }

  public void withdraw(int templateId) {
    store.withdraw(key(templateId));
  }

  public void withdrawAll(boolean options) {
    store.withdrawAll(exporter, version, domain, options);
  }

  /** A data set (set header already read) of template {@code templateId} spanning {@code [from, to)}. */
  public void dataSet(ByteBuf buf, int from, int to, int templateId) {
    TemplateKey key = key(templateId);
    Template t = store.get(key, version, receivedMillis);
    if (t == null) {
      if (to == from) return; // an empty set holds nothing worth waiting for
      byte[] data = ByteBufUtil.getBytes(buf, from, to - from);
      store.hold(entry, new PendingSet(key, version, data, exportTimeMillis, sysUptimeMillis, receivedMillis), listener);
      held = true;
      return;
    }
    if (buf.hasArray()) {
      int offset = buf.arrayOffset();
      dataRecords += decodeRecords(buf.array(), offset + from, offset + to, t);
    } else {
      byte[] scratch = Numbers.scratch(to - from);
      buf.getBytes(from, scratch, 0, to - from);
      dataRecords += decodeRecords(scratch, 0, to - from, t);
    }
  }

  /**
   * Data records this message carried, for sequence tracking; -1 when a data set had to be held
   * for a missing template (its record count cannot be known yet).
   */
  public int dataRecordCount() {
    return held ? -1 : dataRecords;
  }

  /** Reports the header, then every record decoded while walking the message. */
  public void finish(MessageHeader header) {
    if (dataRecords > 0) entry.delivered(receivedMillis);
    listener.header(header);
    if (skippedEnterpriseElements > 0) listener.enterpriseElementsSkipped(skippedEnterpriseElements);
    for (int i = 0; i < records.size(); i++) listener.decoded(records.get(i));
  }

  private int decodeRecords(byte[] buf, int from, int to, Template t) {
    int pos = from;
    int count = 0;
    Arrays.fill(values, -1);
    while (to - pos >= t.minRecordLength) {
      if (count == MAX_RECORDS_PER_SET) {
        error(DecodeError.BAD_SET_LENGTH, "template " + t.templateId() + ": more than " + MAX_RECORDS_PER_SET + " records in one set");
        break;
      }
      // completeRecord sets every other per-record field (and raw below) of a data record
      b = records.next().clearAddresses();
      b.version = version;
      b.exporter = exporter.address();
      b.observationDomain = domain;
      b.templateId = t.templateId();
      b.exportTimeMillis = exportTimeMillis;
      frame = null;
      Map<String, Object> raw = keepRaw ? new LinkedHashMap<>(t.fieldCount() * 2) : null;
      Map<String, Object> scope = keepRaw && t.isOptions() ? new LinkedHashMap<>() : null;
      int next = t.offsets != null ? readFixedRecord(buf, pos, t, raw, scope) : readRecord(buf, pos, to, t, raw, scope);
      if (next < 0) {
        error(DecodeError.TRUNCATED_RECORD, "template " + t.templateId() + ": record " + count + " at set offset " + (pos - from)
            + " runs past the set end (" + (to - from) + " bytes)");
        break;
      }
      pos = next;
      count++;
      skippedEnterpriseElements += t.skippedEnterpriseFields;
      if (t.isOptions()) {
        applyOptions();
        if (raw != null) listener.optionsRecord(new OptionsRecord(exporter.address(), version, domain, t.templateId(), scope, raw));
      } else {
        completeRecord();
        b.raw = raw;
        records.keep();
      }
    }
    return count;
  }

  /** Reads one record of a template without variable-length fields (it fits: checked by the caller). */
  private int readFixedRecord(byte[] buf, int pos, Template t, Map<String, Object> raw, Map<String, Object> scope) {
    long[] v = values;
    int[] ops = t.u8Ops, at = t.u8At;
    for (int i = 0; i < ops.length; i++) v[ops[i]] = Numbers.u8(buf, pos + at[i]);
    ops = t.u16Ops;
    at = t.u16At;
    for (int i = 0; i < ops.length; i++) v[ops[i]] = Numbers.u16(buf, pos + at[i]);
    ops = t.u32Ops;
    at = t.u32At;
    for (int i = 0; i < ops.length; i++) v[ops[i]] = Numbers.i32(buf, pos + at[i]) & 0xFFFF_FFFFL;
    ops = t.u64Ops;
    at = t.u64At;
    for (int i = 0; i < ops.length; i++) v[ops[i]] = Numbers.i64(buf, pos + at[i]);
    for (int f : t.otherFields) apply(t.ops[f], buf, pos + t.offsets[f], t.lengths[f]);
    if (raw != null) {
      for (int f = 0; f < t.ops.length; f++) putRaw(raw, scope, t, f, RawValues.of(buf, pos + t.offsets[f], t.lengths[f], t.types[f]));
    }
    return pos + t.minRecordLength;
  }

  /** Reads one record at {@code pos}; the position after it, or -1 when it does not fit before {@code end}. */
  private int readRecord(byte[] buf, int pos, int end, Template t, Map<String, Object> raw, Map<String, Object> scope) {
    int[] ops = t.ops;
    int[] lengths = t.lengths;
    for (int f = 0; f < ops.length; f++) {
      int len = lengths[f];
      if (len == Template.VARIABLE) {
        // RFC 7011 section 7: one length byte, or 255 followed by a two-byte length
        if (pos >= end) return -1;
        len = Numbers.u8(buf, pos++);
        if (len == 255) {
          if (end - pos < 2) return -1;
          len = Numbers.u16(buf, pos);
          pos += 2;
        }
      }
      if (end - pos < len) return -1;
      int op = ops[f];
      if (op != SKIP) apply(op, buf, pos, len);
      if (raw != null) putRaw(raw, scope, t, f, RawValues.of(buf, pos, len, t.types[f]));
      pos += len;
    }
    return pos;
  }

  /** The scope fields of an options record go to {@code scope}, all others to {@code raw}. */
  private static void putRaw(Map<String, Object> raw, Map<String, Object> scope, Template t, int field, Object value) {
    (field < t.scopeFieldCount() ? scope : raw).put(t.names[field], value);
  }

  /** One field outside the width-grouped reads: a special op, or a number of any width. */
  private void apply(int op, byte[] buf, int pos, int len) {
    switch (op) {
      // templates with both IPv4 and IPv6 address fields fill the unused family with zeros
      case SRC_V4 -> {
        int a = Numbers.i32(buf, pos);
        if (a != 0 || !b.hasSource()) b.sourceV4(a);
      }
      case DST_V4 -> {
        int a = Numbers.i32(buf, pos);
        if (a != 0 || !b.hasDestination()) b.destinationV4(a);
      }
      case SRC_V6 -> {
        long hi = Numbers.i64(buf, pos), lo = Numbers.i64(buf, pos + 8);
        if ((hi | lo) != 0 || !b.hasSource()) b.sourceV6(hi, lo);
      }
      case DST_V6 -> {
        long hi = Numbers.i64(buf, pos), lo = Numbers.i64(buf, pos + 8);
        if ((hi | lo) != 0 || !b.hasDestination()) b.destinationV6(hi, lo);
      }
      case START_NTP, END_NTP -> values[op] = Numbers.ntpToMillis(Numbers.i64(buf, pos));
      case FRAME_SECTION -> {
        frame = buf;
        frameAt = pos;
        frameLength = len;
      }
      default -> values[op] = Numbers.unsigned(buf, pos, len);
    }
  }

  /** Moves the record's values into the builder, resolving counter fallbacks, times, ICMP, sampling. */
  private void completeRecord() {
    long[] v = values;
    b.sourcePort = (int) v[SRC_PORT];
    b.destinationPort = (int) v[DST_PORT];
    b.protocol = (int) v[PROTOCOL];
    b.tcpFlags = (int) v[TCP_FLAGS];
    b.tos = (int) v[TOS];
    b.octets = firstKnown(v[OCTET_DELTA], v[OCTET_TOTAL], v[INITIATOR_OCTETS]);
    b.packets = firstKnown(v[PACKET_DELTA], v[PACKET_TOTAL], v[INITIATOR_PACKETS]);
    b.reverseOctets = firstKnown(v[REVERSE_OCTET_DELTA], v[REVERSE_OCTET_TOTAL], v[RESPONDER_OCTETS]);
    b.reversePackets = firstKnown(v[REVERSE_PACKET_DELTA], v[REVERSE_PACKET_TOTAL], v[RESPONDER_PACKETS]);
    b.inputInterface = v[IN_IF];
    b.outputInterface = v[OUT_IF];
    b.icmpType = (int) v[ICMP_TYPE];
    b.icmpCode = (int) v[ICMP_CODE];
    b.samplerId = v[SAMPLER_ID];
    b.flowDirection = (int) v[FLOW_DIRECTION];
    b.biflowDirection = (int) v[BIFLOW_DIRECTION];
    b.connectionId = v[CONNECTION_ID];
    b.firewallEvent = (int) v[FIREWALL_EVENT];
    // the frame section fills in what the template's own fields left out
    if (frame != null) PacketHeader.fillFromEthernet(frame, frameAt, frameLength, decapsulateSrv6, b);
    if (b.inputInterface < 0) b.inputInterface = v[IN_PHYSICAL_IF];
    if (b.outputInterface < 0) b.outputInterface = v[OUT_PHYSICAL_IF];
    completeIcmp();
    b.startMillis = time(absolute(v[START_MILLIS], v[START_NTP], v[START_SECONDS]), v[START_DELTA_MICROS], v[START_UPTIME]);
    b.endMillis = time(absolute(v[END_MILLIS], v[END_NTP], v[END_SECONDS]), v[END_DELTA_MICROS], v[END_UPTIME]);
    long interval = recordSamplingInterval();
    b.samplingInterval = interval > 0 ? interval : announcedInterval(b.samplerId);
  }

  private void completeIcmp() {
    if (b.icmpType >= 0) return;
    long icmpTypeCode = values[ICMP_TYPE_CODE];
    if (icmpTypeCode >= 0) {
      b.icmpType = (int) (icmpTypeCode >>> 8) & 0xFF;
      b.icmpCode = (int) icmpTypeCode & 0xFF;
    } else if ((b.protocol == PROTO_ICMP || b.protocol == PROTO_ICMPV6) && b.destinationPort >= 0 && b.sourcePort <= 0) {
      // Cisco convention (v5 and many v9 templates without ICMP fields): type << 8 | code in the destination port
      b.icmpType = (b.destinationPort >>> 8) & 0xFF;
      b.icmpCode = b.destinationPort & 0xFF;
    }
  }

  /** An absolute time in epoch milliseconds from the finest encoding the record has; -1 when none. */
  private static long absolute(long millis, long ntpMillis, long seconds) {
    if (millis >= 0) return millis;
    if (ntpMillis >= 0) return ntpMillis;
    return seconds >= 0 ? seconds * 1000 : -1;
  }

  /** Absolute epoch milliseconds from whichever encoding the record used; -1 when none. */
  private long time(long absolute, long deltaMicros, long uptime) {
    if (absolute >= 0) return absolute;
    if (deltaMicros >= 0) return exportTimeMillis - deltaMicros / 1000;
    if (uptime >= 0) {
      long systemInit = values[SYSTEM_INIT_MILLIS];
      long init = systemInit >= 0 ? systemInit : announcedSystemInit();
      if (init >= 0) return init + uptime;
      // v9: sysUptime and the switched times are 32-bit milliseconds that wrap after 49.7 days;
      // the signed 32-bit difference stays right across a wrap
      if (sysUptimeMillis >= 0) return exportTimeMillis - (int) (sysUptimeMillis - uptime);
    }
    return values[EVENT_MILLIS];
  }

  private long recordSamplingInterval() {
    long[] v = values;
    long packetInterval = v[PACKET_INTERVAL];
    if (packetInterval > 0) return (packetInterval + Math.max(0, v[PACKET_SPACE])) / packetInterval;
    if (v[SAMPLING_SIZE] > 0 && v[SAMPLING_POPULATION] > 0) return v[SAMPLING_POPULATION] / v[SAMPLING_SIZE];
    return v[SAMPLING_INTERVAL];
  }

  private long announcedInterval(long samplerId) {
    if (sampling == null) sampling = store.sampling().domain(exporter, domain);
    return sampling.interval(samplerId);
  }

  private long announcedSystemInit() {
    if (sampling == null) sampling = store.sampling().domain(exporter, domain);
    return sampling.systemInitMillis();
  }

  /** An options record: remember the sampling rate or system init time it announces. */
  private void applyOptions() {
    long interval = recordSamplingInterval();
    if (interval > 0) {
      store.sampling().put(exporter, domain, values[SAMPLER_ID], interval);
      sampling = null;
    }
    long systemInit = values[SYSTEM_INIT_MILLIS];
    if (systemInit >= 0) {
      store.sampling().putSystemInit(exporter, domain, systemInit);
      sampling = null;
    }
  }

  private static long firstKnown(long a, long b, long c) {
    return a >= 0 ? a : b >= 0 ? b : c;
  }
}
