package io.flowsentry.app.cli;

import io.netty.util.ResourceLeakDetector;
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
    // Netty's leak detector (default: sample 1 buffer in 128) records a stack trace per sampled
    // buffer on the receive path: 1-2 % of the event loop's time at 200k datagrams/s (perf), and
    // a branch the warm-up rarely takes. Every buffer here is released in one place
    // (InboundDatagramHandler); the tests run with the detector on. -Dio.netty.leakDetection.level
    // still sets it.
    if (System.getProperty("io.netty.leakDetection.level") == null) ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new FlowsentryCommand());
  }
}
