package io.flowsentry.analyzer.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Maven project version). */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Version.class.getPackage().getImplementationVersion();
    return new String[] {"flowsentry " + (v == null ? "development build" : v),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
  }
}
