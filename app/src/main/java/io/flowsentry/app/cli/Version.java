package io.flowsentry.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The Maven project version the build carries. It comes from a resource that Maven filters
 * (not the jar manifest), so the same answer holds from the jar and from a classes folder.
 */
final class Version implements IVersionProvider {
  private static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"flowsentry " + projectVersion(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
  }

  static String projectVersion() {
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the build");
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }
}
