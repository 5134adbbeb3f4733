package io.flowsentry.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the flowsentry command line, with its exit code and what it printed. */
record CliRun(int code, String out, String err) {
  static CliRun run(String... args) {
    return run(FlowsentryCommand.commandLine(), args);
  }

  /** The same for a command set up by the test (e.g. with a fixed clock). */
  static CliRun run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
