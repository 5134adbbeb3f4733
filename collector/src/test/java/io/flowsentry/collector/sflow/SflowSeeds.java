package io.flowsentry.collector.sflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real sFlow captures under {@code testdata/sflow} (../shared, never copied into the
 * repository) as fuzz inputs: one file per datagram. {@code bin/fuzz} writes them into the
 * generated corpus of {@link SflowDecoderFuzzTest} with {@link #main}; its regression pass feeds
 * the same datagrams through the same target.
 */
public final class SflowSeeds {

  private SflowSeeds() {}

  /** Writes every datagram as {@code real-NAME}: {@code SflowSeeds SFLOW_DIR CORPUS_DIR}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) throw new IllegalArgumentException("usage: SflowSeeds SFLOW_DIR CORPUS_DIR");
    Path dir = Files.createDirectories(Path.of(args[1]));
    Path sflow = Path.of(args[0]);
    int seeds = 0;
    for (Path file : SflowCaptures.files(sflow)) {
      List<byte[]> datagrams = SflowCaptures.datagrams(file);
      for (int i = 0; i < datagrams.size(); i++) {
        Files.write(dir.resolve("real-" + file.getFileName() + "-" + i), datagrams.get(i));
        seeds++;
      }
    }
    System.out.println("fuzz: " + seeds + " sFlow seeds from real captures in " + dir);
  }
}
