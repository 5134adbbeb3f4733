package io.flowsentry.collector.sflow;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.ExportProtocol;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.Numbers;
import io.flowsentry.collector.packet.PacketHeader;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure decoder for sFlow version 5 datagrams (https://sflow.org/sflow_version_5.txt): XDR, every
 * number a big-endian u32 unless noted. No state, no clock, no metrics: safe to share.
 *
 * <pre>
 * datagram:  version (5) | agent address type (1 IPv4, 2 IPv6) | agent address (4 or 16)
 *            | sub_agent_id | sequence_number | uptime (ms) | num_samples | samples...
 * sample:    data_format (enterprise 20 bits, format 12 bits) | length | sample data
 * flow_sample (0:1):           sequence | source_id (type 8 bits, index 24) | sampling_rate
 *            | sample_pool | drops | input | output (format 2 bits, value 30) | num_records | records...
 * expanded flow_sample (0:3):  sequence | source_id type | source_id index | sampling_rate | sample_pool
 *            | drops | input format | input value | output format | output value | num_records | records...
 * counter_sample (0:2):        sequence | source_id | num_records | records...
 * expanded counter (0:4):      sequence | source_id type | source_id index | num_records | records...
 * discard (0:5, sflow_drops):  sequence | source_id type | index | drops | input | output | reason | num_records | records...
 * record:    data_format | length | record data
 * </pre>
 *
 * Flow records read: sampled header (0:1; Ethernet, bare IPv4 and IPv6 through {@link PacketHeader}),
 * sampled Ethernet (0:2), sampled IPv4 (0:3), sampled IPv6 (0:4), extended switch (0:1001),
 * extended router (0:1002), extended gateway (0:1003). Counter records read: generic interface
 * counters (0:1). Every other record is skipped by its length and counted.
 *
 * <p>Decisions, with their reasons:
 * <ul>
 *   <li>Each sample and record is read within its declared length, and the next one starts at
 *       exactly that length, aligned or not: real agents send unpadded strings
 *       (goflow2's TestSFlowDecodeDropExtendedFunction), and pad bytes are not always zero.</li>
 *   <li>A sample count larger than the datagram holds, or a sample whose length runs past the
 *       datagram, is {@link DecodeError#BAD_LENGTH} / {@link DecodeError#BAD_SET_LENGTH}: the
 *       samples before it were reported, nothing after it can be found. The same inside a sample
 *       for its records; the next sample is still decoded. A record shorter than its format needs
 *       is {@link DecodeError#TRUNCATED_RECORD} and skipped. Bytes after the declared samples are
 *       ignored (akvorado's captures edited num_samples and left the rest).</li>
 *   <li>One flow sample is one sampled packet, and becomes one record: its first IP-level source
 *       wins (the sampled header usually comes first; sampled IPv4/IPv6 fill only what it left
 *       unknown). Octets are the IP packet's length (IPv4 total length, IPv6 payload + 40, or the
 *       sampled IPv4/IPv6 record's length) as NetFlow and IPFIX count them, not the frame length;
 *       packets 1; the sampling interval the sample's sampling rate. A sample without an IPv4 or
 *       IPv6 packet (ARP, a truncated header) yields no record.</li>
 *   <li>sFlow carries no flow time: the record's time is the datagram's receive time.</li>
 *   <li>Interfaces: format 0 gives the ifIndex, except 0x3FFFFFFF (the agent itself); discarded and
 *       multi-interface outputs (formats 1, 2) have none (-1).</li>
 * </ul>
 */
public final class SflowDecoder {

  public static final int VERSION = 5;
  /** Version, address type, IPv4 address, sub-agent, sequence, uptime, sample count. */
  public static final int MIN_HEADER_LENGTH = 28;
  /** Flow records followed per sample and counter records per sample: real agents send a handful. */
  static final int MAX_RECORDS = 64;
  private static final int AS_PATH_VALUES = 256;
  private static final HexFormat MAC = HexFormat.ofDelimiter(":");

  private final boolean keepRaw;
  private final boolean decapsulate;

  /**
   * @param keepRaw whether every record also carries its sFlow fields ({@link FlowRecord#raw()})
   * @param decapsulate report an IP-in-IPv6 (SRv6) sampled packet by its inner packet
   */
  public SflowDecoder(boolean keepRaw, boolean decapsulate) {
    this.keepRaw = keepRaw;
    this.decapsulate = decapsulate;
  }

  /**
   * Whether a datagram is sFlow: its first 32-bit word is a small version number, so its first
   * 16 bits are 0, which no NetFlow or IPFIX version is.
   */
  public static boolean isSflow(ByteBuf message) {
    return message.readableBytes() >= 4 && message.getUnsignedShort(message.readerIndex()) == 0;
  }

  public void decode(ByteBuf message, InetSocketAddress sender, long receivedMillis, SflowListener listener) {
    int length = message.readableBytes();
    byte[] a;
    int base;
    if (message.hasArray()) {
      a = message.array();
      base = message.arrayOffset() + message.readerIndex();
    } else {
      a = Numbers.scratch(length);
      message.getBytes(message.readerIndex(), a, 0, length);
      base = 0;
    }
    new Walk(a, base, base + length, sender, receivedMillis, listener).datagram();
  }

  /** One datagram's walk: the bytes, where they end, and the builder lent for each sampled packet. */
  private final class Walk {
    private final byte[] a;
    private final int base;
    private final int end;
    private final SflowListener listener;
    private final FlowRecord.Builder b = FlowRecord.builder();
    private IpAddr agent;
    private long subAgent;
    private int sampleIndex;

    Walk(byte[] a, int base, int end, InetSocketAddress sender, long receivedMillis, SflowListener listener) {
      this.a = a;
      this.base = base;
      this.end = end;
      this.listener = listener;
      b.version = ExportProtocol.SFLOW.version();
      b.exporter = sender == null ? null : IpAddr.of(sender.getAddress());
      b.exportTimeMillis = receivedMillis;
    }

    void datagram() {
      int length = end - base;
      if (length < MIN_HEADER_LENGTH) {
        listener.error(DecodeError.TRUNCATED_HEADER,
            "incomplete sFlow header: " + length + " bytes (expected: " + MIN_HEADER_LENGTH + "+)");
        return;
      }
      long version = u32(base);
      if (version != VERSION) {
        listener.error(DecodeError.UNKNOWN_VERSION, "sFlow version " + version + " (expected: 5)");
        return;
      }
      long addressType = u32(base + 4);
      int addressLength = addressLength(addressType);
      if (addressLength < 0) {
        listener.error(DecodeError.UNKNOWN_ADDRESS_TYPE,
            "agent address type " + addressType + " (expected: 1 IPv4 or 2 IPv6)");
        return;
      }
      int pos = base + 8 + addressLength;
      if (end - pos < 16) {
        listener.error(DecodeError.TRUNCATED_HEADER, "incomplete sFlow header: " + length + " bytes (expected: "
            + (pos + 16 - base) + "+ with an IPv6 agent address)");
        return;
      }
      agent = address(base + 8, addressLength);
      subAgent = u32(pos);
      long sequence = u32(pos + 4);
      long uptime = u32(pos + 8);
      long samples = u32(pos + 12);
      pos += 16;
      b.observationDomain = subAgent;
      listener.datagram(new SflowDatagram(agent, subAgent, sequence, uptime, samples));
      for (sampleIndex = 0; sampleIndex < samples; sampleIndex++) {
        if (end - pos < 8) {
          listener.error(DecodeError.BAD_LENGTH, "num_samples " + samples + " but the datagram ends after "
              + sampleIndex + " (" + (end - pos) + " bytes left at offset " + (pos - base) + ")");
          return;
        }
        long format = u32(pos);
        long sampleLength = u32(pos + 4);
        if (sampleLength > end - pos - 8) {
          listener.error(DecodeError.BAD_SET_LENGTH, "sample " + sampleIndex + " at offset " + (pos - base)
              + ": length " + sampleLength + " runs past the datagram end (" + (end - pos - 8) + " bytes left)");
          return;
        }
        int at = pos + 8;
        int sampleEnd = at + (int) sampleLength;
        sample((int) (format >>> 12), (int) (format & 0xFFF), at, sampleEnd);
        pos = sampleEnd;
      }
    }

    private void sample(int enterprise, int format, int pos, int sampleEnd) {
      if (enterprise != 0) {
        listener.unknownSample(enterprise, format);
        return;
      }
      switch (format) {
        case 1 -> flowSample(false, pos, sampleEnd);
        case 3 -> flowSample(true, pos, sampleEnd);
        case 2 -> counterSample(false, pos, sampleEnd);
        case 4 -> counterSample(true, pos, sampleEnd);
        case 5 -> discardSample(pos, sampleEnd);
        default -> listener.unknownSample(enterprise, format);
      }
    }

    private void flowSample(boolean expanded, int pos, int sampleEnd) {
      int fixed = expanded ? 44 : 32;
      if (!fits(pos, sampleEnd, fixed, expanded ? "expanded flow sample" : "flow sample")) return;
      FlowSample s;
      if (expanded) {
        s = new FlowSample(true, u32(pos), (int) u32(pos + 4), u32(pos + 8), u32(pos + 12), u32(pos + 16),
            u32(pos + 20), (int) u32(pos + 24), u32(pos + 28), (int) u32(pos + 32), u32(pos + 36), u32(pos + 40));
      } else {
        long source = u32(pos + 4), input = u32(pos + 20), output = u32(pos + 24);
        s = new FlowSample(false, u32(pos), (int) (source >>> 24), source & 0xFF_FFFF, u32(pos + 8), u32(pos + 12),
            u32(pos + 16), (int) (input >>> 30), input & 0x3FFF_FFFF, (int) (output >>> 30), output & 0x3FFF_FFFF,
            u32(pos + 28));
      }
      listener.flowSample(s);
      b.reset();
      b.samplingInterval = s.samplingRate();
      b.inputInterface = ifIndex(s.inputFormat(), s.inputValue());
      b.outputInterface = ifIndex(s.outputFormat(), s.outputValue());
      Map<String, Object> raw = keepRaw ? sampleRaw(s) : null;
      records(pos + fixed, sampleEnd, s.records(), true, raw);
      if (!b.hasSource() || !b.hasDestination()) return; // no IP packet in this sample
      if (b.packets < 0) b.packets = 1;
      b.raw = raw;
      listener.decoded(b);
    }

    private void counterSample(boolean expanded, int pos, int sampleEnd) {
      int fixed = expanded ? 16 : 12;
      if (!fits(pos, sampleEnd, fixed, expanded ? "expanded counter sample" : "counter sample")) return;
      long sequence = u32(pos), records;
      int type;
      long index;
      if (expanded) {
        type = (int) u32(pos + 4);
        index = u32(pos + 8);
        records = u32(pos + 12);
      } else {
        long source = u32(pos + 4);
        type = (int) (source >>> 24);
        index = source & 0xFF_FFFF;
        records = u32(pos + 8);
      }
      Map<String, Object> generic = new LinkedHashMap<>();
      records(pos + fixed, sampleEnd, records, false, generic);
      listener.counterSample(new CounterSample(expanded, sequence, type, index, generic, records));
    }

    private void discardSample(int pos, int sampleEnd) {
      if (!fits(pos, sampleEnd, 32, "discard sample")) return;
      listener.discardSample(new DiscardSample(u32(pos), (int) u32(pos + 4), u32(pos + 8), u32(pos + 12),
          u32(pos + 16), u32(pos + 20), u32(pos + 24), u32(pos + 28)));
    }

    /**
     * Walks a sample's records; flow records fill the builder (and {@code out}, the raw map, when
     * kept), counter records put the generic interface counters into {@code out}.
     */
    private void records(int pos, int sampleEnd, long count, boolean flow, Map<String, Object> out) {
      int skipped = 0;
      for (int i = 0; i < count; i++) {
        if (i == MAX_RECORDS) {
          listener.error(DecodeError.BAD_LENGTH, where() + ": num_records " + count + " (at most " + MAX_RECORDS
              + " are read)");
          break;
        }
        if (sampleEnd - pos < 8) {
          listener.error(DecodeError.BAD_LENGTH, where() + ": num_records " + count + " but the sample ends after " + i);
          break;
        }
        long format = u32(pos);
        long length = u32(pos + 4);
        if (length > sampleEnd - pos - 8) {
          listener.error(DecodeError.BAD_SET_LENGTH, where() + ", record " + i + ": length " + length
              + " runs past the sample end (" + (sampleEnd - pos - 8) + " bytes left)");
          break;
        }
        int at = pos + 8, recordEnd = at + (int) length;
        boolean read = format >>> 12 == 0
            && (flow ? flowRecord((int) format, at, recordEnd, out) : counterRecord((int) format, at, recordEnd, out));
        if (!read) skipped++;
        pos = recordEnd;
      }
      if (skipped > 0) listener.recordsSkipped(skipped);
    }

    /** @return false for a format not read here (skipped); true when read, or when found too short (an error) */
    private boolean flowRecord(int format, int pos, int recordEnd, Map<String, Object> raw) {
      switch (format) {
        case 1 -> sampledHeader(pos, recordEnd, raw);
        case 2 -> sampledEthernet(pos, recordEnd, raw);
        case 3 -> sampledIp(pos, recordEnd, 4);
        case 4 -> sampledIp(pos, recordEnd, 16);
        case 1001 -> extendedSwitch(pos, recordEnd, raw);
        case 1002 -> extendedRouter(pos, recordEnd, raw);
        case 1003 -> extendedGateway(pos, recordEnd, raw);
        default -> {
          return false;
        }
      }
      return true;
    }

    private void sampledHeader(int pos, int recordEnd, Map<String, Object> raw) {
      if (!fits(pos, recordEnd, 16, "sampled header record")) return;
      long protocol = u32(pos), frameLength = u32(pos + 4), stripped = u32(pos + 8), headerLength = u32(pos + 12);
      int available = recordEnd - pos - 16;
      if (headerLength > available) {
        listener.error(DecodeError.TRUNCATED_RECORD, where() + ": sampled header of " + headerLength
            + " bytes, the record holds " + available + " (read what it holds)");
      }
      int len = (int) Math.min(headerLength, available);
      if (protocol == 1) {
        PacketHeader.fillFromEthernet(a, pos + 16, len, decapsulate, b);
      } else if (protocol == 11 || protocol == 12) {
        PacketHeader.fillFromIp(a, pos + 16, len, decapsulate, b);
      }
      if (raw != null) {
        raw.putIfAbsent("headerProtocol", protocol);
        raw.putIfAbsent("frameLength", frameLength);
        raw.putIfAbsent("stripped", stripped);
        if (protocol == 1 && len >= 12) {
          raw.putIfAbsent("destinationMacAddress", mac(pos + 16));
          raw.putIfAbsent("sourceMacAddress", mac(pos + 22));
        }
      }
    }

    private void sampledEthernet(int pos, int recordEnd, Map<String, Object> raw) {
      // length, then each MAC as XDR opaque[6] padded to 8 bytes, then the EtherType
      if (!fits(pos, recordEnd, 24, "sampled Ethernet record") || raw == null) return;
      raw.putIfAbsent("sourceMacAddress", mac(pos + 4));
      raw.putIfAbsent("destinationMacAddress", mac(pos + 12));
      raw.putIfAbsent("ethernetType", u32(pos + 20));
    }

    /** Sampled IPv4 (format 3) or IPv6 (4): length, protocol, addresses, ports, TCP flags, TOS / priority. */
    private void sampledIp(int pos, int recordEnd, int addressLength) {
      int need = 8 + 2 * addressLength + 16;
      if (!fits(pos, recordEnd, need, addressLength == 4 ? "sampled IPv4 record" : "sampled IPv6 record")) return;
      int at = pos + 8 + 2 * addressLength;
      int protocol = (int) u32(pos + 4);
      if (b.hasSource() && b.protocol >= 0) return; // the sampled header described the packet already
      if (b.octets < 0) b.octets = u32(pos);
      if (b.protocol < 0) b.protocol = protocol;
      if (!b.hasSource()) {
        if (addressLength == 4) b.sourceV4(Numbers.i32(a, pos + 8));
        else b.sourceV6(Numbers.i64(a, pos + 8), Numbers.i64(a, pos + 16));
      }
      int dst = pos + 8 + addressLength;
      if (!b.hasDestination()) {
        if (addressLength == 4) b.destinationV4(Numbers.i32(a, dst));
        else b.destinationV6(Numbers.i64(a, dst), Numbers.i64(a, dst + 8));
      }
      if (protocol == 6 || protocol == 17 || protocol == 132) {
        if (b.sourcePort < 0) b.sourcePort = (int) u32(at) & 0xFFFF;
        if (b.destinationPort < 0) b.destinationPort = (int) u32(at + 4) & 0xFFFF;
      }
      if (protocol == 6 && b.tcpFlags < 0) b.tcpFlags = (int) u32(at + 8) & 0xFF;
      if (b.tos < 0) b.tos = (int) u32(at + 12) & 0xFF;
    }

    private void extendedSwitch(int pos, int recordEnd, Map<String, Object> raw) {
      if (!fits(pos, recordEnd, 16, "extended switch record") || raw == null) return;
      raw.putIfAbsent("vlanId", u32(pos));
      raw.putIfAbsent("dot1qPriority", u32(pos + 4));
      raw.putIfAbsent("postVlanId", u32(pos + 8));
      raw.putIfAbsent("postDot1qPriority", u32(pos + 12));
    }

    private void extendedRouter(int pos, int recordEnd, Map<String, Object> raw) {
      int next = nextHop(pos, recordEnd, "extended router record", raw, "ipNextHop");
      if (next < 0 || raw == null) return;
      if (!fits(next, recordEnd, 8, "extended router record")) return;
      raw.put("sourcePrefixLength", u32(next));
      raw.put("destinationPrefixLength", u32(next + 4));
    }

    private void extendedGateway(int pos, int recordEnd, Map<String, Object> raw) {
      int at = nextHop(pos, recordEnd, "extended gateway record", raw, "bgpNextHop");
      if (at < 0 || !fits(at, recordEnd, 16, "extended gateway record")) return;
      long as = u32(at), srcAs = u32(at + 4), srcPeerAs = u32(at + 8), segments = u32(at + 12);
      at += 16;
      List<Long> path = new ArrayList<>();
      for (long i = 0; i < segments; i++) {
        if (recordEnd - at < 8) {
          listener.error(DecodeError.TRUNCATED_RECORD, where() + ": extended gateway record ends inside AS path segment " + i);
          return;
        }
        long asns = u32(at + 4);
        if (asns > (recordEnd - at - 8) / 4) {
          listener.error(DecodeError.TRUNCATED_RECORD, where() + ": AS path segment of " + asns + " ASNs runs past the record");
          return;
        }
        for (int k = 0; k < asns && path.size() < AS_PATH_VALUES; k++) path.add(u32(at + 8 + 4 * k));
        at += 8 + 4 * (int) asns;
      }
      if (recordEnd - at < 4) {
        listener.error(DecodeError.TRUNCATED_RECORD, where() + ": extended gateway record ends before its communities");
        return;
      }
      long communities = u32(at);
      if (communities > (recordEnd - at - 4) / 4) {
        listener.error(DecodeError.TRUNCATED_RECORD, where() + ": " + communities + " communities run past the record");
        return;
      }
      if (raw == null) return;
      List<Long> values = new ArrayList<>();
      for (int k = 0; k < communities && k < AS_PATH_VALUES; k++) values.add(u32(at + 4 + 4 * k));
      raw.put("bgpLocalAsNumber", as);
      raw.put("bgpSourceAsNumber", srcAs);
      raw.put("bgpPrevAdjacentAsNumber", srcPeerAs);
      raw.put("bgpDestinationAsPath", path);
      if (!path.isEmpty()) raw.put("bgpDestinationAsNumber", path.get(path.size() - 1));
      raw.put("bgpCommunities", values);
    }

    /**
     * Reads the next-hop address at {@code pos} into {@code raw} as {@code prefix + IPv4Address} or
     * {@code IPv6Address}; returns the offset after it, or -1 when it does not fit (reported).
     */
    private int nextHop(int pos, int recordEnd, String what, Map<String, Object> raw, String prefix) {
      if (!fits(pos, recordEnd, 4, what)) return -1;
      long type = u32(pos);
      int length = addressLength(type);
      if (length < 0) {
        listener.error(DecodeError.UNKNOWN_ADDRESS_TYPE, where() + ": " + what + " next-hop address type " + type);
        return -1;
      }
      if (!fits(pos, recordEnd, 4 + length, what)) return -1;
      if (raw != null) raw.put(prefix + (length == 4 ? "IPv4Address" : "IPv6Address"), address(pos + 4, length).toString());
      return pos + 4 + length;
    }

    private boolean counterRecord(int format, int pos, int recordEnd, Map<String, Object> out) {
      if (format != 1) return false;
      // generic interface counters (sflow_version_5.txt "if_counters"), 88 bytes
      if (!fits(pos, recordEnd, 88, "generic interface counters")) return true;
      out.put("ifIndex", u32(pos));
      out.put("ifType", u32(pos + 4));
      out.put("ifSpeed", Numbers.i64(a, pos + 8));
      out.put("ifDirection", u32(pos + 16));
      out.put("ifStatus", u32(pos + 20));
      out.put("ifInOctets", Numbers.i64(a, pos + 24));
      out.put("ifInUcastPkts", u32(pos + 32));
      out.put("ifInMulticastPkts", u32(pos + 36));
      out.put("ifInBroadcastPkts", u32(pos + 40));
      out.put("ifInDiscards", u32(pos + 44));
      out.put("ifInErrors", u32(pos + 48));
      out.put("ifInUnknownProtos", u32(pos + 52));
      out.put("ifOutOctets", Numbers.i64(a, pos + 56));
      out.put("ifOutUcastPkts", u32(pos + 64));
      out.put("ifOutMulticastPkts", u32(pos + 68));
      out.put("ifOutBroadcastPkts", u32(pos + 72));
      out.put("ifOutDiscards", u32(pos + 76));
      out.put("ifOutErrors", u32(pos + 80));
      out.put("ifPromiscuousMode", u32(pos + 84));
      return true;
    }

    private Map<String, Object> sampleRaw(FlowSample s) {
      Map<String, Object> raw = new LinkedHashMap<>(32);
      raw.put("agentAddress", agent.toString());
      raw.put("subAgentId", subAgent);
      raw.put("sampleSequenceNumber", s.sequence());
      raw.put("sourceIdType", s.sourceIdType());
      raw.put("sourceIdIndex", s.sourceIdIndex());
      raw.put("samplingPacketInterval", s.samplingRate());
      raw.put("samplePool", s.samplePool());
      raw.put("drops", s.drops());
      raw.put("inputFormat", s.inputFormat());
      raw.put("inputValue", s.inputValue());
      raw.put("outputFormat", s.outputFormat());
      raw.put("outputValue", s.outputValue());
      return raw;
    }

    /** Whether {@code need} bytes fit before {@code limit}; reports a truncated record when not. */
    private boolean fits(int pos, int limit, int need, String what) {
      if (limit - pos >= need) return true;
      listener.error(DecodeError.TRUNCATED_RECORD, where() + ": " + what + " of " + (limit - pos) + " bytes (expected: "
          + need + "+)");
      return false;
    }

    private String where() {
      return "agent " + agent + " sub-agent " + subAgent + ", sample " + sampleIndex;
    }

    private long u32(int pos) {
      return Numbers.i32(a, pos) & 0xFFFF_FFFFL;
    }

    private IpAddr address(int pos, int length) {
      return length == 4 ? IpAddr.ofV4(Numbers.i32(a, pos)) : IpAddr.ofV6(Numbers.i64(a, pos), Numbers.i64(a, pos + 8));
    }

    private String mac(int pos) {
      return MAC.formatHex(a, pos, pos + 6);
    }
  }

  private static int addressLength(long type) {
    return type == 1 ? 4 : type == 2 ? 16 : -1;
  }

  /** An ifIndex for interface format 0 other than the agent itself; -1 for the rest. */
  private static long ifIndex(int format, long value) {
    return format == 0 && value != FlowSample.LOCAL_INTERFACE ? value : -1;
  }
}
