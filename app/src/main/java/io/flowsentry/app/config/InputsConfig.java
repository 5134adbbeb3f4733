package io.flowsentry.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.zeek.ZeekInputConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML {@code inputs}: the NetFlow/IPFIX sockets and the Zeek files to follow.
 *
 * @param zeek conn.log files to follow; none when absent
 * @param zeekDns dns.log files to follow for the passive DNS table (same keys as {@code zeek}); none when absent
 */
public record InputsConfig(
    @JsonProperty("netflow") UdpInputConfig netflow,
    @JsonProperty("zeek") List<ZeekInputConfig> zeek,
    @JsonProperty("zeek_dns") List<ZeekInputConfig> zeekDns) {

  public InputsConfig {
    netflow = netflow == null ? UdpInputConfig.defaults() : netflow;
    zeek = zeek == null ? List.of() : zeek.stream().map(z -> z == null ? ZeekInputConfig.defaults() : z).toList();
    zeekDns = zeekDns == null ? List.of() : zeekDns.stream().map(z -> z == null ? ZeekInputConfig.of("") : z).toList();
  }

  public static InputsConfig defaults() {
    return new InputsConfig(null, null, null);
  }

  public List<String> validate(String prefix) {
    List<String> problems = new ArrayList<>(netflow.validate(prefix + ".netflow"));
    for (int i = 0; i < zeek.size(); i++) problems.addAll(zeek.get(i).validate(prefix + ".zeek[" + i + "]"));
    for (int i = 0; i < zeekDns.size(); i++) problems.addAll(zeekDns.get(i).validate(prefix + ".zeek_dns[" + i + "]"));
    // one checkpoint per path: a path may be followed once, as conn.log or as dns.log
    List<String> keys = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < zeek.size(); i++) {
      keys.add(prefix + ".zeek[" + i + "]");
      paths.add(zeek.get(i).path());
    }
    for (int i = 0; i < zeekDns.size(); i++) {
      keys.add(prefix + ".zeek_dns[" + i + "]");
      paths.add(zeekDns.get(i).path());
    }
    for (int i = 0; i < paths.size(); i++) {
      int first = paths.indexOf(paths.get(i));
      if (first < i) {
        problems.add(keys.get(i) + ".path: \"" + paths.get(i) + "\" (expected: each path once; it is already " + keys.get(first) + ")");
      }
    }
    return problems;
  }
}
