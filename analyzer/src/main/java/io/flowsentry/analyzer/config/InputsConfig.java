package io.flowsentry.analyzer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.zeek.ZeekInputConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML {@code inputs}: the NetFlow/IPFIX sockets and the Zeek files to follow.
 *
 * @param zeek files to follow; none when absent
 */
public record InputsConfig(
    @JsonProperty("netflow") UdpInputConfig netflow,
    @JsonProperty("zeek") List<ZeekInputConfig> zeek) {

  public InputsConfig {
    netflow = netflow == null ? UdpInputConfig.defaults() : netflow;
    zeek = zeek == null ? List.of() : zeek.stream().map(z -> z == null ? ZeekInputConfig.defaults() : z).toList();
  }

  public static InputsConfig defaults() {
    return new InputsConfig(null, null);
  }

  public List<String> validate(String prefix) {
    List<String> problems = new ArrayList<>(netflow.validate(prefix + ".netflow"));
    for (int i = 0; i < zeek.size(); i++) problems.addAll(zeek.get(i).validate(prefix + ".zeek[" + i + "]"));
    List<String> paths = zeek.stream().map(ZeekInputConfig::path).toList();
    for (int i = 0; i < paths.size(); i++) {
      if (paths.indexOf(paths.get(i)) < i) {
        problems.add(prefix + ".zeek[" + i + "].path: \"" + paths.get(i) + "\" (expected: each path once; it is already inputs.zeek[" + paths.indexOf(paths.get(i)) + "])");
      }
    }
    return problems;
  }
}
