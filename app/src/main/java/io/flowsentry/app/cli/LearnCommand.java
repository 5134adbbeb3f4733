package io.flowsentry.app.cli;

import io.flowsentry.analyzer.learn.AlarmLogReader;
import io.flowsentry.analyzer.learn.LearnSettings;
import io.flowsentry.analyzer.learn.Proposal;
import io.flowsentry.analyzer.learn.ProposalText;
import io.flowsentry.analyzer.learn.TrafficGroups;
import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.learn.LearnRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Proposes exception lists from the traffic that would alarm; the report is YAML (comments and pasteable lists). */
@Command(name = "learn", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Summarize, per policy, the traffic that would alarm and propose exception entries for its regular part.",
        "FILEs are Zeek conn.logs (TSV or JSON, plain or .gz), the events sink's output, dns.log files (the names"
            + " hosts resolved, read alongside in time order: would-be alarms are grouped by name too, and a name reaching"
            + " several destination networks is proposed for allowed_domains), pcap/pcapng captures of NetFlow/IPFIX/sFlow exports, and alarm logs"
            + " (alarms.log, <policy>.log, a shadow policy's log); each file's kind is told from its content.",
        "Traffic is regular when seen on --min-days days or from --min-hosts hosts; the rest is listed as the alarms you would get."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:report printed (bad lines, if any, are counted on stderr)", "1:a file could not be read",
        "2:usage error", "3:invalid configuration"})
final class LearnCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Input files (kinds above), read in the order given.")
  List<Path> files;

  @Option(names = "--min-days", paramLabel = "N", defaultValue = "3", description = "Regular: seen on at least N days (default: ${DEFAULT-VALUE}).")
  int minDays;

  @Option(names = "--min-hosts", paramLabel = "N", defaultValue = "3",
      description = "Regular: from at least N hosts; one host's service needs N destination networks (default: ${DEFAULT-VALUE}).")
  int minHosts;

  @Option(names = "--max-groups", paramLabel = "N", defaultValue = "100000",
      description = "Bound on host × service × destination-network groups; connections beyond it are counted (default: ${DEFAULT-VALUE}).")
  int maxGroups;

  @Option(names = "--v4-prefix", paramLabel = "LEN", defaultValue = "24", description = "IPv4 destination networks (default: /${DEFAULT-VALUE}).")
  int v4Prefix;

  @Option(names = "--v6-prefix", paramLabel = "LEN", defaultValue = "48", description = "IPv6 destination networks (default: /${DEFAULT-VALUE}).")
  int v6Prefix;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LearnSettings settings = new LearnSettings(minDays, minHosts, maxGroups, v4Prefix, v6Prefix);
    if (!settings.problems().isEmpty()) {
      settings.problems().forEach(p -> err.println("learn: " + p));
      err.flush();
      return ExitCodes.USAGE;
    }
    FlowsentryConfig c;
    try {
      c = config.load();
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.flush();
      return ExitCodes.INVALID_CONFIG;
    }
    LearnRun run = new LearnRun(c, settings, clock);
    List<Proposal> proposals;
    try {
      proposals = run.run(files);
    } catch (IOException e) {
      err.println("learn: " + e.getMessage());
      err.flush();
      return ExitCodes.FAILURE;
    }
    out.print(ProposalText.render(proposals, settings));
    out.flush();
    LearnRun.Read r = run.read();
    err.println("learn: " + r.events() + " connection events" + (r.captureDatagrams() > 0 ? " (" + r.captureDatagrams() + " captured datagrams)" : "")
        + (r.badLines() > 0 ? ", " + r.badLines() + " bad lines" : "")
        + (r.longNames() > 0 ? ", " + r.longNames() + " with a name over " + TrafficGroups.MAX_NAME + " characters (grouped as unnamed)" : ""));
    for (AlarmLogReader.Summary s : r.alarmLogs()) {
      err.println("learn: " + s.file() + ": " + s.alarms() + " alarms of policy " + s.policy()
          + (s.summaryLines() > 0 ? ", " + s.summaryLines() + " summary lines (alarms over max_alarms_per_minute, not listed one by one)" : "")
          + (s.badLines() > 0 ? ", " + s.badLines() + " bad lines" : ""));
      s.problems().forEach(p -> err.println("learn: " + p));
    }
    err.flush();
    return ExitCodes.OK;
  }
}
