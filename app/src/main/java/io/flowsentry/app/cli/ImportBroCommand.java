package io.flowsentry.app.cli;

import io.flowsentry.app.config.ConfigException;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.importbro.BroScriptImporter;
import io.flowsentry.app.importbro.ConfigFileEdit;
import io.flowsentry.app.importbro.ImportProblem;
import io.flowsentry.app.importbro.PolicyYaml;
import io.flowsentry.app.importbro.ScriptText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "import-bro", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Import the restricted-outgoing Bro script's settings (its redef lines) as a flowsentry policy.",
        "Prints the policy as configuration YAML, or writes it into a configuration file (--into), keeping the file's",
        "comments. Whatever is not imported is printed as FILE:LINE: what on stderr."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:everything was imported", "1:a file cannot be read or written",
        "3:the configuration with the imported policy would not be valid (nothing written)",
        "4:something was not imported (each listed on stderr); the rest was"})
final class ImportBroCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Bro/Zeek scripts with the redefs, read in order (as Bro loads them)")
  List<Path> files;

  @Option(names = "--into", paramLabel = "CONFIG",
      description = "Write the policy into this configuration file instead of printing it: its policies section is replaced "
          + "(the old one is kept there, commented out), site.local_networks too when the scripts set Site::local_nets")
  Path into;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<ScriptText> scripts = new ArrayList<>();
    for (Path f : files) {
      try {
        // malformed UTF-8 becomes U+FFFD, which the importer reports where it stands
        scripts.add(new ScriptText(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        err.println(f + ": cannot read: " + e.getMessage());
        err.flush();
        return ExitCodes.FAILURE;
      }
    }
    BroScriptImporter.Result result = BroScriptImporter.importScripts(scripts);
    String from = String.join(" ", files.stream().map(Path::toString).toList());
    int status = ExitCodes.OK;
    if (into == null) {
      out.println("# flowsentry import-bro " + from);
      out.print(PolicyYaml.configFile(result.policy()));
    } else {
      status = writeInto(result, from, out, err);
    }
    out.flush();
    for (ImportProblem p : result.problems()) err.println(p);
    if (!result.problems().isEmpty()) {
      err.println("import-bro: " + result.problems().size() + " thing(s) not imported; the rest was");
    }
    err.flush();
    if (status != ExitCodes.OK) return status;
    return result.problems().isEmpty() ? ExitCodes.OK : ExitCodes.NOT_IMPORTED;
  }

  private int writeInto(BroScriptImporter.Result result, String from, PrintWriter out, PrintWriter err) {
    String original;
    try {
      original = Files.readString(into);
    } catch (IOException e) {
      err.println(into + ": cannot read: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    String edited;
    try {
      edited = ConfigFileEdit.apply(original, PolicyYaml.policiesSection(result.policy()), result.policy().localNetworks(), from);
    } catch (ConfigFileEdit.EditException e) {
      err.println(into + ": " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    try {
      ConfigLoader.parse(edited, into.toString()); // the same checks as check-config, before anything is written
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.println(into + ": not changed: with the imported policy it would not be a valid configuration");
      return ExitCodes.INVALID_CONFIG;
    }
    try {
      Path tmp = into.resolveSibling(into.getFileName() + ".import-bro.tmp");
      Files.writeString(tmp, edited);
      Files.move(tmp, into, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      err.println(into + ": cannot write: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
    out.println(into + ": policies replaced by the policy imported from " + from
        + " (the replaced section is kept there, commented out); check with: flowsentry check-config -c " + into);
    return ExitCodes.OK;
  }
}
