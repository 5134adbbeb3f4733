package io.flowsentry.cluster.write;

import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.core.AlarmRateCap;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.cluster.wire.AlarmCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code max_alarms_per_minute} for the whole group, applied where every alarm passes: the alarm
 * writer. One {@link AlarmRateCap} per policy, on the writer's event clock (the newest alarm time
 * it has read, so minutes are event-time minutes as on one node); the cap itself comes with each
 * alarm record (the analyzer's policy). Saved with the writer's position ({@link #state}): a
 * restart re-reads the records after the saved offsets with the caps as they were there, so it
 * admits and summarizes exactly what the first run did.
 */
final class GroupRateCaps {
  private final Map<String, AlarmRateCap> caps = new TreeMap<>();
  private final Map<String, PolicyMode> modes = new TreeMap<>();
  private long clock = Long.MIN_VALUE;

  /** What {@link #state} saved: the clock and, per policy, its mode and cap. */
  record Saved(long clock, Map<String, PolicyMode> modes, Map<String, AlarmRateCap.State> caps) {
    static final Saved NONE = new Saved(Long.MIN_VALUE, Map.of(), Map.of());
  }

  static GroupRateCaps restore(Saved s) {
    GroupRateCaps g = new GroupRateCaps();
    g.clock = s.clock();
    g.modes.putAll(s.modes());
    s.caps().forEach((policy, state) -> g.caps.put(policy, AlarmRateCap.of(state)));
    return g;
  }

  Saved state() {
    Map<String, AlarmRateCap.State> states = new TreeMap<>();
    caps.forEach((policy, cap) -> states.put(policy, cap.state()));
    return new Saved(clock, new TreeMap<>(modes), states);
  }

  /** Whether the alarm is written one by one; false: counted for its policy's summary. */
  boolean admit(AlarmCodec.DecodedAlarm a) {
    clock = Math.max(clock, a.alarm().event().tsMicros());
    String policy = a.alarm().policy();
    AlarmRateCap cap = caps.computeIfAbsent(policy, p -> new AlarmRateCap(a.maxPerMinute()));
    cap.reconfigure(a.maxPerMinute());
    modes.put(policy, a.alarm().mode()); // a summary says the mode the policy had when it last alarmed
    return cap.admit(clock);
  }

  /** The summaries of minutes over a cap that ended by the clock; each alarm is in one summary only. */
  List<AlarmSummary> endedSummaries() {
    List<AlarmSummary> out = new ArrayList<>();
    for (var c : caps.entrySet()) {
      Optional<AlarmSummary> s = c.getValue().takeSummary(c.getKey(), modes.get(c.getKey()), clock, false);
      s.ifPresent(out::add);
    }
    return out;
  }
}
