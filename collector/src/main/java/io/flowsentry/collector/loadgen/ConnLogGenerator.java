package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.event.Cidr;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Appends synthetic Zeek conn.log TSV lines to a file at a given line rate, the way a busy Zeek
 * worker does: current timestamps (a line's {@code ts + duration} is the moment it is written,
 * since Zeek logs a connection when it ends), written in small batches so the file grows
 * smoothly. Writes a file only; nothing is sent anywhere. Used by {@code bench/zeek-lag.sh}.
 *
 * <pre>
 * java ... io.flowsentry.collector.loadgen.ConnLogGenerator --file /tmp/zeek/conn.log \
 *     --rate 200000 --lines 6000000 --seconds 30 --progress /tmp/zeek/written
 * </pre>
 *
 * Last line on stdout: {@code connlog file=... elapsed=...s rate=...lps lines=N bytes=N}.
 * With {@code --progress FILE}, a line {@code EPOCH_MICROS LINES BYTES} is appended to that file
 * every {@value #PROGRESS_EVERY_MILLIS} ms and at the end: when how much had been written, so a
 * reader's position can later be turned into the age of its oldest unread line.
 */
public final class ConnLogGenerator {
  private static final String USAGE = """
      usage: ConnLogGenerator --file PATH [--rate LINES_PER_S (0 = max)] [--lines N] [--seconds S]
                              [--batch-ms MS] [--orig-net CIDR] [--resp-net CIDR] [--seed N] [--progress FILE]
      Appends Zeek conn.log TSV lines (a header first when the file is new or empty) until --lines
      are written or --seconds pass, then prints exact totals. Networks must be IPv4 private or
      documentation ranges.""";
  static final long PROGRESS_EVERY_MILLIS = 50;
  /** A batch never holds more than this many lines, whatever the rate: memory stays bounded when behind. */
  static final int MAX_BATCH_LINES = 20_000;
  /** Where generated addresses may come from: RFC 1918 and the RFC 5737 documentation blocks. */
  static final List<Cidr> ALLOWED_NETWORKS = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
      Cidr.parse("192.168.0.0/16"), Cidr.parse("192.0.2.0/24"), Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"));

  /** What to write and when to stop. */
  public record Spec(Path file, long linesPerSecond, long maxLines, double maxSeconds, int batchMillis,
                     Cidr origNetwork, Cidr respNetwork, long seed, Path progress) {

    public static Spec defaults(Path file) {
      return new Spec(file, 200_000, 6_000_000, 30, 10, Cidr.parse("10.1.0.0/16"), Cidr.parse("203.0.113.0/24"), 1, null);
    }

    public List<String> validate() {
      List<String> problems = new ArrayList<>();
      if (file == null) problems.add("--file: missing (expected: the conn.log to append to)");
      if (linesPerSecond < 0) problems.add("--rate: " + linesPerSecond + " (expected: lines per second >= 0)");
      if (maxLines < 1) problems.add("--lines: " + maxLines + " (expected: >= 1)");
      if (!(maxSeconds > 0) || maxSeconds > 86_400) problems.add("--seconds: " + maxSeconds + " (expected: 0 < s <= 86400)");
      if (batchMillis < 1 || batchMillis > 1000) problems.add("--batch-ms: " + batchMillis + " (expected: 1-1000)");
      checkNetwork("--orig-net", origNetwork, problems);
      checkNetwork("--resp-net", respNetwork, problems);
      return problems;
    }

    private static void checkNetwork(String option, Cidr net, List<String> problems) {
      boolean allowed = net != null && !net.network().v6()
          && ALLOWED_NETWORKS.stream().anyMatch(a -> a.prefixLength() <= net.prefixLength() && a.contains(net.network()));
      if (!allowed) problems.add(option + ": " + net + " (expected: an IPv4 network inside " + ALLOWED_NETWORKS + ")");
    }
  }

  /** What a run wrote and how long it took. */
  public record Result(long lines, long bytes, long elapsedNanos) {
    public String describe(Spec spec) {
      double s = elapsedNanos / 1e9;
      return String.format(Locale.ROOT, "connlog file=%s elapsed=%.3fs rate=%.0flps lines=%d bytes=%d",
          spec.file(), s, lines / Math.max(s, 1e-9), lines, bytes);
    }
  }

  private ConnLogGenerator() {}

  public static void main(String[] args) {
    Spec spec;
    try {
      spec = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("connlog: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try {
      System.out.println(run(spec, Clock.systemUTC()).describe(spec));
    } catch (IOException e) {
      System.err.println("connlog: cannot write " + spec.file() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private static final Set<String> OPTIONS = Set.of("--file", "--progress", "--rate", "--lines", "--seconds",
      "--batch-ms", "--orig-net", "--resp-net", "--seed");

  /** @throws IllegalArgumentException naming every bad option */
  static Spec parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!OPTIONS.contains(args[i])) throw new IllegalArgumentException(args[i] + ": unknown option");
      if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + ": missing value");
      given.put(args[i], args[i + 1]);
    }
    Spec d = Spec.defaults(null);
    Function<String, Path> path = key -> given.containsKey(key) ? Path.of(given.get(key)) : null;
    Spec spec = new Spec(path.apply("--file"),
        option(given, "--rate", Long::parseLong, d.linesPerSecond()),
        option(given, "--lines", Long::parseLong, d.maxLines()),
        option(given, "--seconds", Double::parseDouble, d.maxSeconds()),
        option(given, "--batch-ms", Integer::parseInt, d.batchMillis()),
        option(given, "--orig-net", Cidr::parse, d.origNetwork()),
        option(given, "--resp-net", Cidr::parse, d.respNetwork()),
        option(given, "--seed", Long::parseLong, d.seed()),
        path.apply("--progress"));
    List<String> problems = spec.validate();
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return spec;
  }

  private static <T> T option(Map<String, String> given, String key, Function<String, T> parse, T fallback) {
    String value = given.get(key);
    if (value == null) return fallback;
    try {
      return parse.apply(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": \"" + value + "\" (expected: a number)");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  /**
   * Appends lines until a bound is reached. Each batch is due every {@code batchMillis}; when the
   * disk or CPU falls behind, the lines already due are written at once (capped per batch).
   */
  public static Result run(Spec spec, Clock clock) throws IOException {
    List<String> problems = spec.validate();
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    ConnLines lines = new ConnLines(spec.origNetwork(), spec.respNetwork(), spec.seed());
    StringBuilder text = new StringBuilder(MAX_BATCH_LINES * 300);
    ByteBuffer out = ByteBuffer.allocate(MAX_BATCH_LINES * 300 * 2);
    long written = 0, bytes = 0;
    try (FileChannel ch = FileChannel.open(spec.file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
         Progress progress = spec.progress() == null ? null : new Progress(spec.progress(), clock)) {
      if (ch.size() == 0) bytes += write(ch, out, text.append(ConnLines.header(clock.instant().toEpochMilli())));
      long start = System.nanoTime();
      long deadline = start + (long) (spec.maxSeconds() * 1e9);
      long batchNanos = TimeUnit.MILLISECONDS.toNanos(spec.batchMillis());
      long nextProgress = start;
      while (written < spec.maxLines()) {
        long now = System.nanoTime();
        long due = start + ((now - start) / batchNanos + 1) * batchNanos; // the next batch boundary
        if (due - deadline > 0) due = deadline;
        // park without spinning; an oversleep is caught up by the lines already due after it
        if (spec.linesPerSecond() > 0 && due - now > 0) LockSupport.parkNanos(due - now);
        now = System.nanoTime();
        long target = spec.linesPerSecond() == 0 ? Long.MAX_VALUE : (long) ((now - start) / 1e9 * spec.linesPerSecond());
        long n = Math.min(Math.min(target, spec.maxLines()) - written, MAX_BATCH_LINES);
        if (n > 0) {
          text.setLength(0);
          long nowMicros = clock.millis() * 1000;
          for (long i = 0; i < n; i++) lines.append(text, written + i, nowMicros);
          bytes += write(ch, out, text);
          written += n;
        }
        if (progress != null && now - nextProgress >= 0) {
          progress.record(written, bytes);
          nextProgress = now + TimeUnit.MILLISECONDS.toNanos(PROGRESS_EVERY_MILLIS);
        }
        if (now - deadline >= 0) break;
      }
      if (progress != null) progress.record(written, bytes);
      return new Result(written, bytes, System.nanoTime() - start);
    }
  }

  /** Writes ASCII text in one append; returns its length. */
  private static int write(FileChannel ch, ByteBuffer out, CharSequence text) throws IOException {
    out.clear();
    for (int i = 0; i < text.length(); i++) out.put((byte) text.charAt(i));
    out.flip();
    int length = out.remaining();
    while (out.hasRemaining()) ch.write(out);
    return length;
  }

  /** The append-only write history; each record is flushed so a crash loses at most one. */
  private static final class Progress implements AutoCloseable {
    private final BufferedWriter out;
    private final Clock clock;

    Progress(Path file, Clock clock) throws IOException {
      this.out = Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      this.clock = clock;
    }

    void record(long lines, long bytes) throws IOException {
      Instant now = clock.instant();
      out.write((now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000) + " " + lines + " " + bytes + "\n");
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** One application's share of the traffic: port, transport, Zeek service name, and typical sizes. */
  enum App {
    HTTPS(443, "tcp", "ssl", 45, 2_000, 400_000),
    DNS(53, "udp", "dns", 25, 60, 200),
    HTTP(80, "tcp", "http", 10, 800, 150_000),
    NTP(123, "udp", "ntp", 5, 48, 48),
    SSH(22, "tcp", "ssh", 5, 30_000, 90_000),
    SMTP(25, "tcp", "smtp", 3, 20_000, 500),
    PING(8, "icmp", "-", 4, 64, 64),
    UNKNOWN(8443, "tcp", "-", 3, 300, 300);

    final int port;
    final String proto;
    final String service;
    final int percent;
    final int origBytes;
    final int respBytes;

    App(int port, String proto, String service, int percent, int origBytes, int respBytes) {
      this.port = port;
      this.proto = proto;
      this.service = service;
      this.percent = percent;
      this.origBytes = origBytes;
      this.respBytes = respBytes;
    }

    private static final App[] BY_PERCENT = byPercent();

    private static App[] byPercent() {
      List<App> all = new ArrayList<>();
      for (App a : values()) for (int i = 0; i < a.percent; i++) all.add(a);
      if (all.size() != 100) throw new IllegalStateException("shares must add up to 100, got " + all.size());
      return all.toArray(App[]::new);
    }

    static App pick(SplittableRandom r) {
      return BY_PERCENT[r.nextInt(100)];
    }
  }

  /** One synthetic connection, with every value a conn.log line shows. */
  record Conn(long tsMicros, String uid, IpAddr origH, int origP, IpAddr respH, int respP, App app,
              long durationMicros, long origBytes, long respBytes, String connState, String history,
              long origPkts, long origIpBytes, long respPkts, long respIpBytes, long origMac, long respMac, int vlan) {}

  /**
   * Pure formatting: connection {@code i} of a seed is always the same apart from its time, and
   * its line is what Zeek (with the MAC-logging and Community ID policy scripts) would write.
   */
  static final class ConnLines {
    static final String FIELDS = String.join("\t", "ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
        "proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
        "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents",
        "ip_proto", "orig_l2_addr", "resp_l2_addr", "vlan", "inner_vlan", "community_id");
    static final String TYPES = String.join("\t", "time", "string", "addr", "port", "addr", "port",
        "enum", "string", "interval", "count", "count", "string", "bool", "bool",
        "count", "string", "count", "count", "count", "count", "set[string]",
        "count", "string", "string", "int", "int", "string");
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Cidr origNet;
    private final Cidr respNet;
    private final long seed;

    ConnLines(Cidr origNet, Cidr respNet, long seed) {
      this.origNet = origNet;
      this.respNet = respNet;
      this.seed = seed;
    }

    static String header(long openMillis) {
      String open = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
          .withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(openMillis));
      return "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
          + "#open\t" + open + "\n#fields\t" + FIELDS + "\n#types\t" + TYPES + "\n";
    }

    /** Connection {@code i}, ending (being logged) at {@code endMicros}. */
    Conn connection(long i, long endMicros) {
      SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
      App app = App.pick(r);
      boolean tcp = app.proto.equals("tcp");
      boolean rejected = tcp && r.nextInt(100) < 4;
      long duration = rejected ? r.nextLong(50, 2_000) : app == App.SSH ? r.nextLong(1_000_000, 600_000_000) : r.nextLong(200, 3_000_000);
      long origBytes = rejected ? 0 : app.origBytes / 2 + r.nextInt(app.origBytes);
      long respBytes = rejected ? 0 : app.respBytes / 2 + r.nextInt(app.respBytes);
      long origPkts = rejected ? 1 : Math.max(1, origBytes / 1200 + (tcp ? 3 : 0));
      long respPkts = rejected ? 1 : Math.max(1, respBytes / 1400 + (tcp ? 2 : 0));
      int headers = tcp ? 52 : 28; // IP + TCP (with timestamps) or IP + UDP/ICMP header bytes
      int origP = app == App.PING ? 8 : 32_768 + r.nextInt(28_232);
      int respP = app == App.PING ? 0 : app.port;
      String history = rejected ? "Sr" : tcp ? "ShADadFf" : "Dd";
      return new Conn(endMicros - duration, uid(r), host(origNet, r), origP, host(respNet, r), respP, app, duration,
          origBytes, respBytes, rejected ? "REJ" : "SF", history, origPkts, origBytes + origPkts * headers,
          respPkts, respBytes + respPkts * headers, 0x0050_5600_0000L | r.nextInt(1 << 24), 0x00_1b_21_00_0000L | r.nextInt(1 << 24),
          100 + r.nextInt(20));
    }

    /** Appends connection {@code i}'s line, newline included. */
    void append(StringBuilder sb, long i, long endMicros) {
      Conn c = connection(i, endMicros);
      int ipProto = switch (c.app().proto) {
        case "tcp" -> 6;
        case "udp" -> 17;
        default -> 1;
      };
      micros(sb, c.tsMicros()).append('\t').append(c.uid()).append('\t')
          .append(c.origH()).append('\t').append(c.origP()).append('\t')
          .append(c.respH()).append('\t').append(c.respP()).append('\t')
          .append(c.app().proto).append('\t').append(c.app().service).append('\t');
      micros(sb, c.durationMicros()).append('\t').append(c.origBytes()).append('\t').append(c.respBytes()).append('\t')
          .append(c.connState()).append("\tT\tF\t0\t").append(c.history()).append('\t')
          .append(c.origPkts()).append('\t').append(c.origIpBytes()).append('\t')
          .append(c.respPkts()).append('\t').append(c.respIpBytes()).append("\t-\t").append(ipProto).append('\t');
      mac(sb, c.origMac()).append('\t');
      mac(sb, c.respMac()).append('\t').append(c.vlan()).append("\t-\t")
          .append(CommunityId.DEFAULT_SEED.of(c.origH(), c.origP(), c.respH(), c.respP(), ipProto)).append('\n');
    }

    /** Zeek's {@code time}/{@code interval} text: seconds with six decimals. */
    private static StringBuilder micros(StringBuilder sb, long micros) {
      sb.append(micros / 1_000_000).append('.');
      long frac = micros % 1_000_000;
      for (long p = 100_000; p > 1 && frac < p; p /= 10) sb.append('0');
      return sb.append(frac);
    }

    private static StringBuilder mac(StringBuilder sb, long mac) {
      for (int shift = 40; shift >= 0; shift -= 8) {
        int b = (int) (mac >>> shift) & 0xFF;
        sb.append(HEX[b >>> 4]).append(HEX[b & 15]);
        if (shift > 0) sb.append(':');
      }
      return sb;
    }

    /** A Zeek-style uid: "C" and 17 base-62 characters. */
    private static String uid(SplittableRandom r) {
      char[] c = new char[18];
      c[0] = 'C';
      for (int k = 1; k < c.length; k++) c[k] = BASE62[r.nextInt(62)];
      return new String(c);
    }

    private static IpAddr host(Cidr net, SplittableRandom r) {
      int hostBits = 32 - net.prefixLength();
      int host = hostBits == 0 ? 0 : hostBits >= 31 ? r.nextInt() : 1 + r.nextInt((1 << hostBits) - 2);
      return IpAddr.ofV4(net.network().v4() | host);
    }
  }
}
