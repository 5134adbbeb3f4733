package io.flowsentry.collector.loadgen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A month (or any number of days) of a site's conn.log, for {@code flowsentry learn}: 50
 * restricted servers in 192.168.4.0/24 with planted regular services and planted one-off
 * violations, among traffic no policy alarms on (to local networks, from unrestricted hosts).
 * Seeded, so the same arguments give the same file; time runs forward through the lines.
 *
 * <p>Planted regular services: NTP from every server to a pool network ({@link #NTP_POOL}),
 * updates from every server to a CDN network ({@link #CDN}), SMTP from the mail relay
 * ({@link #RELAY}) to mail servers of many networks, and the partner API host
 * ({@link #PARTNER_CLIENT} → {@link #PARTNER_API}). Violations: {@link #violations} connections,
 * each once, from a server to its own network and port in 77.0.0.0/8.
 *
 * <p>With names (a dns.log written beside the conn.log, {@link #write(Path, Path)}), also: a CDN
 * reached by name ({@link #CDN_NAME}) whose answers rotate over six /24s
 * (146.75.40.0/24 to 146.75.45.0/24), every connection just after its originator's own lookup, and
 * one more violation: a connection to a named host ({@link #NAMED_ONE_OFF}), also just after its
 * lookup.
 *
 * <pre>
 * java -cp flowsentry.jar io.flowsentry.collector.loadgen.LearnTraffic --file conn.log [--dns dns.log] --lines 10000000 [--days 30] [--seed 18]
 * </pre>
 */
public final class LearnTraffic {
  public static final String NTP_POOL = "198.51.100.0/24";
  public static final String CDN = "151.101.4.0/24";
  public static final String RELAY = "192.168.4.25";
  public static final String PARTNER_CLIENT = "192.168.4.7";
  public static final String PARTNER_API = "203.0.113.80";
  public static final String CDN_NAME = "downloads.vendor-cdn.net";
  public static final String NAMED_ONE_OFF = "files.quickshare.example";
  public static final long START_MICROS = 1_772_323_200_000_000L; // 2026-03-01T00:00:00Z
  private static final long DAY_MICROS = 86_400_000_000L;
  private static final int SERVERS = 50;

  /** A planted violation: one connection; {@code name} what its originator resolved first, or null. */
  public record Violation(String orig, String resp, int port, long tsMicros, String name) {}

  private final long lines;
  private final int days;
  private final Random random;
  private final List<Violation> violations = new ArrayList<>();
  private final long step;
  private final boolean names;

  /** Without names: a conn.log only. */
  public LearnTraffic(long lines, int days, long seed, int violationCount) {
    this(lines, days, seed, violationCount, false);
  }

  /**
   * @param names plant the named CDN and the named one-off (write with {@link #write(Path, Path)})
   * @param violationCount one-off violations, spread evenly over the lines (at most one per 1000 lines) */
  public LearnTraffic(long lines, int days, long seed, int violationCount, boolean names) {
    if (lines < 1000 || days < 1 || violationCount < 0 || violationCount > lines / 1000) {
      throw new IllegalArgumentException("lines >= 1000, days >= 1, 0 <= violations <= lines / 1000");
    }
    this.lines = lines;
    this.days = days;
    this.random = new Random(seed);
    this.step = Math.max(1, days * DAY_MICROS / lines);
    for (int k = 0; k < violationCount; k++) {
      long at = (2 * k + 1) * (lines / (2L * violationCount));
      String orig = "192.168.4." + (10 + random.nextInt(SERVERS));
      // its own /24 and its own port: no two violations look like one regular service
      String resp = "77." + (k + 1) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
      violations.add(new Violation(orig, resp, 6000 + k, START_MICROS + at * step, null));
    }
    this.names = names;
    if (names) {
      long at = lines / 2 + 1;
      while (taken(at)) at++;
      String orig = "192.168.4." + (10 + random.nextInt(SERVERS));
      violations.add(new Violation(orig, "78.1.2.3", 7000, START_MICROS + at * step, NAMED_ONE_OFF));
      violations.sort(java.util.Comparator.comparingLong(Violation::tsMicros));
    }
  }

  private boolean taken(long at) {
    for (Violation v : violations) {
      if ((v.tsMicros() - START_MICROS) / step == at) return true;
    }
    return false;
  }

  public List<Violation> violations() {
    return violations;
  }

  static final String HEADER = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
      + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\n"
      + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\n";

  static final String DNS_HEADER = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n"
      + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\tanswers\tTTLs\n"
      + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tstring\tvector[string]\tvector[interval]\n";
  /** A lookup is logged this long before the connection it is for. */
  private static final long LOOKUP_BEFORE_MICROS = 500_000;

  /** Writes the header and every line (without names). */
  public void write(Path file) throws IOException {
    if (names) throw new IllegalStateException("with names: write(conn, dns)");
    write(file, null);
  }

  /** Writes the conn.log and, with names, the dns.log of the lookups before the named connections. */
  public void write(Path file, Path dnsFile) throws IOException {
    if (names != (dnsFile != null)) throw new IllegalArgumentException(names ? "with names: a dns.log path is needed" : "no names: no dns.log");
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        BufferedWriter dns = dnsFile == null ? null : Files.newBufferedWriter(dnsFile, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      if (dns != null) dns.write(DNS_HEADER);
      StringBuilder sb = new StringBuilder(160);
      int next = 0;
      for (long i = 0; i < lines; i++) {
        sb.setLength(0);
        long ts = START_MICROS + i * step;
        if (next < violations.size() && i == (violations.get(next).tsMicros() - START_MICROS) / step) {
          Violation v = violations.get(next++);
          if (v.name() != null) lookup(dns, v.tsMicros(), i, v.orig(), v.name(), v.resp());
          line(sb, v.tsMicros(), i, v.orig(), v.resp(), v.port(), "tcp");
        } else {
          regular(sb, ts, i, dns);
        }
        w.append(sb);
      }
    }
  }

  private void regular(StringBuilder sb, long ts, long i, BufferedWriter dns) throws IOException {
    String server = "192.168.4." + (10 + random.nextInt(SERVERS));
    int kind = random.nextInt(100);
    if (kind < 30) line(sb, ts, i, server, "198.51.100." + (1 + random.nextInt(20)), 123, "udp");
    else if (kind < 50) line(sb, ts, i, server, "151.101.4." + (1 + random.nextInt(250)), 443, "tcp");
    else if (kind < 58) line(sb, ts, i, RELAY, "185." + random.nextInt(100) + "." + random.nextInt(256) + ".25", 25, "tcp");
    else if (kind < 66) line(sb, ts, i, PARTNER_CLIENT, PARTNER_API, 443, "tcp");
    else if (kind < 83) line(sb, ts, i, server, "192.168.9." + (1 + random.nextInt(250)), 445, "tcp");
    else if (names && kind < 91) {
      String resp = "146.75." + (40 + random.nextInt(6)) + "." + (1 + random.nextInt(250));
      lookup(dns, ts, i, server, CDN_NAME, resp);
      line(sb, ts, i, server, resp, 443, "tcp");
    }
    else line(sb, ts, i, "10.0.0." + (1 + random.nextInt(250)), "93.184." + random.nextInt(256) + "." + (1 + random.nextInt(254)), 443, "tcp");
  }

  private void line(StringBuilder sb, long ts, long i, String orig, String resp, int port, String proto) {
    sb.append(ts / 1_000_000).append('.');
    String frac = Long.toString(ts % 1_000_000 + 1_000_000);
    sb.append(frac, 1, 7).append("\tC").append(i).append('\t').append(orig).append('\t').append(30000 + (int) (i % 30000))
        .append('\t').append(resp).append('\t').append(port).append('\t').append(proto).append("\t-\t0.010000\t100\t200\tSF\n");
  }

  /** The dns.log line of {@code client}'s lookup of {@code name} answered with {@code address}, just before {@code ts}. */
  private static void lookup(BufferedWriter dns, long ts, long i, String client, String name, String address) throws IOException {
    long at = ts - LOOKUP_BEFORE_MICROS;
    StringBuilder sb = new StringBuilder(128);
    sb.append(at / 1_000_000).append('.');
    String frac = Long.toString(Math.floorMod(at, 1_000_000L) + 1_000_000);
    sb.append(frac, 1, 7).append("\tD").append(i).append('\t').append(client).append("\t5300\t192.168.4.53\t53\tudp\t")
        .append(i % 65536).append('\t').append(name).append('\t').append(address).append("\t60.000000\n");
    dns.append(sb);
  }

  public static void main(String[] args) throws IOException {
    Path file = null, dnsFile = null;
    long lines = 10_000_000;
    int days = 30;
    long seed = 18;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--file" -> file = Path.of(args[i + 1]);
        case "--dns" -> dnsFile = Path.of(args[i + 1]);
        case "--lines" -> lines = Long.parseLong(args[i + 1]);
        case "--days" -> days = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (file == null) throw new IllegalArgumentException("usage: LearnTraffic --file PATH [--dns PATH] [--lines N] [--days D] [--seed S]");
    LearnTraffic t = new LearnTraffic(lines, days, seed, 12, dnsFile != null);
    t.write(file, dnsFile);
    System.out.println("learn-traffic file=" + file + " lines=" + lines + " days=" + days + " violations=" + t.violations().size());
  }
}
