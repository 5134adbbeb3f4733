package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.udp.ListenAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends synthetic NetFlow v5, v9, IPFIX or sFlow v5 to a loopback port at a given packet rate (or as fast
 * as the socket takes them) and prints exact totals, so a receiver can be checked record by
 * record. Used by {@code bench/ingest.sh} and the demo.
 *
 * <pre>
 * java ... io.flowsentry.collector.loadgen.LoadGenerator --version v9 --target 127.0.0.1:2055 \
 *     --rate 50000 --seconds 10 --packets 500000 --flows 10000 --seed 1
 * </pre>
 *
 * Last line on stdout: {@code loadgen version=v9 ... datagrams=N bytes=N records=N octets=N packets=N}.
 */
public final class LoadGenerator {
  private static final String USAGE = """
      usage: LoadGenerator [--version v5|v9|ipfix|sflow] [--target 127.0.0.1:2055] [--rate PPS (0 = max)]
                           [--packets N] [--seconds S] [--flows N] [--seed N]
                           [--src-net CIDR] [--dst-net CIDR] [--template-every N] [--exporters N]
                           [--warmup S]
      Sends export packets to a loopback address until --packets are sent or --seconds pass,
      then prints exact totals (datagrams, bytes, records, summed octets and packets).""";

  private LoadGenerator() {}

