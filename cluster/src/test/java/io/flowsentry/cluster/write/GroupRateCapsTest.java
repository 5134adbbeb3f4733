package io.flowsentry.cluster.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.collector.event.ConnectionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupRateCapsTest {
  private static final long T0 = 1_764_547_200_000_000L; // a minute's start
  @TempDir Path dir;

  private static AlarmCodec.DecodedAlarm alarm(String policy, double seconds, int port, long cap, PolicyMode mode) {
    ConnectionEvent e = ConnectionEvent.builder().tsMicros(T0 + Math.round(seconds * 1e6)).origH("192.168.4.7").origP(40000)
        .respH("203.0.113.9").respP(port).proto(6).build();
    return new AlarmCodec.DecodedAlarm("id", new Alarm(policy, "UnexpectedOutgoingConnection", "n", e, Duration.ofSeconds(60), null, mode),
        null, cap);
  }

  @Test
  void capsEachPolicyPerEventMinuteAndSummarizesOnceTheMinuteEnded() {
    GroupRateCaps caps = new GroupRateCaps();
    List<Boolean> admitted = new ArrayList<>();
    for (int port = 1; port <= 5; port++) admitted.add(caps.admit(alarm("p", port, port, 2, PolicyMode.ENFORCE)));
    admitted.add(caps.admit(alarm("uncapped", 6, 6, 0, PolicyMode.ENFORCE)));
    assertEquals(List.of(true, true, false, false, false, true), admitted);
    assertEquals(List.of(), caps.endedSummaries(), "minute 0 has not ended");
    assertEquals(true, caps.admit(alarm("p", 61, 7, 2, PolicyMode.ENFORCE)), "a new minute");
    List<AlarmSummary> s = caps.endedSummaries();
    assertEquals(1, s.size());
    assertEquals(3, s.get(0).count());
    assertEquals(T0 + 60_000_000, s.get(0).endMicros());
    assertEquals(List.of(), caps.endedSummaries(), "each alarm in one summary only");
  }

  @Test
  void aRestoredStateDecidesAsTheFirstRunDid() throws Exception {
    GroupRateCaps first = new GroupRateCaps();
    for (int port = 1; port <= 3; port++) first.admit(alarm("p", port, port, 2, PolicyMode.SHADOW));
    // through the state file, as across a writer restart
    Path file = dir.resolve(AlarmWriterState.FILE_NAME);
    new AlarmWriterState("t", Map.of(0, 3L), Map.of(), first.state()).save(file);
    GroupRateCaps again = GroupRateCaps.restore(AlarmWriterState.load(file, "t").rateCaps());
    for (GroupRateCaps c : List.of(first, again)) {
      assertEquals(false, c.admit(alarm("p", 4, 4, 2, PolicyMode.SHADOW)), "the cap of minute 0 is used up");
      assertEquals(true, c.admit(alarm("p", 65, 5, 2, PolicyMode.SHADOW)));
      List<AlarmSummary> s = c.endedSummaries();
      assertEquals(List.of(2L), s.stream().map(AlarmSummary::count).toList());
      assertEquals(PolicyMode.SHADOW, s.get(0).mode());
    }
  }
}
