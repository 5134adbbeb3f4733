package io.flowsentry.app.service;

/** What {@code flowsentry run} drives, whatever it runs: SIGHUP reloads, SIGTERM closes. */
public interface Service extends AutoCloseable {
  /** Re-reads the configuration; returns the problems that stopped the reload, empty when it took effect. */
  java.util.List<String> reload();

  /** Stops cleanly; safe to call more than once. */
  @Override
  void close();
}
