package io.flowsentry.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `flowsentry decode --pcap FILE...` in-process with an empty configuration: exit code, JSON lines, messages. */
record DecodeRun(int code, List<String> lines, List<String> messages) {

  /** {@code decode --pcap FIRST --pcap SECOND ...}, the empty configuration written into {@code workDir}. */
  static DecodeRun of(Path workDir, Path... pcaps) throws IOException {
    Path config = workDir.resolve("empty.yml");
    Files.writeString(config, "");
    List<String> args = new ArrayList<>(List.of("decode", "-c", config.toString()));
    for (Path pcap : pcaps) args.addAll(List.of("--pcap", pcap.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = FlowsentryCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args.toArray(String[]::new));
    return new DecodeRun(code, out.toString().lines().toList(), err.toString().lines().toList());
  }

  long optionsLines() {
    return lines.stream().filter(l -> l.contains("\"options\":true")).count();
  }
}
