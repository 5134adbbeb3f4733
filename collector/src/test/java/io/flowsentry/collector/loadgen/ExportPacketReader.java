package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A deliberately small, independent reader of NetFlow v5/v9/IPFIX and sFlow v5 datagrams for checking the
 * generator and counting what a receiver got: record counts and the summed octet and packet
 * counters (IE/field 1 and 2; sFlow: each flow sample's sampled IPv4 length and one packet, times
 * its sampling rate), nothing else. Written from the RFCs, sharing no code with the
 * encoders or the collector's decoders. Thread-safe: templates in a concurrent map, sums in adders.
 */
final class ExportPacketReader {
  /** Byte offset and length of octets (field 1) and packets (field 2) in a template's records. */
  record Layout(int recordBytes, int octetsOffset, int octetsLength, int packetsOffset, int packetsLength) {}

  final LongAdder datagrams = new LongAdder();
  final LongAdder records = new LongAdder();
  final LongAdder octets = new LongAdder();
  final LongAdder packets = new LongAdder();
  final LongAdder templateRecords = new LongAdder();
  /** Data sets whose template was not known (their records cannot be counted). */
  final LongAdder unknownSets = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final Map<Long, Layout> templates = new ConcurrentHashMap<>();

  void read(ByteBuf d) {
    datagrams.increment();
    if (d.readableBytes() < 4) {
      malformed.increment();
      return;
    }
    switch (d.getUnsignedShort(d.readerIndex())) {
      case 0 -> readSflow(d);
      case 5 -> readV5(d);
      case 9 -> readSets(d, d.readerIndex() + 20, d.writerIndex(), d.getUnsignedInt(d.readerIndex() + 16), 0, 1);
      case 10 -> {
        int length = d.getUnsignedShort(d.readerIndex() + 2);
        if (length > d.readableBytes()) {
          malformed.increment();
          return;
        }
        readSets(d, d.readerIndex() + 16, d.readerIndex() + length, d.getUnsignedInt(d.readerIndex() + 12), 2, 3);
      }
      default -> malformed.increment();
    }
  }

  /** sFlow v5 with an IPv4 agent: flow samples (format 1) whose first record is an Ethernet sampled header. */
  private void readSflow(ByteBuf d) {
    int at = d.readerIndex() + 28;
    long samples = d.getUnsignedInt(d.readerIndex() + 24);
    for (long i = 0; i < samples; i++) {
      if (at + 8 > d.writerIndex()) {
        malformed.increment();
        return;
      }
      int length = d.getInt(at + 4);
      if (d.getInt(at) == 1) {
        long rate = d.getUnsignedInt(at + 8 + 8);
        int header = at + 8 + 32 + 8 + 16; // sample header, record header, sampled-header fields
        packets.add(rate);
        octets.add(rate * d.getUnsignedShort(header + 14 + 2)); // IPv4 total length after the Ethernet header
        records.increment();
      }
      at += 8 + length;
    }
  }

  private void readV5(ByteBuf d) {
    int base = d.readerIndex();
    int count = d.getUnsignedShort(base + 2);
    if (d.readableBytes() != 24 + 48 * count) {
      malformed.increment();
      return;
    }
    for (int r = 0; r < count; r++) {
      int at = base + 24 + 48 * r;
      packets.add(d.getUnsignedInt(at + 16));
      octets.add(d.getUnsignedInt(at + 20));
    }
    records.add(count);
  }

  private void readSets(ByteBuf d, int at, int end, long domain, int templateSetId, int optionsSetId) {
    while (at + 4 <= end) {
      int setId = d.getUnsignedShort(at);
      int length = d.getUnsignedShort(at + 2);
      if (length < 4 || at + length > end) {
        malformed.increment();
        return;
      }
      if (setId == templateSetId) {
        readTemplates(d, at + 4, at + length, domain);
      } else if (setId >= 256) {
        Layout layout = templates.get((domain << 16) | setId);
        if (layout == null) {
          unknownSets.increment();
        } else {
          int n = (length - 4) / layout.recordBytes(); // the remainder is padding
          for (int r = 0; r < n; r++) {
            int rec = at + 4 + r * layout.recordBytes();
            if (layout.octetsOffset() >= 0) octets.add(unsigned(d, rec + layout.octetsOffset(), layout.octetsLength()));
            if (layout.packetsOffset() >= 0) packets.add(unsigned(d, rec + layout.packetsOffset(), layout.packetsLength()));
          }
          records.add(n);
        }
      } else if (setId != optionsSetId) {
        malformed.increment();
      }
      at += length;
    }
  }

  private void readTemplates(ByteBuf d, int at, int end, long domain) {
    while (at + 4 <= end) {
      int id = d.getUnsignedShort(at);
      int fields = d.getUnsignedShort(at + 2);
      at += 4;
      if (fields == 0 || at + 4 * fields > end) return;
      int offset = 0, oOff = -1, oLen = 0, pOff = -1, pLen = 0;
      for (int f = 0; f < fields; f++, at += 4) {
        int type = d.getUnsignedShort(at);
        int len = d.getUnsignedShort(at + 2);
        if (type == 1) { oOff = offset; oLen = len; }
        if (type == 2) { pOff = offset; pLen = len; }
        offset += len;
      }
      templates.put((domain << 16) | id, new Layout(offset, oOff, oLen, pOff, pLen));
      templateRecords.increment();
    }
  }

  private static long unsigned(ByteBuf d, int at, int length) {
    long v = 0;
    for (int i = 0; i < length; i++) v = (v << 8) | d.getUnsignedByte(at + i);
    return v;
  }

  String totals() {
    return "datagrams=" + datagrams.sum() + " records=" + records.sum() + " octets=" + octets.sum() + " packets=" + packets.sum()
        + " unknown_sets=" + unknownSets.sum() + " malformed=" + malformed.sum();
  }
}
