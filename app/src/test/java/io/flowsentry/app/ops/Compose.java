package io.flowsentry.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** docker/docker-compose.yml's short-syntax volumes and ports, read as Docker Compose reads them. */
final class Compose {
  static final String FILE = "docker/docker-compose.yml";

  /** "source:target[:mode]"; a source may be "${VAR:-default}", whose colon is not a separator. */
  record Mount(String source, String target, boolean readOnly) {
    static Mount parse(String spec) {
      int sourceEnd = spec.startsWith("${") ? spec.indexOf('}') + 1 : spec.indexOf(':');
      String source = spec.substring(0, sourceEnd);
      String[] rest = spec.substring(sourceEnd + 1).split(":");
      return new Mount(source, rest[0], rest.length > 1 && rest[1].contains("ro"));
    }

    boolean fromHostPath() {
      return source.startsWith(".") || source.startsWith("/");
    }

    boolean fromVariable() {
      return source.startsWith("${");
    }
  }

  /** "[ip:][host:]container[/protocol]" → the container side. */
  record Port(int container, String protocol) {
    static Port parse(String spec) {
      String[] portAndProtocol = spec.split("/");
      String[] parts = portAndProtocol[0].split(":");
      return new Port(Integer.parseInt(parts[parts.length - 1]), portAndProtocol.length > 1 ? portAndProtocol[1] : "tcp");
    }

    @Override
    public String toString() {
      return container + "/" + protocol;
    }
  }

  private final JsonNode root = OpsFiles.yaml(FILE);

  JsonNode root() {
    return root;
  }

  JsonNode service(String name) {
    return root.path("services").path(name);
  }

  List<Mount> mounts(String service) {
    List<Mount> out = new ArrayList<>();
    service(service).path("volumes").forEach(v -> out.add(Mount.parse(v.asText())));
    return out;
  }

  Optional<Mount> mountOf(String service, String source) {
    return mounts(service).stream().filter(m -> m.source().equals(source)).findFirst();
  }

  List<Port> ports(String service) {
    List<Port> out = new ArrayList<>();
    service(service).path("ports").forEach(p -> out.add(Port.parse(p.asText())));
    return out;
  }
}
