package io.flowsentry.app.cli;

import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.service.ProcessMemoryBudget;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Validate a configuration and print the effective configuration (defaults filled in).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid", "3:invalid (every problem is printed)"})
final class CheckConfigCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      FlowsentryConfig c = config.load();
      out.println("# " + config.path() + ": valid; effective configuration:");
      out.print(ConfigLoader.toYaml(c));
      long maxHeap = Runtime.getRuntime().maxMemory();
      c.inputs().netflow().limits().budgetLines("inputs.netflow.limits", maxHeap).forEach(out::println);
      ProcessMemoryBudget.ofThisJvm().lines().forEach(out::println);
      out.flush();
      RunCommand.heapProblems(c).forEach(p -> err.println(config.path() + ": " + p + " (run refuses to start)"));
      err.flush();
      return ExitCodes.OK;
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.flush();
      return ExitCodes.INVALID_CONFIG;
    }
  }
}
