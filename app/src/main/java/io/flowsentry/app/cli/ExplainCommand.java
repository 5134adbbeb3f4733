package io.flowsentry.app.cli;

import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.analyzer.explain.Moment;
import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.explain.DaemonExplainClient;
import io.flowsentry.app.explain.LocalExplain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Says per policy whether a connection would alarm and why. Asks the daemon running with the
 * configuration first ({@code GET /explain} on its metrics address, loopback), which knows the
 * live names and suppression; when none answers, evaluates locally with the same code and says so.
 * Whether the connection would alarm does not change the exit code: 0 means "evaluated", and a
 * script reads {@code alarms} from {@code --json}.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Say for each policy whether a connection would alarm and why: restricted network hit,"
        + " responder local or not, which exception entry matched, the addresses hostnames stand for,"
        + " and (from a running daemon) whether the key is suppressed and until when.",
        "The daemon running with CONFIG is asked first (GET /explain on its metrics address);"
            + " when it does not answer, the connection is evaluated locally and a line says so."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:evaluated (whether it would alarm or not: see the output, or \"alarms\" in --json)",
        "1:the daemon answered with an error, or a --dns-log file could not be read", "2:usage error (a bad address, PORT/PROTO or TIME)",
        "3:invalid configuration"})
final class ExplainCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ORIG", description = "Originator address (IPv4 or IPv6).")
  String orig;

  @Parameters(index = "1", paramLabel = "RESP", description = "Responder address.")
  String resp;

  @Parameters(index = "2", paramLabel = "PORT/PROTO", description = "Responder port and protocol: 443/tcp, 53/udp, 3/icmp.")
  String service;

  @Option(names = "--at", paramLabel = "TIME",
      description = "The moment for names and suppression: " + Moment.EXPECTED
          + " (default: now; for a running daemon, its event clock).")
  String at;

  @Option(names = "--json", description = "Print JSON (snake_case keys) instead of text.")
  boolean json;

  @Option(names = "--local", description = "Do not ask a running daemon; evaluate with this configuration alone.")
  boolean local;

  @Option(names = "--dns-log", paramLabel = "FILE",
      description = "For local evaluation: a Zeek dns.log (repeatable) whose answers count as what hosts resolved,"
          + " for allowed_domains and hostname pairs (a running daemon uses what it has followed).")
  List<Path> dnsLogs = new ArrayList<>();

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FlowsentryConfig c;
    try {
      c = config.load();
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.flush();
      return ExitCodes.INVALID_CONFIG;
    }
    Long atMicros;
    Connection connection;
    try {
      atMicros = at == null ? null : Moment.parseMicros(at);
      connection = Connection.parse(orig, resp, service, atMicros == null ? clock.millis() * 1000 : atMicros);
    } catch (IllegalArgumentException e) {
      err.println("explain: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    Explanation e;
    DaemonExplainClient.Result asked = local ? null : DaemonExplainClient.ask(c.metrics(), connection, atMicros);
    if (asked != null && asked.explanation().isPresent()) {
      e = asked.explanation().get();
    } else if (asked != null && asked.error().isPresent()) {
      err.println("explain: " + asked.error().get());
      err.flush();
      return ExitCodes.FAILURE;
    } else {
      if (asked != null) {
        err.println("explain: " + asked.unreachable() + "; evaluating locally (no live suppression"
            + (dnsLogs.isEmpty() ? ", no dns.log names; see --dns-log)" : ")"));
      }
      try {
        e = LocalExplain.explain(c, connection, clock, dnsLogs);
      } catch (IOException ex) {
        err.println("explain: " + ex.getMessage());
        err.flush();
        return ExitCodes.FAILURE;
      }
    }
    out.print(json ? io.flowsentry.analyzer.explain.ExplanationJson.write(e)
        : io.flowsentry.analyzer.explain.ExplanationText.render(e));
    out.flush();
    err.flush();
    return ExitCodes.OK;
  }
}
