package io.flowsentry.collector.udp;

import io.flowsentry.collector.event.IpAddr;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Kernel receive-queue drops of our sockets, read from Linux's {@code /proc/net/udp} and
 * {@code /proc/net/udp6}: the datagrams lost before the collector could read them.
 *
 * <pre>
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 *  137: 0100007F:0807 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41234 2 0000000000000000 17
 * </pre>
 *
 * Addresses are printed as 32-bit words in host byte order ({@code %08X}), the port in
 * network order. SO_REUSEPORT sockets share address and port, so their drops are summed.
 */
public final class ProcNetUdp {
  private static final int LOCAL_ADDRESS = 1;
  private static final int QUEUES = 4;
  private static final int DROPS = 12;
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private final Path udp;
  private final Path udp6;

  public ProcNetUdp(Path udp, Path udp6) {
    this.udp = udp;
    this.udp6 = udp6;
  }

  public static ProcNetUdp system() {
    return new ProcNetUdp(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
  }

  /** Whether this host exposes the tables (Linux). */
  public boolean readable() {
    return Files.isReadable(udp);
  }

  /** Drops summed over every socket bound to exactly {@code local}; 0 when the table cannot be read. */
  public long drops(ListenAddress local) {
    try {
      return drops(Files.readAllLines(local.address().v6() ? udp6 : udp), local);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Bytes waiting to be read in the receive queues of every socket bound to exactly
   * {@code local} (the rx_queue column); -1 when the table cannot be read. 0 means the owner
   * has read every datagram that arrived.
   */
  public long receiveQueueBytes(ListenAddress local) {
    try {
      return receiveQueueBytes(Files.readAllLines(local.address().v6() ? udp6 : udp), local);
    } catch (IOException e) {
      return -1;
    }
  }

  static long receiveQueueBytes(List<String> lines, ListenAddress local) {
    return sockets(lines, local).mapToLong(f -> {
      String queues = f[QUEUES];
      int colon = queues.indexOf(':');
      return colon < 0 ? 0 : Long.parseLong(queues.substring(colon + 1), 16);
    }).sum();
  }

  /** Whether some socket is bound to exactly {@code local}; false when the table cannot be read. */
  public boolean bound(ListenAddress local) {
    try {
      return sockets(Files.readAllLines(local.address().v6() ? udp6 : udp), local).findAny().isPresent();
    } catch (IOException e) {
      return false;
    }
  }

  /** The columns of every line whose local address is {@code local}. */
  private static Stream<String[]> sockets(List<String> lines, ListenAddress local) {
    return lines.stream()
        .map(line -> line.strip().split("\\s+"))
        .filter(f -> f.length > DROPS && f[0].endsWith(":")) // not the header, nor a line we do not understand
        .filter(f -> local.equals(parseLocal(f[LOCAL_ADDRESS])));
  }

  static long drops(List<String> lines, ListenAddress local) {
    return sockets(lines, local).mapToLong(ProcNetUdp::dropsColumn).sum();
  }

  /** 0 for a kernel that changed the column layout: report nothing rather than a wrong number. */
  private static long dropsColumn(String[] columns) {
    try {
      return Long.parseLong(columns[DROPS]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** {@code 0100007F:0807} or 32 hex digits + port; null when malformed. */
  static ListenAddress parseLocal(String field) {
    int colon = field.indexOf(':');
    if (colon != 8 && colon != 32) return null;
    try {
      int port = Integer.parseInt(field.substring(colon + 1), 16);
      if (colon == 8) return new ListenAddress(IpAddr.ofV4(word(field, 0)), port);
      long hi = ((long) word(field, 0) << 32) | (word(field, 8) & 0xFFFF_FFFFL);
      long lo = ((long) word(field, 16) << 32) | (word(field, 24) & 0xFFFF_FFFFL);
      return new ListenAddress(IpAddr.ofV6(hi, lo), port);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Four address bytes in network order from one host-order {@code %08X} word. */
  private static int word(String field, int offset) {
    int v = Integer.parseUnsignedInt(field.substring(offset, offset + 8), 16);
    return LITTLE_ENDIAN ? Integer.reverseBytes(v) : v;
  }
}
