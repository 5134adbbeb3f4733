package io.flowsentry.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The parts of a flowsentry configuration file (ARCHITECTURE.md's shape) that deployment depends on. */
record ShippedConfig(JsonNode root) {
  static ShippedConfig load(String relative) {
    return new ShippedConfig(OpsFiles.yaml(relative));
  }

  List<String> netflowListen() {
    return OpsFiles.texts(root.path("inputs").path("netflow").path("listen"));
  }

  Set<Integer> netflowPorts() {
    Set<Integer> ports = new TreeSet<>();
    netflowListen().forEach(listen -> ports.add(OpsFiles.port(listen)));
    return ports;
  }

  String metricsListen() {
    return root.path("metrics").path("listen").asText();
  }

  int metricsPort() {
    return OpsFiles.port(metricsListen());
  }

  /** What the container must expose: "2055/udp" for each NetFlow port, "9464/tcp" for metrics. */
  Set<String> containerPorts() {
    Set<String> ports = new TreeSet<>();
    netflowPorts().forEach(port -> ports.add(port + "/udp"));
    ports.add(metricsPort() + "/tcp");
    return ports;
  }

  List<String> zeekPaths() {
    List<String> out = new ArrayList<>();
    root.path("inputs").path("zeek").forEach(input -> out.add(input.path("path").asText()));
    return out;
  }

  String logDir() {
    return root.path("outputs").path("log_dir").asText();
  }

  String stateDir() {
    return root.path("state_dir").asText();
  }

  /** Every key path, list elements written as "[]": "inputs.zeek[].path". */
  static Set<String> keyPaths(JsonNode node) {
    Set<String> out = new TreeSet<>();
    collect(node, "", out);
    return out;
  }

  private static void collect(JsonNode node, String prefix, Set<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        out.add(path);
        collect(e.getValue(), path, out);
      });
    } else if (node.isArray()) {
      node.forEach(element -> collect(element, prefix + "[]", out));
    }
  }
}
