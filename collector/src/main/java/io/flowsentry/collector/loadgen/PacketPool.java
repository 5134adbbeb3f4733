package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes the generator's first {@code --packets} datagrams, with what each carries, to a file
 * that the C sender of the benchmarks ({@code bench/c/blast.c}) replays at rates the JVM
 * generator cannot reach on two shared cores. The sender rewrites each datagram's sequence
 * number, so a pool replayed many times still reads as one exporter's stream; the records
 * repeat with the pool's period, which matters to no receiver that only counts.
 *
 * <pre>
 * PacketPool --out FILE --version v9 --packets 6000 --flows 10000 --seed 1   (any LoadGenerator option)
 * </pre>
 * File, big-endian: u32 pool tag ({@link ExportVersion#poolTag()}: 5, 9, 10, or 0x73466C35 for
 * sFlow v5), u32 count; per datagram u32 length, u32 records, u64 octets, u64 packets, then its
 * bytes.
 */
public final class PacketPool {
  /** What the C sender accepts. */
  public static final int MAX_DATAGRAMS = 1_000_000;

  private PacketPool() {}

  public static void main(String[] args) throws IOException {
    int out = Arrays.asList(args).indexOf("--out");
    if (out < 0 || out + 1 >= args.length) {
      System.err.println("usage: PacketPool --out FILE [LoadGenerator options: --version, --packets (the pool size), --flows, --seed, ...]");
      System.exit(2);
    }
    String[] rest = new String[args.length - 2];
    System.arraycopy(args, 0, rest, 0, out);
    System.arraycopy(args, out + 2, rest, out, args.length - out - 2);
    LoadSpec spec;
    try {
      spec = LoadGenerator.parse(rest);
    } catch (IllegalArgumentException e) {
      System.err.println("PacketPool: " + e.getMessage());
      System.exit(2);
      return;
    }
    try (OutputStream file = Files.newOutputStream(Path.of(args[out + 1]))) {
      System.out.println("pool " + args[out + 1] + " " + write(spec, file));
    }
  }

  /** Writes datagrams 0 .. {@code spec.maxPackets()} - 1 of exporter 0 and returns their totals. */
  static ExportTotals write(LoadSpec spec, OutputStream to) throws IOException {
    if (spec.maxPackets() < 1 || spec.maxPackets() > MAX_DATAGRAMS) {
      throw new IllegalArgumentException("--packets " + spec.maxPackets() + " (expected: 1.." + MAX_DATAGRAMS + " for a pool)");
    }
    SyntheticFlows flows = new SyntheticFlows(spec.flows(), spec.seed(), spec.sourceNetwork(), spec.destinationNetwork());
    long now = System.currentTimeMillis();
    ExportEncoder encoder = ExportEncoder.of(spec.version(), flows, now - 3_600_000, spec.templateEvery());
    ExportTotals all = new ExportTotals();
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(to, 1 << 16));
    out.writeInt(spec.version().poolTag());
    out.writeInt((int) spec.maxPackets());
    ByteBuf buf = Unpooled.buffer(2048);
    for (long n = 0; n < spec.maxPackets(); n++) {
      buf.clear();
      ExportTotals one = new ExportTotals();
      encoder.encode(buf, n, now, one);
      out.writeInt(buf.readableBytes());
      out.writeInt((int) one.records());
      out.writeLong(one.octets());
      out.writeLong(one.packets());
      buf.readBytes(out, buf.readableBytes());
      all.add(one);
    }
    out.flush();
    return all;
  }
}
