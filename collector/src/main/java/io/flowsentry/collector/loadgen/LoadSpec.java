package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.udp.ListenAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One generator run. The run ends at whichever bound comes first: {@code maxPackets} sent or
 * {@code maxSeconds} elapsed.
 *
 * @param packetsPerSecond 0 = as fast as the socket takes them
 * @param templateEvery v9/IPFIX: the template goes out in packet 0 and every this many packets
 * @param exporters how many exporters send (IPv4 targets): exporter k sends from 127.0.0.(k+1) with
 *     its own sequence numbers and templates, as several routers exporting to one collector do;
 *     packets go to them in turn, one batch each
 * @param warmupSeconds before the run, send at the same rate for this long to a local socket of
 *     the generator's own that discards them: the generator's JIT compilation then competes with
 *     nothing the receiver measures (a C generator has no warm-up; this one took 1-3 s of a
 *     vCPU at every benchmark step). Nothing sent during warm-up is counted or reaches the target.
 */
public record LoadSpec(
    ExportVersion version,
    ListenAddress target,
    long packetsPerSecond,
    long maxPackets,
    double maxSeconds,
    int flows,
    long seed,
    Cidr sourceNetwork,
    Cidr destinationNetwork,
    int templateEvery,
    int exporters,
    double warmupSeconds) {

  public static final double MAX_SECONDS = 3600;
  /** Source addresses 127.0.0.1 .. 127.0.0.254. */
  public static final int MAX_EXPORTERS = 254;

  public static LoadSpec defaults() {
    return new LoadSpec(ExportVersion.V5, ListenAddress.parse("127.0.0.1:2055"), 0, 10_000_000, 10, 10_000, 1,
        Cidr.parse("10.0.0.0/8"), Cidr.parse("0.0.0.0/0"), 64, 1, 0);
  }

  /** Where exporter {@code k} (0-based) sends from: 127.0.0.(k+1), or any local address for a single one. */
  public ListenAddress exporterSource(int k) {
    if (exporters == 1) return null;
    return new ListenAddress(IpAddr.ofV4(0x7F00_0001 + k), 0);
  }

  /** The warm-up itself: the same load, sent to {@code sink} for the warm-up time, with no warm-up of its own. */
  LoadSpec warmupTo(ListenAddress sink) {
    return new LoadSpec(version, sink, packetsPerSecond, maxPackets, warmupSeconds, flows, seed, sourceNetwork,
        destinationNetwork, templateEvery, exporters, 0);
  }

  /** Every problem at once, named by command-line option. */
  public List<String> validate() {
    List<String> problems = new ArrayList<>();
    if (!target.address().toInetAddress().isLoopbackAddress()) {
      problems.add("--target: " + target + " (expected: a loopback address; the generator only sends to 127.0.0.0/8 or ::1)");
    }
    if (target.port() == 0) problems.add("--target: " + target + " (expected: a port 1-65535)");
    if (packetsPerSecond < 0) problems.add("--rate: " + packetsPerSecond + " (expected: packets per second, 0 = as fast as possible)");
    if (maxPackets < 1) problems.add("--packets: " + maxPackets + " (expected: 1+)");
    if (!(maxSeconds > 0 && maxSeconds <= MAX_SECONDS)) problems.add("--seconds: " + maxSeconds + " (expected: more than 0, at most " + (int) MAX_SECONDS + ")");
    if (flows < 1 || flows > SyntheticFlows.MAX_FLOWS) problems.add("--flows: " + flows + " (expected: 1-" + SyntheticFlows.MAX_FLOWS + ")");
    if (sourceNetwork.network().v6()) problems.add("--src-net: " + sourceNetwork + " (expected: an IPv4 network)");
    if (destinationNetwork.network().v6()) problems.add("--dst-net: " + destinationNetwork + " (expected: an IPv4 network)");
    if (templateEvery < 1) problems.add("--template-every: " + templateEvery + " (expected: 1+)");
    if (!(warmupSeconds >= 0 && warmupSeconds <= MAX_SECONDS)) {
      problems.add("--warmup: " + warmupSeconds + " (expected: 0-" + (int) MAX_SECONDS + " seconds)");
    }
    if (exporters < 1 || exporters > MAX_EXPORTERS || (exporters > 1 && target.address().v6())) {
      problems.add("--exporters: " + exporters + " (expected: 1-" + MAX_EXPORTERS + "; 1 for an IPv6 target, which has one loopback address)");
    }
    return problems;
  }
}
