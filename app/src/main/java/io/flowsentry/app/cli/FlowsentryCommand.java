package io.flowsentry.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "flowsentry", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Alarms when hosts in restricted networks talk to the Internet, from NetFlow v5/v9, IPFIX and Zeek conn.log."},
    subcommands = {RunCommand.class, CheckConfigCommand.class, ReplayCommand.class, DecodeCommand.class, DemoCommand.class,
        ExplainCommand.class, LearnCommand.class, ImportBroCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:runtime failure", "2:usage error", "3:invalid configuration",
        "4:import-bro: something was not imported"})
public final class FlowsentryCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new FlowsentryCommand());
  }
}
