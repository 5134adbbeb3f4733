package io.flowsentry.collector.udp;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/** One warning per interval for a recurring problem, saying how many were not logged in between. */
final class RateLimitedLog {
  private final Logger log;
  private final Clock clock;
  private final long intervalMillis;
  private final AtomicLong nextMillis = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder suppressed = new LongAdder();

  RateLimitedLog(Logger log, Clock clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  void warn(String message, Object sender, Throwable cause) {
    long now = clock.millis();
    long next = nextMillis.get();
    if (now < next || !nextMillis.compareAndSet(next, now + intervalMillis)) {
      suppressed.increment();
      return;
    }
    long skipped = suppressed.sumThenReset();
    log.warn("{} from {}{}", message, sender, skipped == 0 ? "" : " (" + skipped + " more since the last report)", cause);
  }
}
