package io.flowsentry.app.importbro;

/**
 * Something in a Bro/Zeek script that was not imported, where it is: printed as
 * {@code FILE:LINE: what}, the form compilers use, so editors jump to it.
 *
 * @param line 1-based; 0 when the problem is about the files as a whole
 */
public record ImportProblem(String file, int line, String what) {
  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ": " + what : file + ": " + what;
  }
}
