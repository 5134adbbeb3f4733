package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.testing.SharedTestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `decode --pcap`: every record the exporter sent, and a message naming what it could not decode. */
class DecodeCommandTest {
  private static final String AKVORADO = "testdata/netflow/akvorado/pcap/";

  @TempDir Path dir;

  @Test
  void aMissingFileIsNamedAndIsARuntimeFailure() throws IOException {
    Path missing = dir.resolve("nope.pcap");
    DecodeRun r = DecodeRun.of(dir, missing);
    assertEquals(ExitCodes.FAILURE, r.code());
    assertEquals(List.of("decode: " + missing + ": file does not exist"), r.messages());
  }

  @Test
  void aDirectoryIsNamed() throws IOException {
    DecodeRun r = DecodeRun.of(dir, dir);
    assertEquals(ExitCodes.FAILURE, r.code());
    assertEquals(List.of("decode: " + dir + ": is a directory (expected: a pcap or pcapng file)"), r.messages());
  }

  @Test
  void itsSummaryInTheCommandListIsAWholeSentence() {
    StringWriter out = new StringWriter();
    CommandLine cli = FlowsentryCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("--help"));
    String help = out.toString().replaceAll("\\s+", " ");
    assertTrue(help.contains(" decode Decode NetFlow v5/v9/IPFIX and sFlow v5 datagrams from a pcap or pcapng capture (tcpdump -w) to JSON lines. "),
        out.toString());
  }

  @Test
  void dataWhoseTemplateTheCaptureLacksIsCounted() throws IOException {
    DecodeRun r = DecodeRun.of(dir, SharedTestData.path(AKVORADO + "data.pcap"));
    assertEquals(0, r.code(), r.messages().toString());
    assertEquals(List.of(), r.lines());
    assertEquals(List.of("decode: 1 datagrams, 0 records (0 data, 0 options), 0 frames skipped (not UDP)",
        "decode: 1 data set never met its template: no capture given holds it (exporters resend templates periodically:"
            + " capture for longer, or give the capture holding the templates first: --pcap TEMPLATES --pcap DATA)"), r.messages());
  }

  /** goflow2_vectors.pcap: 24-byte file header, then packets of 16 + 162, 16 + 1434 and 16 + 354 bytes. */
  @Test
  void aCaptureCutMidPacketPrintsWhatCameBeforeAndSaysWhere() throws IOException {
    byte[] whole = Files.readAllBytes(SharedTestData.path("testdata/netflow/goflow2/goflow2_vectors.pcap"));
    Path twoPackets = dir.resolve("two.pcap");
    Files.write(twoPackets, Arrays.copyOf(whole, 24 + 178 + 1450));
    Path cut = dir.resolve("cut.pcap");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 10));

    DecodeRun before = DecodeRun.of(dir, twoPackets);
    assertEquals(0, before.code(), before.messages().toString());
    DecodeRun r = DecodeRun.of(dir, cut);
    assertEquals(ExitCodes.FAILURE, r.code());
    assertEquals(before.lines(), r.lines());
    assertTrue(!r.lines().isEmpty());
    assertEquals("decode: " + cut + " ended mid-packet (packet 3 has 360 of 370 bytes): the 2 datagrams before it were decoded",
        r.messages().get(r.messages().size() - 1));
  }

  /**
   * Records per capture as tshark counts them (DecodeMatchesTsharkIT compares with tshark itself),
   * except data+templates.pcap: its data set of template 257 comes before the template in the same
   * packet, which tshark does not decode (11); the v9 header counts 24 = 2 templates + 22 records.
   */
  @Test
  void printsEveryRecordTheExporterSent() throws IOException {
    Map<String, Integer> records = Map.of("nfv5.pcap", 29, "nat.pcap", 9, "mpls.pcap", 3, "icmp-template.pcap", 2,
        "physicalinterfaces.pcap", 9, "data+templates.pcap", 22);
    for (Map.Entry<String, Integer> e : records.entrySet()) {
      DecodeRun r = DecodeRun.of(dir, SharedTestData.path(AKVORADO + e.getKey()));
      assertEquals(0, r.code(), e.getKey() + ": " + r.messages());
      assertEquals(e.getValue(), r.lines().size(), e.getKey() + ": " + r.messages());
    }
  }

  @Test
  void optionsRecordsShowTheirScopeAndValuesByName() throws IOException {
    DecodeRun r = DecodeRun.of(dir, SharedTestData.path(AKVORADO + "physicalinterfaces.pcap"));
    assertEquals(List.of("decode: 1 datagrams, 9 records (8 data, 1 options), 0 frames skipped (not UDP)"), r.messages());
    assertEquals("{\"exporter\":\"10.4.2.60\",\"version\":10,\"observation_domain\":0,\"template_id\":50710,\"options\":true,"
        + "\"scope\":{\"observationDomainId\":0,\"templateId\":1910},\"selectorAlgorithm\":1,\"samplingPacketInterval\":1,"
        + "\"samplingPacketSpace\":999}", r.lines().get(0));
    // the data records after it carry the sampling rate it announced, as on the live path
    JsonNode data = new ObjectMapper().readTree(r.lines().get(1));
    assertEquals(1000, data.path("sampling_rate").asInt(), data.toString());
    assertTrue(!data.has("options") && !data.has("scope"), data.toString());
  }

  /** A v9 exporter's sampler table (options template, options data) before its templates and flows. */
  @Test
  void v9SamplerOptionsBeforeTheFlowsTheyRate() throws IOException {
    Path capture = concatenate(dir.resolve("sequence.pcap"), "options-template.pcap", "options-data.pcap", "template.pcap", "data.pcap");
    DecodeRun r = DecodeRun.of(dir, capture);
    assertEquals(0, r.code(), r.messages().toString());
    assertEquals(List.of("decode: 4 datagrams, 8 records (4 data, 4 options), 0 frames skipped (not UDP)"), r.messages());
    assertEquals(4, r.optionsLines());
    JsonNode sampler = new ObjectMapper().readTree(r.lines().get(0));
    assertEquals("{\"scopeSystem\":\"ac13c8e4\"}", sampler.path("scope").toString());
    assertEquals("sampler1", sampler.path("samplerName").asText());
    assertEquals(30000, sampler.path("samplingInterval").asInt());
    assertEquals(30000, new ObjectMapper().readTree(r.lines().get(7)).path("sampling_rate").asInt());
  }

  @Test
  void severalCapturesAreDecodedInOrderWithOneTemplateState() throws IOException {
    DecodeRun joined = DecodeRun.of(dir, concatenate(dir.resolve("joined.pcap"), "icmp-template.pcap", "icmp-data.pcap"));
    DecodeRun r = DecodeRun.of(dir, SharedTestData.path(AKVORADO + "icmp-template.pcap"), SharedTestData.path(AKVORADO + "icmp-data.pcap"));
    assertEquals(0, r.code(), r.messages().toString());
    assertEquals(List.of("decode: 2 datagrams, 4 records (4 data, 0 options), 0 frames skipped (not UDP)"), r.messages());
    assertEquals(joined.lines(), r.lines());
  }

  @Test
  void aMissingSecondCaptureStopsBeforeAnyOutput() throws IOException {
    Path missing = dir.resolve("data.pcap");
    DecodeRun r = DecodeRun.of(dir, SharedTestData.path(AKVORADO + "nfv5.pcap"), missing);
    assertEquals(ExitCodes.FAILURE, r.code());
    assertEquals(List.of(), r.lines());
    assertEquals(List.of("decode: " + missing + ": file does not exist"), r.messages());
  }

  /** One classic pcap holding the packets of the akvorado captures named, in order (they share byte order and link type). */
  private static Path concatenate(Path target, String... captures) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String name : captures) {
      byte[] capture = Files.readAllBytes(SharedTestData.path(AKVORADO + name));
      out.write(capture, out.size() == 0 ? 0 : 24, out.size() == 0 ? capture.length : capture.length - 24);
    }
    return Files.write(target, out.toByteArray());
  }
}
