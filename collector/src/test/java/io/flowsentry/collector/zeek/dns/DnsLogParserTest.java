package io.flowsentry.collector.zeek.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.testing.SharedTestData;
import io.flowsentry.collector.zeek.ZeekTestData;
import io.flowsentry.collector.zeek.parse.BadLineReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Zeek's own dns.log test baselines (../shared/testdata/zeek/dns) and hand-made bad lines. */
class DnsLogParserTest {
  private static final String HEADER = ZeekTestData.DNS_HEADER;

  private static Path dir() {
    return SharedTestData.path("testdata/zeek/dns");
  }

  /** Every TSV baseline, in index order. */
  private static List<Path> tsvFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String row : Files.readAllLines(dir().resolve("index.tsv")).subList(1, 30)) {
      String[] c = row.split("\t");
      if (c[1].equals("tsv")) files.add(dir().resolve(c[0]));
    }
    assertEquals(27, files.size(), "27 TSV baselines (README)");
    return files;
  }

  private static List<DnsLine> parse(List<String> lines) {
    DnsLogParser p = new DnsLogParser();
    return lines.stream().map(p::parse).toList();
  }

  @Test
  void everyAnsweredRecordOfZeeksBaselinesTeachesItsAddresses() throws IOException {
    int answered = 0, addresses = 0, bad = 0;
    for (Path f : tsvFiles()) {
      int[] masks = {0};
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8).stream()
          .map(l -> ZeekTestData.unmask(l, 1_700_000_000L, masks)).toList();
      for (DnsLine l : parse(lines)) {
        if (l instanceof DnsLine.Answered a) {
          answered++;
          addresses += a.answers().addresses().size();
        } else if (l instanceof DnsLine.Bad b) {
          bad++;
        }
      }
    }
    // counted independently (a script over the same files): records with an A/AAAA answer, and those answers
    assertEquals(15, answered);
    assertEquals(23, addresses);
    assertEquals(0, bad);
  }

  @Test
  void maskedTimestampsAreBadLinesNotAnswers() throws IOException {
    int masked = 0;
    for (Path f : tsvFiles()) {
      for (DnsLine l : parse(Files.readAllLines(f, StandardCharsets.UTF_8))) {
        if (l instanceof DnsLine.Bad b && b.reason() == BadLineReason.MASKED_TIMESTAMP) masked++;
      }
    }
    assertEquals(78, masked, "every record of the 27 TSV files has a masked ts (README)");
  }

  @Test
  void aRecordWithEightAddressesAndTheirTtls() throws IOException {
    List<String> lines = Files.readAllLines(dir().resolve("scripts.base.protocols.dns.flip__dns.log")).stream()
        .map(l -> ZeekTestData.unmask(l, 1_700_000_000L, new int[] {0})).toList();
    DnsAnswers a = parse(lines).stream().filter(DnsLine.Answered.class::isInstance).map(l -> ((DnsLine.Answered) l).answers())
        .findFirst().orElseThrow();
    assertEquals(1_700_000_000_000_000L, a.tsMicros());
    assertEquals(IpAddr.parse("10.20.1.31"), a.client());
    assertEquals("us.v27.distributed.net", a.query());
    assertEquals(8, a.addresses().size());
    assertEquals(new DnsAnswers.Resolved(IpAddr.parse("206.109.64.186"), 900_000_000L), a.addresses().getFirst());
    assertEquals(new DnsAnswers.Resolved(IpAddr.parse("63.77.33.226"), 900_000_000L), a.addresses().getLast());
  }

  @Test
  void aCnameChainTeachesTheNameTheClientAskedFor() {
    List<String> lines = new ArrayList<>(HEADER.lines().toList());
    lines.add("1300475168.783034\tC37jN32gN3y3AZzyf6\t141.142.220.118\t40526\t141.142.2.2\t53\tudp\t26096\t0.000392\tUpload.Wikimedia.org.\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\tupload.pmtpa.wikimedia.org,208.80.152.3\t124.000000,2156.000000\tF");
    DnsAnswers a = assertInstanceOf(DnsLine.Answered.class, parse(lines).getLast()).answers();
    assertEquals("upload.wikimedia.org", a.query(), "lower case, no root dot");
    assertEquals(List.of(new DnsAnswers.Resolved(IpAddr.parse("208.80.152.3"), 2_156_000_000L)), a.addresses(),
        "the CNAME target is not an address; the address keeps its own TTL");
  }

  @Test
  void jsonLinesAsZeekWritesThem() {
    DnsLogParser p = new DnsLogParser();
    DnsAnswers a = assertInstanceOf(DnsLine.Answered.class, p.parse("{\"ts\":1300475168.783034,\"uid\":\"C37jN32gN3y3AZzyf6\","
        + "\"id.orig_h\":\"fe80::217:f2ff:fed7:cf65\",\"id.orig_p\":40526,\"id.resp_h\":\"141.142.2.2\",\"id.resp_p\":53,"
        + "\"proto\":\"udp\",\"query\":\"cdn.example.com\",\"answers\":[\"edge.example.net\",\"2001:db8::7\",\"192.0.2.7\"],"
        + "\"TTLs\":[60.0,30.0,20.0],\"rejected\":false}")).answers();
    assertEquals(1_300_475_168_783_034L, a.tsMicros());
    assertEquals(IpAddr.parse("fe80::217:f2ff:fed7:cf65"), a.client());
    assertEquals(List.of(new DnsAnswers.Resolved(IpAddr.parse("2001:db8::7"), 30_000_000L),
        new DnsAnswers.Resolved(IpAddr.parse("192.0.2.7"), 20_000_000L)), a.addresses());
    assertEquals(DnsLine.NoAddress.INSTANCE, p.parse("{\"ts\":1300475168.7,\"id.orig_h\":\"10.0.0.1\",\"query\":\"x.example\"}"),
        "no answers: nothing to learn");
    assertEquals(BadLineReason.BAD_JSON, assertInstanceOf(DnsLine.Bad.class, p.parse("{\"ts\":")).reason());
    assertEquals(BadLineReason.BAD_ADDRESS,
        assertInstanceOf(DnsLine.Bad.class, p.parse("{\"ts\":1.0,\"id.orig_h\":\"host\",\"query\":\"a\",\"answers\":[]}")).reason());
  }

  @Test
  void badTsvLinesSayWhy() {
    List<String> lines = new ArrayList<>(HEADER.lines().toList());
    lines.add("1300475168.7\tC1\t10.0.0.1");
    lines.add("soon\tC1\t10.0.0.1\t1\t10.0.0.2\t53\tudp\t1\t-\tx.example\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1\t60.000000\tF");
    lines.add("1300475168.7\tC1\tnot-an-ip\t1\t10.0.0.2\t53\tudp\t1\t-\tx.example\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1\t60.000000\tF");
    List<DnsLine> out = parse(lines);
    assertEquals(List.of(BadLineReason.COLUMN_COUNT, BadLineReason.BAD_TIMESTAMP, BadLineReason.BAD_ADDRESS),
        out.subList(out.size() - 3, out.size()).stream().map(l -> assertInstanceOf(DnsLine.Bad.class, l).reason()).toList());
    assertEquals(BadLineReason.NO_HEADER,
        assertInstanceOf(DnsLine.Bad.class, new DnsLogParser().parse("1300475168.7\tC1\t10.0.0.1")).reason());
  }
}
