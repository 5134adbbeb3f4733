package io.flowsentry.collector.sflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.testing.SharedTestData;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real sFlow captures of ../shared/testdata/sflow (akvorado pcaps, goflow2 byte vectors; never
 * copied into the repository) and what the decoder reports for them.
 */
public final class SflowCaptures {

  public static final InetSocketAddress SENDER = new InetSocketAddress("127.0.0.1", 6343);

  private SflowCaptures() {}

  public static Path dir() {
    return SharedTestData.path("testdata/sflow");
  }

  /** The lines of expected.jsonl. */
  public static List<JsonNode> expected() {
    ObjectMapper json = new ObjectMapper();
    try {
      List<JsonNode> cases = new ArrayList<>();
      for (String line : Files.readAllLines(dir().resolve("expected.jsonl"))) {
        if (!line.isBlank()) cases.add(json.readTree(line));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The captures holding one sFlow datagram each: the akvorado pcaps and the goflow2 .bin vectors, by file name. */
  public static List<Path> files() {
    return files(dir());
  }

  /** {@link #files()} under another copy of the folder. */
  public static List<Path> files(Path sflowDir) {
    try (Stream<Path> all = Files.walk(sflowDir)) {
      return all.filter(p -> p.toString().endsWith("/pcap/" + p.getFileName()) || p.toString().endsWith(".bin"))
          .filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The UDP payloads of a capture ({@code .pcap}) or the one datagram of a {@code .bin} vector. */
  public static List<byte[]> datagrams(Path file) {
    try {
      if (file.toString().endsWith(".bin")) return List.of(Files.readAllBytes(file));
      return PcapReader.readAll(file).stream().map(CapturedDatagram::payload).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the decoder reported for one datagram, in order. */
  public static final class Recording implements SflowListener {
    public final List<SflowDatagram> headers = new ArrayList<>();
    public final List<FlowSample> flowSamples = new ArrayList<>();
    public final List<FlowRecord> records = new ArrayList<>();
    public final List<CounterSample> counterSamples = new ArrayList<>();
    public final List<DiscardSample> discardSamples = new ArrayList<>();
    public final List<String> errors = new ArrayList<>();
    public int unknownSamples;
    public int recordsSkipped;

    @Override public void datagram(SflowDatagram header) { headers.add(header); }
    @Override public void flowSample(FlowSample sample) { flowSamples.add(sample); }
    @Override public void decoded(FlowRecord.Builder packet) { records.add(packet.build()); }
    @Override public void counterSample(CounterSample sample) { counterSamples.add(sample); }
    @Override public void discardSample(DiscardSample sample) { discardSamples.add(sample); }
    @Override public void unknownSample(int enterprise, int format) { unknownSamples++; }
    @Override public void recordsSkipped(int count) { recordsSkipped += count; }
    @Override public void error(DecodeError reason, String detail) { errors.add(reason.tag() + ": " + detail); }
  }

  public static Recording decode(byte[] datagram, boolean keepRaw) {
    Recording r = new Recording();
    new SflowDecoder(keepRaw, false).decode(Unpooled.wrappedBuffer(datagram), SENDER, 1_700_000_000_000L, r);
    return r;
  }
}
