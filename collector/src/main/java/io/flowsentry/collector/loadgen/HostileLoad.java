package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.udp.ListenAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends {@link HostileDatagrams} from many forged loopback sources, in turn, at a bounded rate
 * until a count or a time bound is reached: the flood side of {@code bench/hostile.sh}. Source
 * {@code k} (0-based) is 127.10.0.1 + k: Linux lets a socket bind any address of 127.0.0.0/8,
 * so no forging beyond the loopback is needed (and the target must be a loopback address too).
 *
 * <pre>usage: HostileLoad --kind KIND --target 127.0.0.1:2055 [--sources 1000] [--rate 4000]
 *                   [--seconds 60] [--packets N] [--rounds N]</pre>
 * {@code --rounds 1} sends one datagram from each source (a lockout attempt).
 */
public final class HostileLoad {

  /** 127.10.0.1 onwards: clear of 127.0.0.1, where the legitimate exporter of the runs sends from. */
  static final int FIRST_SOURCE = 0x7F0A_0001;
  static final int MAX_SOURCES = 65_000;

  record Spec(HostileDatagrams kind, ListenAddress target, int sources, long rate, double seconds, long packets) {
    List<String> validate() {
      List<String> problems = new ArrayList<>();
      if (!target.address().toInetAddress().isLoopbackAddress()) problems.add("--target: " + target + " (expected: a loopback address)");
      if (sources < 1 || sources > MAX_SOURCES) problems.add("--sources: " + sources + " (expected: 1-" + MAX_SOURCES + ")");
      if (rate < 1) problems.add("--rate: " + rate + " (expected: datagrams per second, 1+)");
      if (!(seconds > 0 && seconds <= LoadSpec.MAX_SECONDS)) problems.add("--seconds: " + seconds + " (expected: more than 0, at most 3600)");
      if (packets < 1) problems.add("--packets: " + packets + " (expected: 1+)");
      return problems;
    }
  }

  public static void main(String[] args) throws IOException {
    Spec spec;
    try {
      spec = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("hostile: " + e.getMessage());
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    long[] sent = run(spec);
    System.out.printf(Locale.ROOT, "hostile kind=%s sources=%d sent=%d send_errors=%d elapsed=%.1fs%n", spec.kind().cliName(),
        spec.sources(), sent[0], sent[1], (System.nanoTime() - start) / 1e9);
  }

  static Spec parse(String[] args) {
    HostileDatagrams kind = null;
    ListenAddress target = ListenAddress.parse("127.0.0.1:2055");
    int sources = 1000;
    long rate = 4000, packets = Long.MAX_VALUE, rounds = 0;
    double seconds = 60;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + ": missing value");
      String value = args[i + 1];
      try {
        switch (args[i]) {
          case "--kind" -> kind = HostileDatagrams.parse(value);
          case "--target" -> target = ListenAddress.parse(value);
          case "--sources" -> sources = Integer.parseInt(value);
          case "--rate" -> rate = Long.parseLong(value);
          case "--seconds" -> seconds = Double.parseDouble(value);
          case "--packets" -> packets = Long.parseLong(value);
          case "--rounds" -> rounds = Long.parseLong(value);
          default -> throw new IllegalArgumentException(args[i] + ": unknown option");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(args[i] + ": \"" + value + "\" (expected: a number)");
      }
    }
    if (kind == null) throw new IllegalArgumentException("--kind is required");
    if (rounds > 0) packets = Math.min(packets, rounds * sources);
    Spec spec = new Spec(kind, target, sources, rate, seconds, packets);
    List<String> problems = spec.validate();
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return spec;
  }

  /** Sends until a bound; returns {datagrams sent, send errors}. */
  static long[] run(Spec spec) throws IOException {
    List<DatagramChannel> channels = new ArrayList<>(spec.sources());
    try {
      for (int k = 0; k < spec.sources(); k++) {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress(IpAddr.ofV4(FIRST_SOURCE + k).toInetAddress(), 0));
        channels.add(c);
      }
      InetSocketAddress target = spec.target().toSocketAddress();
      ByteBuf buf = Unpooled.buffer(2048);
      long startNanos = System.nanoTime();
      long endNanos = startNanos + (long) (spec.seconds() * 1e9);
      double nanosPerPacket = 1e9 / spec.rate();
      long sent = 0, errors = 0;
      for (long n = 0; n < spec.packets(); n++) {
        long due = startNanos + (long) (n * nanosPerPacket);
        long now = System.nanoTime();
        if (now >= endNanos) break;
        if (due > now) LockSupport.parkNanos(due - now);
        buf.clear();
        // round r of source k: datagram 2r (v9) or 2r + 1 (IPFIX), alternating, so every source
        // floods both protocols and a new template id every round
        long round = n / spec.sources(), k = n % spec.sources();
        spec.kind().write(buf, 2 * round + ((round + k) & 1), System.currentTimeMillis());
        try {
          channels.get((int) (n % spec.sources())).send(buf.nioBuffer(), target);
          sent++;
        } catch (IOException e) {
          errors++;
        }
      }
      return new long[] {sent, errors};
    } finally {
      for (DatagramChannel c : channels) c.close();
    }
  }

  private HostileLoad() {}
}
