package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code run} refuses before it starts: bounded state the heap cannot hold. */
class HeapProblemsTest {
  private static final long MIB = 1 << 20;

  private static FlowsentryConfig config(String yaml) throws Exception {
    return ConfigLoader.parse(yaml, "test.yml");
  }

  @Test
  void theShippedDefaultsFitTheLaunchersHeapWithDnsLogFollowed() throws Exception {
    FlowsentryConfig c = config("inputs:\n  zeek_dns:\n    - path: /tmp/dns.log\n");
    assertEquals(List.of(), RunCommand.heapProblems(c, 176 * MIB));
  }

  @Test
  void aPassiveDnsTableOverAQuarterOfTheHeapIsRefusedNamingItsKey() throws Exception {
    FlowsentryConfig c = config("inputs:\n  zeek_dns:\n    - path: /tmp/dns.log\nsite:\n  passive_dns:\n    max_memory: 64MB\n");
    List<String> problems = RunCommand.heapProblems(c, 176 * MIB);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.getFirst().startsWith("site.passive_dns.max_memory: the passive DNS table may grow to 64.0 MiB,"
        + " more than it may claim of this JVM's heap (44.0 MiB, a quarter of -Xmx 176.0 MiB)"), problems.getFirst());
    assertTrue(problems.getFirst().contains("FLOWSENTRY_MAX_HEAP"), problems.getFirst());
  }

  @Test
  void withoutDnsLogTheTableNeverGrowsAndIsNotCounted() throws Exception {
    FlowsentryConfig c = config("site:\n  passive_dns:\n    max_memory: 1GB\n");
    assertEquals(List.of(), RunCommand.heapProblems(c, 176 * MIB));
  }

  @Test
  void collectorLimitsOverHalfTheHeapAreRefused() throws Exception {
    List<String> problems = RunCommand.heapProblems(config("inputs:\n  netflow:\n    listen: [\"127.0.0.1:0\"]\n"), 128 * MIB);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.getFirst().startsWith("inputs.netflow.limits: "), problems.getFirst());
  }
}