  public static void main(String[] args) {
    LoadSpec spec;
    try {
      spec = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("loadgen: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try {
      Result r = run(spec);
      System.out.println(r.describe(spec));
    } catch (IOException e) {
      System.err.println("loadgen: cannot send to " + spec.target() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  /** @throws IllegalArgumentException naming every bad option */
  static LoadSpec parse(String[] args) {
    LoadSpec d = LoadSpec.defaults();
    ExportVersion version = d.version();
    ListenAddress target = d.target();
    long rate = d.packetsPerSecond(), packets = d.maxPackets(), seed = d.seed();
    double seconds = d.maxSeconds(), warmup = d.warmupSeconds();
    int flows = d.flows(), templateEvery = d.templateEvery(), exporters = d.exporters();
    Cidr src = d.sourceNetwork(), dst = d.destinationNetwork();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("-h") || option.equals("--help")) throw new IllegalArgumentException("help");
      if (i + 1 >= args.length) throw new IllegalArgumentException(option + ": missing value");
      String value = args[++i];
      try {
        switch (option) {
          case "--version" -> version = ExportVersion.parse(value);
          case "--target" -> target = ListenAddress.parse(value);
          case "--rate" -> rate = Long.parseLong(value);
          case "--packets" -> packets = Long.parseLong(value);
          case "--seconds" -> seconds = Double.parseDouble(value);
          case "--flows" -> flows = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          case "--src-net" -> src = Cidr.parse(value);
          case "--dst-net" -> dst = Cidr.parse(value);
          case "--template-every" -> templateEvery = Integer.parseInt(value);
          case "--exporters" -> exporters = Integer.parseInt(value);
          case "--warmup" -> warmup = Double.parseDouble(value);
          default -> throw new IllegalArgumentException(option + ": unknown option");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": \"" + value + "\" (expected: a number)");
      }
    }
    LoadSpec spec = new LoadSpec(version, target, rate, packets, seconds, flows, seed, src, dst, templateEvery, exporters, warmup);
    List<String> problems = spec.validate();
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return spec;
  }

  /** What a run sent (only datagrams the socket accepted are counted), how long it took and what failed. */
  public record Result(ExportTotals totals, long elapsedNanos, long sendErrors) {
    public String describe(LoadSpec spec) {
      double s = elapsedNanos / 1e9;
      return String.format(Locale.ROOT, "loadgen version=%s target=%s flows=%d seed=%d elapsed=%.3fs rate=%.0fpps send_errors=%d %s",
          spec.version().cliName(), spec.target(), spec.flows(), spec.seed(), s, totals.datagrams() / Math.max(s, 1e-9), sendErrors, totals);
    }
  }

  /** Sends until a bound is reached, in batches of up to {@link PacketSender#MAX_BATCH} packets. */
  public static Result run(LoadSpec spec) throws IOException {
    List<String> problems = spec.validate();
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    if (spec.warmupSeconds() > 0) warmUp(spec);
    return runOwnSenders(spec);
  }

  /** Opens one sender per exporter, runs the load through them and closes them. */
  private static Result runOwnSenders(LoadSpec spec) throws IOException {
    List<PacketSender> senders = new ArrayList<>();
    try {
      for (int k = 0; k < spec.exporters(); k++) senders.add(PacketSender.open(spec.target(), spec.exporterSource(k)));
      return run(spec, senders);
    } finally {
      senders.forEach(PacketSender::close);
    }
  }

  /** Runs the same load into a socket of our own that is never read (the kernel discards what overflows it). */
  private static void warmUp(LoadSpec spec) throws IOException {
    try (DatagramChannel sink = DatagramChannel.open(StandardProtocolFamily.INET)) {
      sink.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
      sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
      runOwnSenders(spec.warmupTo(new ListenAddress(IpAddr.ofV4(0x7F00_0001), port)));
    }
  }

  static Result run(LoadSpec spec, PacketSender sender) throws IOException {
    return run(spec, List.of(sender));
  }

  /** One sender per exporter; each numbers its own packets (sequence numbers, template refreshes). */
  static Result run(LoadSpec spec, List<PacketSender> senders) throws IOException {
    SyntheticFlows flows = new SyntheticFlows(spec.flows(), spec.seed(), spec.sourceNetwork(), spec.destinationNetwork());
    int exporters = senders.size();
    long bootMillis = System.currentTimeMillis() - 3_600_000;
    ExportEncoder[] encoders = new ExportEncoder[exporters];
    ExportTotals[] sent = new ExportTotals[exporters]; // each sender counts on its own thread
    long[] packetNumber = new long[exporters];
    for (int k = 0; k < exporters; k++) {
      encoders[k] = ExportEncoder.of(spec.version(), flows, bootMillis, spec.templateEvery());
      sent[k] = new ExportTotals();
    }
    double nanosPerPacket = spec.packetsPerSecond() == 0 ? 0 : 1e9 / spec.packetsPerSecond();
    // Waking for every packet cost a thread hand-off each time (the generator's CPU at 100k
    // packets/s halved without it); a batch of up to 1 ms of the load goes out at once instead.
    long batchDue = nanosPerPacket == 0 ? 1 : Math.clamp((long) (1e6 / nanosPerPacket), 1, PacketSender.MAX_BATCH);
    long start = System.nanoTime();
    long deadline = start + (long) (spec.maxSeconds() * 1e9);
    long n = 0, batches = 0;
    while (n < spec.maxPackets()) {
      long t = System.nanoTime();
      if (t - deadline >= 0) break;
      long batch = Math.min(PacketSender.MAX_BATCH, spec.maxPackets() - n);
      if (nanosPerPacket > 0) {
        long due = (long) ((t - start) / nanosPerPacket) + 1; // packets that should be out by now
        long wanted = Math.min(batchDue, spec.maxPackets() - n);
        if (due - n < wanted) {
          // park without spinning; an oversleep is caught up by the next, larger batch
          LockSupport.parkNanos(start + (long) ((n + wanted - 1) * nanosPerPacket) - t);
          continue;
        }
        batch = Math.min(batch, due - n);
      }
      int k = (int) (batches++ % exporters);
      senders.get(k).send(encoders[k], packetNumber[k], (int) batch, sent[k]);
      packetNumber[k] += batch;
      n += batch;
    }
    long elapsed = System.nanoTime() - start;
    ExportTotals totals = new ExportTotals();
    long sendErrors = 0;
    for (int k = 0; k < exporters; k++) {
      totals.add(sent[k]);
      sendErrors += senders.get(k).sendErrors();
    }
    return new Result(totals, elapsed, sendErrors);
  }
}
