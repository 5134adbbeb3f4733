package io.flowsentry.app.service;

import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's policy for a thread that ends with an exception nobody caught: the process logs
 * it and exits non-zero at once. A daemon missing its alarm writer, its tailer or its
 * /metrics thread still looks alive to a supervisor while it detects nothing; exiting lets
 * systemd ({@code Restart=on-failure}) or Docker ({@code restart: unless-stopped}) start a whole
 * one. An {@link OutOfMemoryError} is left to the JVM flag {@code -XX:+ExitOnOutOfMemoryError}
 * of the launcher, since code that catches {@code Throwable} (Netty does) would hide it from here.
 */
public final class DieOnDeadThread implements Thread.UncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DieOnDeadThread.class);
  private final IntConsumer halt;
  private final int exitCode;

  /** @param halt ends the process ({@code Runtime.getRuntime()::halt}: no shutdown hook can hang it) */
  public DieOnDeadThread(IntConsumer halt, int exitCode) {
    this.halt = halt;
    this.exitCode = exitCode;
  }

  /** Installs the policy for every thread of the process that has no handler of its own. */
  public static void install(int exitCode) {
    Thread.setDefaultUncaughtExceptionHandler(new DieOnDeadThread(Runtime.getRuntime()::halt, exitCode));
  }

  @Override
  public void uncaughtException(Thread thread, Throwable e) {
    try {
      log.error("internal thread \"{}\" died: {}; flowsentry exits with status {} so that its supervisor restarts it",
          thread.getName(), e.toString(), exitCode, e);
    } finally {
      halt.accept(exitCode);
    }
  }
}
