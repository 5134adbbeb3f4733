package io.flowsentry.collector.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap of synthetic Ethernet/IPv4 packets, for feeding real exporters
 * (softflowd -r) in integration tests. Nothing is sent anywhere: the packets only exist in the
 * file.
 */
public final class PcapWriter implements AutoCloseable {
  private final OutputStream out;

  public PcapWriter(Path file) throws IOException {
    out = Files.newOutputStream(file);
    ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    gh.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
    out.write(gh.array());
  }

  /** One IPv4 TCP or UDP packet with {@code payload} zero bytes; {@code tcpFlags} only for TCP. */
  public PcapWriter packet(long micros, String src, int srcPort, String dst, int dstPort, int proto,
      int tcpFlags, int payload) throws IOException {
    int l4 = proto == 6 ? 20 : 8;
    int ipLen = 20 + l4 + payload;
    ByteBuffer f = ByteBuffer.allocate(14 + ipLen);
    f.put(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
    int ipStart = f.position();
    f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 1).putShort((short) 0x4000)
        .put((byte) 64).put((byte) proto).putShort((short) 0).put(addr(src)).put(addr(dst));
    f.putShort(ipStart + 10, checksum(f.array(), ipStart, 20));
    f.putShort((short) srcPort).putShort((short) dstPort);
    if (proto == 6) {
      f.putInt(1000).putInt(tcpFlags == 0x02 ? 0 : 2000).put((byte) 0x50).put((byte) tcpFlags)
          .putShort((short) 65535).putShort((short) 0).putShort((short) 0);
    } else {
      f.putShort((short) (8 + payload)).putShort((short) 0);
    }
    ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    rh.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(f.capacity()).putInt(f.capacity());
    out.write(rh.array());
    out.write(f.array());
    return this;
  }

  private static byte[] addr(String dotted) {
    String[] p = dotted.split("\\.");
    return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
        (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])};
  }

  private static short checksum(byte[] b, int off, int len) {
    int sum = 0;
    for (int i = 0; i < len; i += 2) sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
    return (short) ~sum;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
