package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real captures under {@code testdata/netflow} (../shared, never copied into the repository)
 * as v9 and IPFIX fuzz inputs in {@link FuzzSupport}'s framing: one per capture file, with the
 * datagrams of its template capture first when templates and data were captured apart
 * ({@code X-data.pcap} after {@code X-template.pcap}, or after the {@code X-template*} sibling).
 * {@code bin/fuzz} writes them into the generated corpus with {@link #main}; the fuzz tests'
 * regression pass feeds them through the same target.
 */
public final class CaptureSeeds {

  /**
   * One fuzz input, named after the capture it comes from. {@code expectsFlowRecords}: data
   * after its template capture, other than options data (options records are not flow records)
   * and data-link frame sections (they need decapsulation, which the fuzz targets leave off).
   */
  public record Seed(String name, boolean expectsFlowRecords, byte[] input) {}

  private CaptureSeeds() {}

  /** Every seed for export {@code version} (9 or 10) from the captures under {@code netflowDir}. */
  public static List<Seed> of(Path netflowDir, int version) throws IOException {
    List<Path> captures;
    try (Stream<Path> files = Files.walk(netflowDir)) {
      captures = files.filter(CaptureSeeds::isCapture).sorted().toList();
    }
    List<Seed> seeds = new ArrayList<>();
    for (Path capture : captures) {
      Path templates = templateCapture(capture, captures);
      List<byte[]> messages = new ArrayList<>();
      if (templates != null) messages.addAll(datagrams(templates, version));
      List<byte[]> own = datagrams(capture, version);
      if (own.isEmpty()) continue;
      messages.addAll(own);
      String name = netflowDir.relativize(capture).toString().replace('/', '_');
      boolean flowData = templates != null && !name.contains("options") && !name.contains("datalink");
      seeds.add(new Seed(name, flowData, FuzzSupport.input(FuzzSupport.DEFAULT_LIMITS | FuzzSupport.KEEP_RAW, messages)));
    }
    return seeds;
  }

  /** Writes the seeds for {@code version} as files {@code real-NAME} into {@code dir}: {@code CaptureSeeds NETFLOW_DIR VERSION DIR}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) throw new IllegalArgumentException("usage: CaptureSeeds NETFLOW_DIR 9|10 CORPUS_DIR");
    Path dir = Files.createDirectories(Path.of(args[2]));
    List<Seed> seeds = of(Path.of(args[0]), Integer.parseInt(args[1]));
    for (Seed s : seeds) Files.write(dir.resolve("real-" + s.name()), s.input());
    System.out.println("fuzz: " + seeds.size() + " seeds from real captures in " + dir);
  }

  private static boolean isCapture(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && (name.endsWith(".pcap") || name.endsWith(".bin"));
  }

  /** The capture holding the templates of a data capture, or null. */
  private static Path templateCapture(Path capture, List<Path> captures) {
    String name = capture.getFileName().toString();
    int data = name.indexOf("data");
    if (data < 0 || name.contains("template")) return null;
    Path exact = capture.resolveSibling(name.replace("data", "template"));
    if (captures.contains(exact)) return exact;
    String prefix = name.substring(0, data);
    return captures.stream()
        .filter(p -> p.getParent().equals(capture.getParent()))
        .filter(p -> p.getFileName().toString().startsWith(prefix + "template"))
        .findFirst().orElse(null);
  }

  /** The datagrams of a capture whose version field is {@code version}; a {@code .bin} file is one datagram. */
  private static List<byte[]> datagrams(Path capture, int version) throws IOException {
    List<byte[]> all = capture.toString().endsWith(".bin")
        ? List.of(Files.readAllBytes(capture))
        : PcapReader.readAll(capture).stream().map(CapturedDatagram::payload).toList();
    return all.stream().filter(d -> d.length >= 2 && (((d[0] & 0xFF) << 8) | (d[1] & 0xFF)) == version).toList();
  }
}
