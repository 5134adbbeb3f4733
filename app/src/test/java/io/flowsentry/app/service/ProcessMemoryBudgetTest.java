package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessMemoryBudgetTest {
  private static final long MIB = 1L << 20;

  @Test
  void theResidentTotalIsTheSumOfTheCapsAndTheJvmsOwnAllowance() {
    ProcessMemoryBudget b = new ProcessMemoryBudget(176 * MIB, OptionalLong.of(64 * MIB), 48 * MIB, OptionalLong.of(64 * MIB));
    assertEquals(OptionalLong.of((176 + 64 + 48 + 64 + 64) * MIB), b.residentTotal());
    assertEquals("#   resident total:  416.0 MiB", b.lines().getLast());
    assertEquals("#   metaspace:       64.0 MiB (-XX:MaxMetaspaceSize)", b.lines().get(2));
  }

  @Test
  void anUncappedMetaspaceHasNoTotal() {
    ProcessMemoryBudget b = new ProcessMemoryBudget(176 * MIB, OptionalLong.empty(), 48 * MIB, OptionalLong.of(64 * MIB));
    assertTrue(b.residentTotal().isEmpty());
    assertEquals("#   resident total:  unbounded (set -XX:MaxMetaspaceSize)", b.lines().getLast());
  }

  @Test
  void directBuffersWithoutTheirOwnCapMayGrowAsLargeAsTheHeap() {
    ProcessMemoryBudget b = new ProcessMemoryBudget(100 * MIB, OptionalLong.of(10 * MIB), 10 * MIB, OptionalLong.empty());
    assertEquals(OptionalLong.of((100 + 10 + 10 + 100 + 64) * MIB), b.residentTotal());
    assertTrue(b.lines().get(4).contains("100.0 MiB (no -XX:MaxDirectMemorySize"), b.lines().get(4));
  }

  @Test
  void readsTheLimitsOfThisJvm() {
    ProcessMemoryBudget b = ProcessMemoryBudget.ofThisJvm();
    assertEquals(Runtime.getRuntime().maxMemory(), b.heap());
    assertTrue(b.codeCache() > 0, "ReservedCodeCacheSize");
  }
}
