package io.flowsentry.analyzer.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for what a daemon under test does on its own threads or in its own process, bounded in time. */
public final class Await {
  private Await() {}

  /** Polls {@code condition} every 50 ms; fails naming {@code what} once {@code timeout} has passed. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) fail("timed out after " + timeout + " waiting until " + what);
      Thread.sleep(50);
    }
  }
}
