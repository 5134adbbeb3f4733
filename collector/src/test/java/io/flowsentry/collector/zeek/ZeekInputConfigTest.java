package io.flowsentry.collector.zeek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeekInputConfigTest {
  @Test
  void defaultsFillWhatIsLeftOut() throws Exception {
    ZeekInputConfig c = new ObjectMapper().readValue("{\"path\":\"/opt/zeek/logs/current/conn.log\"}", ZeekInputConfig.class);
    assertEquals("end", c.startAt());
    assertFalse(c.backfill());
    assertEquals(Duration.ofMillis(250), c.pollIntervalDuration());
    assertEquals(List.of(), c.validate("inputs.zeek[0]"));
    assertFalse(c.isGlob());
    assertTrue(ZeekInputConfig.of("/sensors/*/conn.log").isGlob());
    assertEquals(List.of(), ZeekInputConfig.defaults().validate("inputs.zeek[0]"));
  }

  @Test
  void readsEveryKey() throws Exception {
    ZeekInputConfig c = new ObjectMapper().readValue(
        "{\"path\":\"/z/conn.log\",\"start_at\":\"beginning\",\"backfill\":true,\"poll_interval\":\"1s\"}", ZeekInputConfig.class);
    assertTrue(c.startAtBeginning());
    assertTrue(c.backfill());
    assertEquals(Duration.ofSeconds(1), c.pollIntervalDuration());
  }

  @Test
  void reportsEveryProblemWithItsKey() {
    assertEquals(List.of(
        "inputs.zeek[1].path: \"\" (expected: a file or glob such as /opt/zeek/logs/current/conn.log)",
        "inputs.zeek[1].start_at: middle (expected: end or beginning)",
        "inputs.zeek[1].poll_interval: soon (expected: a duration such as 250ms or 1s)"),
        new ZeekInputConfig("", "middle", null, "soon").validate("inputs.zeek[1]"));
    assertEquals(List.of("inputs.zeek[0].poll_interval: 0ms (expected: a duration from 1ms to 10m)"),
        new ZeekInputConfig("/z/conn.log", null, null, "0ms").validate("inputs.zeek[0]"));
  }
}
