package io.flowsentry.collector.zeek;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The real Zeek conn.log files under {@code ../shared/testdata/zeek/conn} and their index. */
public final class ZeekTestData {
  /** Zeek's test tooling writes this instead of a timestamp. */
  public static final String MASK = "XXXXXXXXXX.XXXXXX";

  /** A Zeek dns.log TSV header with the columns the dns.log parser reads (Zeek 6's first 24). */
  public static final String DNS_HEADER = """
      #separator \\x09
      #set_separator\t,
      #empty_field\t(empty)
      #unset_field\t-
      #path\tdns
      #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected
      """;

  /** One row of index.tsv. */
  public record Entry(String file, int dataLines, int records, String format) {
    public Path path() {
      return dir().resolve(file);
    }

    public boolean cutStyle() {
      return format.equals("zeek-cut");
    }

    @Override
    public String toString() {
      return file;
    }
  }

  private ZeekTestData() {}

  /** A Zeek 6 conn.log header (21 columns), plus Zeek 7.1's {@code ip_proto} when asked. */
  public static String connHeader(boolean ipProto) {
    return """
        #separator \\x09
        #set_separator	,
        #empty_field	(empty)
        #unset_field	-
        #path	conn
        #open	2026-11-28-00-00-00
        #fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents%s
        #types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]%s
        """.formatted(ipProto ? "	ip_proto" : "", ipProto ? "	count" : "");
  }

  /** The folder, or the test is skipped (fails when FLOWSENTRY_REQUIRE_INTEGRATION=1). */
  public static Path dir() {
    String shared = System.getProperty("flowsentry.shared", "../../shared");
    Path dir = Path.of(shared, "testdata", "zeek", "conn");
    if (!Files.isRegularFile(dir.resolve("index.tsv"))) {
      String why = "Zeek test data not found at " + dir.toAbsolutePath() + " (set -Dflowsentry.shared)";
      if ("1".equals(System.getenv("FLOWSENTRY_REQUIRE_INTEGRATION"))) fail(why);
      Assumptions.abort(why);
    }
    return dir;
  }

  public static List<Entry> index() {
    try {
      return Files.readAllLines(dir().resolve("index.tsv")).stream()
          .skip(1)
          .filter(l -> !l.isBlank())
          .map(l -> l.split("\t", -1))
          .map(c -> new Entry(c[0], Integer.parseInt(c[1]), Integer.parseInt(c[2]), c[3]))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> lines(Entry e) {
    try {
      return Files.readAllLines(e.path());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /**
   * The line with each mask replaced by a distinct real timestamp: the n-th mask of the file
   * becomes {@code base + n} seconds and {@code n} microseconds, so tests can tell which column
   * a value came from.
   */
  public static String unmask(String line, long base, int[] counter) {
    StringBuilder sb = new StringBuilder();
    int at = 0;
    for (int i; (i = line.indexOf(MASK, at)) >= 0; at = i + MASK.length()) {
      int n = counter[0]++;
      sb.append(line, at, i).append(base + n).append('.').append(String.format("%06d", n));
    }
    return sb.append(line.substring(at)).toString();
  }
}
