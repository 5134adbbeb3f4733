package io.flowsentry.app.service;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The resident memory the whole process can reach, from this JVM's own limits: the heap, the
 * metaspace, the code cache and direct buffers are each capped by an option (bin/jvm-opts sets
 * them), and what the JVM needs beyond those (GC tables, symbols, class data sharing, thread
 * stacks, malloc arenas: not capped by any option) gets an allowance measured with Native Memory
 * Tracking under the hostile floods. The collector limits' heap budget is part of the heap line.
 */
public record ProcessMemoryBudget(long heap, OptionalLong metaspace, long codeCache, OptionalLong directBuffers) {
  /**
   * The JVM's uncapped part. Measured 2026-12-02 (JDK 25, Serial, bench/hostile.sh templates-256 flood,
   * NMT summary at exit plus RSS): shared class space 15, symbols 5, arenas 5, GC 1, threads 1 MB,
   * and ~41 MiB of resident memory outside what NMT tracks (glibc malloc arenas) with
   * MALLOC_ARENA_MAX unset: 64 MiB leaves room for that.
   */
  public static final long JVM_OWN_ALLOWANCE = 64L << 20;

  /** The limits of the JVM this runs in. */
  public static ProcessMemoryBudget ofThisJvm() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    long heap = Runtime.getRuntime().maxMemory();
    // an unset MaxMetaspaceSize reads as the largest size_t (or -1): no bound at all; an unset
    // MaxDirectMemorySize (0) lets direct buffers grow as large as the heap's maximum
    OptionalLong metaspace = cap(vm.getVMOption("MaxMetaspaceSize").getValue());
    OptionalLong code = cap(vm.getVMOption("ReservedCodeCacheSize").getValue());
    OptionalLong direct = cap(vm.getVMOption("MaxDirectMemorySize").getValue());
    return new ProcessMemoryBudget(heap, metaspace, code.orElse(0), direct);
  }

  /** A size option's value as a cap: empty when it is unset (0) or means "no limit". */
  private static OptionalLong cap(String value) {
    BigInteger v = new BigInteger(value.trim());
    return v.signum() <= 0 || v.bitLength() > 50 ? OptionalLong.empty() : OptionalLong.of(v.longValueExact());
  }

  /** The resident total, when every part is capped. */
  public OptionalLong residentTotal() {
    if (metaspace.isEmpty()) return OptionalLong.empty();
    return OptionalLong.of(heap + metaspace.getAsLong() + codeCache + directBytes() + JVM_OWN_ALLOWANCE);
  }

  private long directBytes() {
    return directBuffers.orElse(heap);
  }

  /** What check-config prints: one line a part and the total, as YAML comments. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add("# the whole process may use at most (resident memory, from this JVM's limits; bin/jvm-opts sets them):");
    out.add("#   heap:            " + mib(heap) + " (-Xmx; the limits above are part of it)");
    out.add("#   metaspace:       " + metaspace.stream().mapToObj(b -> mib(b) + " (-XX:MaxMetaspaceSize)").findFirst()
        .orElse("unbounded (no -XX:MaxMetaspaceSize)"));
    out.add("#   code cache:      " + mib(codeCache) + " (-XX:ReservedCodeCacheSize)");
    out.add("#   direct buffers:  " + mib(directBytes()) + (directBuffers.isPresent()
        ? " (-XX:MaxDirectMemorySize)" : " (no -XX:MaxDirectMemorySize: as large as the heap may be)"));
    out.add("#   JVM's own:       " + mib(JVM_OWN_ALLOWANCE)
        + " (GC tables, symbols, shared classes, thread stacks, malloc arenas: an allowance, measured ~42 MiB)");
    out.add("#   resident total:  " + residentTotal().stream().mapToObj(ProcessMemoryBudget::mib).findFirst()
        .orElse("unbounded (set -XX:MaxMetaspaceSize)"));
    return out;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
