package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `decode --pcap` prints as many records (data and options) as tshark decodes from the same
 * capture: every akvorado and goflow2 capture alone, and every data capture after the captures
 * holding its templates (inventory.tsv, column tshark_decoded_after: given to decode as several
 * --pcap, to tshark joined with mergecap).
 * Needs tshark and mergecap (Debian package tshark); without them it skips, or fails under
 * FLOWSENTRY_REQUIRE_INTEGRATION=1.
 */
class DecodeMatchesTsharkIT {
  /** "FlowSet 3 [id=256] (1 flows)" (v9), "Set 4 [id=1910] (8 flows)" (IPFIX) in tshark -O cflow. */
  private static final Pattern SET_FLOWS = Pattern.compile("^\\s+(?:Flow)?Set \\d+ \\[id=\\d+\\] \\((\\d+) flows\\)$");
  /** "pdu 1/29": one v5 record. */
  private static final Pattern V5_PDU = Pattern.compile("^\\s+pdu \\d+/\\d+$");
  /**
   * Its data set of template 257 comes before the template in the same packet: tshark decodes
   * only the 11 records after it; the v9 header counts 24 = 2 templates + 22 records, all decoded.
   */
  private static final String DATA_BEFORE_TEMPLATE = "data+templates.pcap";

  @TempDir Path dir;

  @Test
  void everyCaptureAloneGivesTsharksRecordCount() throws Exception {
    Path tshark = SharedTestData.tool("tshark");
    List<Path> captures = new ArrayList<>();
    try (var files = Files.list(SharedTestData.path("testdata/netflow/akvorado/pcap"))) {
      files.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(captures::add);
    }
    captures.add(SharedTestData.path("testdata/netflow/goflow2/goflow2_vectors.pcap"));
    assertEquals(28, captures.size(), "27 akvorado captures and goflow2's");
    for (Path capture : captures) {
      int expected = tsharkRecords(tshark, capture);
      if (capture.endsWith(DATA_BEFORE_TEMPLATE)) {
        assertEquals(11, expected, "tshark on " + capture);
        expected = 22;
      }
      DecodeRun r = DecodeRun.of(dir, capture);
      assertEquals(0, r.code(), capture + ": " + r.messages());
      assertEquals(expected, r.lines().size(), capture + ": " + r.messages());
    }
  }

  @Test
  void everyDataCaptureAfterItsTemplatesGivesTsharksRecordCount() throws Exception {
    Path tshark = SharedTestData.tool("tshark");
    Path mergecap = SharedTestData.tool("mergecap");
    Path akvorado = SharedTestData.path("testdata/netflow/akvorado");
    List<String> inventory = Files.readAllLines(akvorado.resolve("inventory.tsv"));
    List<String> header = Arrays.asList(inventory.get(0).split("\t"));
    int after = header.indexOf("tshark_decoded_after");
    int sequences = 0;
    for (String row : inventory.subList(1, inventory.size())) {
      String[] cols = row.split("\t", -1);
      if (cols.length <= after || cols[after].isBlank()) continue;
      List<Path> captures = new ArrayList<>();
      for (String name : cols[after].split(" ")) captures.add(akvorado.resolve("pcap").resolve(name));
      captures.add(akvorado.resolve("pcap").resolve(cols[0]));
      Path sequence = dir.resolve("sequence.pcap");
      List<String> command = new ArrayList<>(List.of(mergecap.toString(), "-F", "pcap", "-a", "-w", sequence.toString()));
      captures.forEach(c -> command.add(c.toString()));
      run(command);
      int expected = tsharkRecords(tshark, sequence);
      DecodeRun r = DecodeRun.of(dir, captures.toArray(Path[]::new)); // decode --pcap A --pcap B ...: the same as one joined file
      assertEquals(0, r.code(), captures + ": " + r.messages());
      assertEquals(expected, r.lines().size(), cols[after] + " " + cols[0] + ": " + r.messages());
      assertTrue(r.messages().stream().noneMatch(m -> m.contains("never met")), cols[0] + ": " + r.messages());
      sequences++;
    }
    assertEquals(13, sequences, "rows of inventory.tsv with tshark_decoded_after");
  }

  /** Data and options records tshark decodes, the capture's UDP destination ports decoded as NetFlow/IPFIX. */
  private int tsharkRecords(Path tshark, Path capture) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tshark.toString(), "-n", "-r", capture.toString(), "-O", "cflow"));
    TreeSet<Integer> ports = new TreeSet<>();
    for (CapturedDatagram d : PcapReader.readAll(capture)) ports.add(d.recipient().getPort());
    for (int port : ports) command.addAll(List.of("-d", "udp.port==" + port + ",cflow"));
    int records = 0;
    for (String line : run(command)) {
      Matcher m = SET_FLOWS.matcher(line);
      if (m.matches()) records += Integer.parseInt(m.group(1));
      if (V5_PDU.matcher(line).matches()) records++;
    }
    return records;
  }

  /** Runs a tool to completion (bounded) and returns its standard output; fails with its output when it fails. */
  private List<String> run(List<String> command) throws IOException, InterruptedException {
    Path out = dir.resolve("tool.out");
    Path err = dir.resolve("tool.err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(command + " did not finish within 60 s; stderr: " + Files.readString(err));
    }
    assertEquals(0, p.exitValue(), command + " failed; stderr: " + Files.readString(err));
    return Files.readAllLines(out);
  }
}
