package io.flowsentry.analyzer.alarm;

import io.flowsentry.collector.event.ConnectionEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Port numbers to service names per protocol, as Bro printed them on alarm lines
 * ({@code 192.168.4.7/netbios-ns}). The table is the bundled {@code services.tsv}, generated
 * from Debian netbase's /etc/services (see the command in its header), so the output does not
 * depend on the machine it runs on.
 */
public final class ServiceNames {
  private static final String RESOURCE = "services.tsv";
  private static final ServiceNames BUNDLED = load();

  private final Map<Integer, String> names;
  /** The reverse of {@link #names}: (name, proto) → port, for reading alarm lines back. */
  private final Map<String, Integer> ports = new HashMap<>();

  private ServiceNames(Map<Integer, String> names) {
    this.names = Map.copyOf(names);
    names.forEach((key, name) -> ports.put(name + "/" + (key & 0xFF), key >>> 8));
  }

  public static ServiceNames bundled() {
    return BUNDLED;
  }

  /** The service name of {@code port} for {@code proto}, or null when none is known. */
  public String name(int port, int proto) {
    return names.get(key(port, proto));
  }

  /** The port {@link #name} gives {@code name} for {@code proto}, or -1 when it gives it to none. */
  public int port(String name, int proto) {
    Integer port = ports.get(name + "/" + (proto & 0xFF));
    return port == null ? -1 : port;
  }

  private static int key(int port, int proto) {
    return (port << 8) | (proto & 0xFF);
  }

  private static ServiceNames load() {
    Map<Integer, String> names = new HashMap<>();
    try (InputStream in = ServiceNames.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("bundled resource " + RESOURCE + " is missing");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split("\t");
        int slash = f[0].indexOf('/');
        int proto = switch (f[0].substring(slash + 1)) {
          case "tcp" -> ConnectionEvent.TCP;
          case "udp" -> ConnectionEvent.UDP;
          default -> -1; // sctp and ddp entries are not shown by Zeek either
        };
        if (proto > 0) names.putIfAbsent(key(Integer.parseInt(f[0].substring(0, slash)), proto), f[1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ServiceNames(names);
  }
}
