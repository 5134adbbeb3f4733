package io.flowsentry.app.e2e;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.loadgen.ExportEncoder;
import io.flowsentry.collector.loadgen.ExportTotals;
import io.flowsentry.collector.loadgen.IpfixEncoder;
import io.flowsentry.collector.loadgen.NetflowV9Encoder;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One simulated router for the end-to-end tests: the load generator's encoder over a small flow
 * table, its export clock stepping a random 0-4 s per packet with a lull of 1-2 minutes now and
 * then (so each flow, back every few packets, repeats within and past 7 s and 60 s windows, and
 * records carry start times up to 32 s behind their export as a router's do; every exporter steps alike, so packet n of each is
 * exported at the same time), sent from one socket bound once: the exporter address
 * and port an alarm names stay the same whichever receiver it sends to.
 */
final class SyntheticExporter implements AutoCloseable {
  private static final long STEP_SEED = 5;
  private final List<byte[]> datagrams = new ArrayList<>();
  private final ExportTotals totals = new ExportTotals();
  private final DatagramSocket socket;
  private final long lastExportMillis;

  /**
   * @param ipfix IPFIX, else NetFlow v9
   * @param firstExportMillis the export time of the first packet
   */
  SyntheticExporter(boolean ipfix, String sources, String destinations, int packets, long seed, long firstExportMillis)
      throws IOException {
    SyntheticFlows flows = new SyntheticFlows(120, seed, Cidr.parse(sources), Cidr.parse(destinations));
    ExportEncoder encoder = ipfix ? new IpfixEncoder(flows, 20) : new NetflowV9Encoder(flows, firstExportMillis - 3_600_000, 20);
    // one export clock for every exporter of a test: sent in step, none runs ahead of another
    SplittableRandom steps = new SplittableRandom(STEP_SEED);
    long export = firstExportMillis;
    for (int n = 0; n < packets; n++) {
      ByteBuf out = Unpooled.buffer(1500);
      encoder.encode(out, n, export, totals);
      datagrams.add(ByteBufUtil.getBytes(out));
      out.release();
      // mostly a few seconds, so a flow (back every 4-5 packets) repeats within windows; now and
      // then a lull longer than every window
      export += steps.nextInt(20) == 0 ? steps.nextLong(60_000, 120_000) : steps.nextLong(0, 4_000);
    }
    lastExportMillis = export;
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  int packets() {
    return datagrams.size();
  }

  long records() {
    return totals.records();
  }

  /** After the last packet's export time: where traffic that must come later may start. */
  long endMillis() {
    return lastExportMillis;
  }

  /** Sends packets {@code from} (inclusive) to {@code to} (exclusive) to 127.0.0.1:{@code port}. */
  void send(int port, int from, int to) throws IOException {
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    for (int n = from; n < to; n++) {
      byte[] d = datagrams.get(n);
      socket.send(new DatagramPacket(d, d.length, target));
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
