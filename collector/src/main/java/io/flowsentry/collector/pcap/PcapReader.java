package io.flowsentry.collector.pcap;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the UDP datagrams out of a classic pcap or a pcapng file, for offline decoding of
 * {@code tcpdump -w} captures. Link types: Ethernet (with 802.1Q/QinQ tags), raw IP, BSD
 * loopback, Linux cooked v1/v2. Frames that are not IPv4/IPv6 + UDP, IP fragments after the
 * first, and truncated frames are skipped and counted ({@link Result#skippedFrames()}). A file
 * that ends mid-packet (a capture copied while tcpdump was still writing it) yields the packets
 * before the cut and says where it was ({@link Result#cutShort()}).
 */
public final class PcapReader {
  private static final int PCAP_MAGIC_MICROS = 0xA1B2C3D4;
  private static final int PCAP_MAGIC_NANOS = 0xA1B23C4D;
  private static final int PCAPNG_SHB = 0x0A0D0D0A;
  private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  /** Bounds a block/record so a corrupt length cannot make us allocate gigabytes. */
  private static final int MAX_RECORD = 1 << 24;

  private static final int LINKTYPE_NULL = 0;
  private static final int LINKTYPE_ETHERNET = 1;
  private static final int LINKTYPE_RAW = 101;
  private static final int LINKTYPE_LOOP = 108;
  private static final int LINKTYPE_LINUX_SLL = 113;
  private static final int LINKTYPE_IPV4 = 228;
  private static final int LINKTYPE_IPV6 = 229;
  private static final int LINKTYPE_LINUX_SLL2 = 276;

  /**
   * What a read found: datagrams handed on and frames skipped (not UDP, truncated, fragments).
   *
   * @param cutShort where the file ended mid-packet, e.g. "packet 3 has 40 of 112 bytes"; empty when it ended between packets
   */
  public record Result(long datagrams, long skippedFrames, Optional<String> cutShort) {
    public Result(long datagrams, long skippedFrames) {
      this(datagrams, skippedFrames, Optional.empty());
    }
  }

  private PcapReader() {}

  public static List<CapturedDatagram> readAll(Path file) throws IOException {
    List<CapturedDatagram> out = new ArrayList<>();
    read(file, out::add);
    return out;
  }

  /** @throws IOException when the file cannot be read or is neither pcap nor pcapng */
  public static Result read(Path file, Consumer<CapturedDatagram> sink) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(in, file.toString(), sink);
    }
  }

  public static Result read(InputStream in, String name, Consumer<CapturedDatagram> sink) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4) throw new IOException(name + ": not a pcap file: " + magic.length + " bytes (expected: 24+)");
    int be = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt();
    int le = ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt();
    Counter counter = new Counter(sink);
    if (be == PCAPNG_SHB) {
      readPcapng(in, name, magic, counter);
    } else if (be == PCAP_MAGIC_MICROS || be == PCAP_MAGIC_NANOS) {
      readPcap(in, name, ByteOrder.BIG_ENDIAN, be == PCAP_MAGIC_NANOS, counter);
    } else if (le == PCAP_MAGIC_MICROS || le == PCAP_MAGIC_NANOS) {
      readPcap(in, name, ByteOrder.LITTLE_ENDIAN, le == PCAP_MAGIC_NANOS, counter);
    } else {
      throw new IOException(name + ": not a pcap or pcapng file (magic 0x" + Integer.toHexString(be) + ")");
    }
    return new Result(counter.datagrams, counter.skipped, Optional.ofNullable(counter.cutShort));
  }

  /*
   * Classic pcap: 24-byte global header (magic, version 2.4, thiszone, sigfigs, snaplen,
   * linktype), then per packet: ts_sec, ts_usec (or ts_nsec), incl_len, orig_len, data.
   */
  private static void readPcap(InputStream in, String name, ByteOrder order, boolean nanos, Counter counter) throws IOException {
    byte[] fileHeader = in.readNBytes(20);
    if (fileHeader.length < 20) throw new EOFException(name + ": pcap file header cut short: " + (4 + fileHeader.length) + " of 24 bytes");
    int linkType = ByteBuffer.wrap(fileHeader).order(order).getInt(16) & 0xFFFF; // upper bits carry FCS info
    for (long packet = 1; ; packet++) {
      byte[] recordHeader = in.readNBytes(16);
      if (recordHeader.length == 0) return;
      if (recordHeader.length < 16) {
        counter.cutShort = "packet " + packet + " has " + recordHeader.length + " of its 16 header bytes";
        return;
      }
      ByteBuffer rh = ByteBuffer.wrap(recordHeader).order(order);
      long seconds = rh.getInt() & 0xFFFF_FFFFL;
      long fraction = rh.getInt() & 0xFFFF_FFFFL;
      int inclLen = rh.getInt();
      if (inclLen < 0 || inclLen > MAX_RECORD) {
        throw new IOException(name + ": packet " + packet + ": pcap record length " + inclLen + " (expected: 0.." + MAX_RECORD + ")");
      }
      byte[] frame = in.readNBytes(inclLen);
      if (frame.length < inclLen) {
        counter.cutShort = "packet " + packet + " has " + (16 + frame.length) + " of " + (16 + inclLen) + " bytes";
        return;
      }
      long micros = seconds * 1_000_000 + (nanos ? fraction / 1000 : fraction);
      counter.frame(micros, linkType, frame);
    }
  }

  /*
   * pcapng: blocks of (type, total length, body, total length). We need the Section Header
   * (byte order), Interface Description (link type, timestamp resolution), Enhanced Packet
   * and Simple Packet blocks; everything else is skipped by its length.
   */
  private static void readPcapng(InputStream in, String name, byte[] firstType, Counter counter) throws IOException {
    ByteOrder order = ByteOrder.BIG_ENDIAN;
    List<Interface> interfaces = new ArrayList<>();
    byte[] typeBytes = firstType;
    for (long block = 1; ; block++) {
      if (typeBytes == null) {
        typeBytes = in.readNBytes(4);
        if (typeBytes.length == 0) return;
        if (typeBytes.length < 4) {
          counter.cutShort = "block " + block + " has " + typeBytes.length + " of its 8 header bytes";
          return;
        }
      }
      byte[] lenBytes = in.readNBytes(4);
      if (lenBytes.length < 4) {
        counter.cutShort = "block " + block + " has " + (4 + lenBytes.length) + " of its 8 header bytes";
        return;
      }
      int type = ByteBuffer.wrap(typeBytes).order(order).getInt();
      if (type == PCAPNG_SHB) {
        byte[] bom = in.readNBytes(4);
        if (bom.length < 4) {
          counter.cutShort = "block " + block + " (section header) has " + (8 + bom.length) + " of 12+ bytes";
          return;
        }
        order = ByteBuffer.wrap(bom).order(ByteOrder.BIG_ENDIAN).getInt() == PCAPNG_BYTE_ORDER_MAGIC
            ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int total = ByteBuffer.wrap(lenBytes).order(order).getInt();
        checkBlockLength(name, total, 28);
        if (readBlockRest(in, block, total, 12, counter) == null) return;
        interfaces.clear();
        typeBytes = null;
        continue;
      }
      int total = ByteBuffer.wrap(lenBytes).order(order).getInt();
      checkBlockLength(name, total, 12);
      byte[] rest = readBlockRest(in, block, total, 8, counter);
      if (rest == null) return;
      ByteBuffer body = ByteBuffer.wrap(rest).order(order);
      int bodyLen = total - 12;
      switch (type) {
        case 1 -> { // Interface Description Block
          if (bodyLen < 8) throw new IOException(name + ": pcapng interface description block of " + total + " bytes (expected: 20+)");
          int linkType = body.getShort(0) & 0xFFFF;
          interfaces.add(new Interface(linkType, interfaceTicksPerSecond(body, bodyLen)));
        }
        case 6 -> { // Enhanced Packet Block
          int ifId = bodyLen < 20 ? -1 : body.getInt(0); // shorter than its fixed fields: skipped
          if (ifId < 0 || ifId >= interfaces.size()) {
            counter.skipped++;
          } else {
            long ts = ((body.getInt(4) & 0xFFFF_FFFFL) << 32) | (body.getInt(8) & 0xFFFF_FFFFL);
            int captured = body.getInt(12);
            if (captured < 0 || captured > bodyLen - 20) { // not 20 + captured: that overflows
              counter.skipped++;
            } else {
              byte[] frame = new byte[captured];
              body.get(20, frame);
              Interface intf = interfaces.get(ifId);
              counter.frame(toMicros(ts, intf.ticksPerSecond()), intf.linkType(), frame);
            }
          }
        }
        case 3 -> { // Simple Packet Block: no timestamp, interface 0
          if (interfaces.isEmpty() || bodyLen < 4) {
            counter.skipped++;
          } else {
            int captured = Math.min(body.getInt(0), bodyLen - 4);
            byte[] frame = new byte[Math.max(captured, 0)];
            body.get(4, frame);
            counter.frame(0, interfaces.get(0).linkType(), frame);
          }
        }
        default -> { } // statistics, name resolution, custom blocks: not needed
      }
      typeBytes = null;
    }
  }

  private record Interface(int linkType, long ticksPerSecond) {}

  private static void checkBlockLength(String name, int total, int min) throws IOException {
    if (total < min || total > MAX_RECORD || total % 4 != 0) {
      throw new IOException(name + ": pcapng block length " + total + " (expected: multiple of 4, " + min + ".." + MAX_RECORD + ")");
    }
  }

  /** if_tsresol option (code 9): 10^-n or 2^-n seconds; default microseconds. */
  private static long interfaceTicksPerSecond(ByteBuffer body, int bodyLen) {
    int pos = 8;
    while (pos + 4 <= bodyLen) {
      int code = body.getShort(pos) & 0xFFFF;
      int len = body.getShort(pos + 2) & 0xFFFF;
      if (code == 0) break;
      if (code == 9 && len >= 1 && pos + 4 < bodyLen) {
        int v = body.get(pos + 4) & 0xFF;
        int exp = v & 0x7F;
        if ((v & 0x80) != 0) return exp >= 62 ? Long.MAX_VALUE : 1L << exp;
        long ticks = 1;
        for (int i = 0; i < exp && ticks < Long.MAX_VALUE / 10; i++) ticks *= 10;
        return ticks;
      }
      pos += 4 + ((len + 3) & ~3);
    }
    return 1_000_000;
  }

  private static long toMicros(long ticks, long ticksPerSecond) {
    if (ticksPerSecond == 1_000_000) return ticks;
    return (long) (ticks / (double) ticksPerSecond * 1_000_000d);
  }

  /** The block's bytes after the {@code read} already read; null (and where, noted) when the file ends first. */
  private static byte[] readBlockRest(InputStream in, long block, int total, int read, Counter counter) throws IOException {
    byte[] b = in.readNBytes(total - read);
    if (b.length < total - read) {
      counter.cutShort = "block " + block + " has " + (read + b.length) + " of " + total + " bytes";
      return null;
    }
    return b;
  }

  /** Peels link, IP and UDP headers off one frame. */
  private static final class Counter {
    final Consumer<CapturedDatagram> sink;
    long datagrams;
    long skipped;
    /** Where the file ended mid-packet; null while it has not. */
    String cutShort;

    Counter(Consumer<CapturedDatagram> sink) {
      this.sink = sink;
    }

    void frame(long micros, int linkType, byte[] frame) {
      CapturedDatagram d = FrameParser.udp(micros, linkType, frame);
      if (d == null) {
        skipped++;
      } else {
        datagrams++;
        sink.accept(d);
      }
    }
  }

  /** Link → IP → UDP; null when the frame is not a complete first-fragment UDP datagram. */
  static final class FrameParser {
    private FrameParser() {}

    static CapturedDatagram udp(long micros, int linkType, byte[] f) {
      ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.BIG_ENDIAN);
      int off;
      int etherType;
      switch (linkType) {
        case LINKTYPE_ETHERNET -> {
          if (f.length < 14) return null;
          off = 12;
          etherType = b.getShort(off) & 0xFFFF;
          off += 2;
          while ((etherType == 0x8100 || etherType == 0x88A8) && off + 4 <= f.length) {
            etherType = b.getShort(off + 2) & 0xFFFF;
            off += 4;
          }
        }
        case LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6 -> {
          if (f.length < 1) return null;
          off = 0;
          etherType = (f[0] & 0xF0) == 0x60 ? 0x86DD : 0x0800;
        }
        case LINKTYPE_NULL, LINKTYPE_LOOP -> {
          if (f.length < 5) return null;
          off = 4;
          etherType = (f[4] & 0xF0) == 0x60 ? 0x86DD : 0x0800;
        }
        case LINKTYPE_LINUX_SLL -> {
          if (f.length < 16) return null;
          etherType = b.getShort(14) & 0xFFFF;
          off = 16;
        }
        case LINKTYPE_LINUX_SLL2 -> {
          if (f.length < 20) return null;
          etherType = b.getShort(0) & 0xFFFF;
          off = 20;
        }
        default -> {
          return null;
        }
      }
      return switch (etherType) {
        case 0x0800 -> ipv4(micros, b, off);
        case 0x86DD -> ipv6(micros, b, off);
        default -> null;
      };
    }

    private static CapturedDatagram ipv4(long micros, ByteBuffer b, int off) {
      if (b.limit() < off + 20) return null;
      int ihl = (b.get(off) & 0x0F) * 4;
      int totalLength = b.getShort(off + 2) & 0xFFFF;
      int fragment = b.getShort(off + 6) & 0x3FFF; // MF flag + offset
      int proto = b.get(off + 9) & 0xFF;
      if (ihl < 20 || proto != 17 || fragment != 0) return null;
      int end = Math.min(b.limit(), off + Math.max(totalLength, ihl));
      return udpPayload(micros, b, off + 12, 4, off + ihl, end);
    }

    private static CapturedDatagram ipv6(long micros, ByteBuffer b, int off) {
      if (b.limit() < off + 40) return null;
      int payloadLength = b.getShort(off + 4) & 0xFFFF;
      int next = b.get(off + 6) & 0xFF;
      int pos = off + 40;
      int end = Math.min(b.limit(), pos + payloadLength);
      // hop-by-hop, routing, destination options: skip; a fragment header means not a whole datagram
      for (int hops = 0; hops < 8 && (next == 0 || next == 43 || next == 60); hops++) {
        if (pos + 8 > end) return null;
        int len = ((b.get(pos + 1) & 0xFF) + 1) * 8;
        next = b.get(pos) & 0xFF;
        pos += len;
      }
      if (next != 17) return null;
      return udpPayload(micros, b, off + 8, 16, pos, end);
    }

    private static CapturedDatagram udpPayload(long micros, ByteBuffer b, int addrOff, int addrLen, int udpOff, int ipEnd) {
      if (udpOff + 8 > ipEnd) return null;
      int srcPort = b.getShort(udpOff) & 0xFFFF;
      int dstPort = b.getShort(udpOff + 2) & 0xFFFF;
      int udpLength = b.getShort(udpOff + 4) & 0xFFFF;
      if (udpLength < 8 || udpOff + udpLength > ipEnd) return null; // truncated by snaplen
      byte[] src = new byte[addrLen];
      byte[] dst = new byte[addrLen];
      b.get(addrOff, src);
      b.get(addrOff + addrLen, dst);
      byte[] payload = new byte[udpLength - 8];
      b.get(udpOff + 8, payload);
      try {
        return new CapturedDatagram(micros,
            new InetSocketAddress(InetAddress.getByAddress(src), srcPort),
            new InetSocketAddress(InetAddress.getByAddress(dst), dstPort), payload);
      } catch (UnknownHostException e) {
        throw new AssertionError(e); // lengths are 4 or 16
      }
    }
  }
}
