package io.flowsentry.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.udp.ListenAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** YAML {@code metrics}: where /metrics and /healthz are served. */
public record MetricsConfig(@JsonProperty("listen") String listen) {

  public MetricsConfig {
    listen = listen == null ? "127.0.0.1:9464" : listen;
  }

  public static MetricsConfig defaults() {
    return new MetricsConfig(null);
  }

  public InetSocketAddress address() {
    return ListenAddress.parse(listen).toSocketAddress();
  }

  public List<String> validate(String prefix) {
    List<String> problems = new ArrayList<>();
    try {
      ListenAddress.parse(listen);
    } catch (IllegalArgumentException e) {
      problems.add(prefix + ".listen: \"" + listen + "\" (expected: " + ListenAddress.EXPECTED + ")");
    }
    return problems;
  }
}
