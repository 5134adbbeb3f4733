package io.flowsentry.collector.netflow.v5;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds NetFlow v5 datagrams for tests, fuzz seeds and benchmarks. */
public final class V5Datagrams {

  /** Header fields; {@code count} is written as given, so tests can make it lie. */
  public record Header(int count, long sysUptime, long unixSecs, long unixNsecs, long flowSequence,
      int engineType, int engineId, int sampling) {}

  /** One record, every wire field. */
  public record Rec(int src, int dst, int nextHop, int input, int output, long packets, long octets,
      long first, long last, int srcPort, int dstPort, int tcpFlags, int proto, int tos, int srcAs,
      int dstAs, int srcMask, int dstMask) {}

  private V5Datagrams() {}

  public static byte[] datagram(Header h, List<Rec> records) {
    ByteBuffer b = ByteBuffer.allocate(NetflowV5Decoder.HEADER_LENGTH + records.size() * NetflowV5Decoder.RECORD_LENGTH);
    b.putShort((short) 5).putShort((short) h.count()).putInt((int) h.sysUptime()).putInt((int) h.unixSecs())
        .putInt((int) h.unixNsecs()).putInt((int) h.flowSequence()).put((byte) h.engineType())
        .put((byte) h.engineId()).putShort((short) h.sampling());
    for (Rec r : records) {
      b.putInt(r.src()).putInt(r.dst()).putInt(r.nextHop()).putShort((short) r.input())
          .putShort((short) r.output()).putInt((int) r.packets()).putInt((int) r.octets())
          .putInt((int) r.first()).putInt((int) r.last()).putShort((short) r.srcPort())
          .putShort((short) r.dstPort()).put((byte) 0).put((byte) r.tcpFlags()).put((byte) r.proto())
          .put((byte) r.tos()).putShort((short) r.srcAs()).putShort((short) r.dstAs())
          .put((byte) r.srcMask()).put((byte) r.dstMask()).putShort((short) 0);
    }
    return b.array();
  }

  /**
   * {@code n} varied TCP/UDP records from 10.0.0.0/16 clients to 198.51.100.0/24 servers, as a
   * busy router would send them; flow_sequence {@code sequence}, unsampled.
   */
  public static byte[] synthetic(int n, long sequence) {
    List<Rec> recs = new ArrayList<>(n);
    long uptime = 3_600_000;
    for (int i = 0; i < n; i++) {
      boolean tcp = i % 3 != 0;
      recs.add(new Rec(0x0A00_0000 | (i * 7919 & 0xFFFF), 0xC633_6400 | (i & 0xFF), 0x0A00_0001,
          1 + i % 4, 5 + i % 3, 1 + i, 60L * (1 + i), uptime - 5000 - i, uptime - 100,
          32768 + i * 13, tcp ? 443 : 53, tcp ? 0x1B : 0, tcp ? 6 : 17, 0, 64512, 15169, 16, 24));
    }
    return datagram(new Header(n, uptime, 1_700_000_000L, 250_000_000L, sequence, 0, 0, 0), recs);
  }
}
