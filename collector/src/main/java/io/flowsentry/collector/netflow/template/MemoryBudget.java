package io.flowsentry.collector.netflow.template;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap bytes all exporters' templates and held data may take together
 * ({@code limits.max_state_bytes}). Charged before an entry is stored, released when it goes.
 */
final class MemoryBudget {

  private final long max;
  private final AtomicLong used = new AtomicLong();

  MemoryBudget(long max) {
    this.max = max;
  }

  /** Charges {@code bytes} when they fit; false (nothing charged) when they do not. */
  boolean tryCharge(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > max) return false;
      if (used.compareAndSet(now, now + bytes)) return true;
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }
}
