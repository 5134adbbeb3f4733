package io.flowsentry.analyzer.bench;

import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Membership lookups in a compiled prefix set, half IPv4 and half IPv6, random addresses
 * (mostly misses, as for responders checked against allowed destinations). Reported as
 * lookups per second per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PrefixSetBenchmark {
  private static final int BATCH = 1024;

  @Param({"16", "1000"})
  int blocks;

  PrefixSet set;
  IpAddr[] addresses;

  @Setup
  public void setup() {
    Random rnd = new Random(42);
    List<String> cidrs = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      cidrs.add((rnd.nextInt(223) + 1) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + ".0/" + (16 + rnd.nextInt(9)));
      cidrs.add("2001:db8:" + Integer.toHexString(rnd.nextInt(65536)) + "::/" + (40 + rnd.nextInt(25)));
    }
    set = PrefixSet.parse(cidrs);
    addresses = new IpAddr[BATCH];
    for (int i = 0; i < BATCH; i++) {
      addresses[i] = i % 2 == 0 ? IpAddr.ofV4(rnd.nextInt()) : IpAddr.ofV6(0x2001_0db8_0000_0000L | (rnd.nextLong() >>> 32), rnd.nextLong());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int contains() {
    int hits = 0;
    for (IpAddr a : addresses) if (set.contains(a)) hits++;
    return hits;
  }
}
