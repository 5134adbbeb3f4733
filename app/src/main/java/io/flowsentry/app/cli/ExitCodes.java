package io.flowsentry.app.cli;

/** Exit codes of every command (README, "Two commands"). */
final class ExitCodes {
  static final int OK = 0;
  /** A runtime failure: a port in use, an unreadable file. */
  static final int FAILURE = 1;
  /** Unknown option or missing argument (picocli's own code). */
  static final int USAGE = 2;
  /** The configuration is invalid; every problem was printed. */
  static final int INVALID_CONFIG = 3;
  /** import-bro: something in the scripts was not imported; each was printed as FILE:LINE: what. */
  static final int NOT_IMPORTED = 4;

  private ExitCodes() {}
}
