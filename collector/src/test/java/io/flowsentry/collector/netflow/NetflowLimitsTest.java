package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetflowLimitsTest {

  private static final long MIB = 1 << 20;

  @Test
  void theWorstCaseIsTheStoreCappedByMaxStateBytesPlusEveryExportersCounters() {
    NetflowLimits d = NetflowLimits.defaults();
    assertEquals(64 * MIB, d.maxStoreBytes(), "1024 exporters x 2 MiB, capped at max_state_bytes");
    assertEquals(64 * MIB + 1024L * NetflowLimits.EXPORTER_STATE_BYTES, d.maxHeapBytes());
    NetflowLimits few = new NetflowLimits(4, null, null, null, null, null, null, null, null, null, null);
    assertEquals(4 * (2 * MIB + NetflowLimits.TEMPLATE_STORE_EXPORTER_BYTES), few.maxStoreBytes(), "below the cap");
  }

  @Test
  void limitsTheHeapCannotHoldAreAProblemNamingWhatToChange() {
    NetflowLimits d = NetflowLimits.defaults();
    assertEquals(List.of(), d.checkHeap("inputs.netflow.limits", 256 * MIB), "the README's 256 MB Serial heap holds the defaults");
    List<String> problems = d.checkHeap("inputs.netflow.limits", 128 * MIB);
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("inputs.netflow.limits: these limits let exporter state grow to 80.0 MiB, more than"
        + " the collector may claim of this JVM's heap (64.0 MiB, half of -Xmx 128.0 MiB): lower max_state_bytes"), problems.get(0));
  }

  @Test
  void newKeysAreValidated() {
    NetflowLimits bad = new NetflowLimits(null, null, 0, null, null, null, -1L, null, null, "later", null);
    assertEquals(List.of("l.max_template_bytes_per_exporter: 0 (expected: a positive integer)",
        "l.max_state_bytes: -1 (expected: a positive integer)"), bad.validate("l").subList(0, 2));
    assertTrue(bad.validate("l").get(2).startsWith("l.exporter_timeout: "), bad.validate("l").toString());
  }
}
