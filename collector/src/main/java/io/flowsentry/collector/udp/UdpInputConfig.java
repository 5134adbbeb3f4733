package io.flowsentry.collector.udp;

import io.flowsentry.collector.event.Cidr;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML {@code inputs.netflow}: where export datagrams are received and from whom. Every socket
 * accepts NetFlow v5, v9, IPFIX and sFlow v5 alike (the version field decides), so the three
 * default ports (2055, 4739, 6343) are only the customary ones.
 *
 * @param listen addresses to bind; an empty list turns the NetFlow/IPFIX/sFlow input off
 * @param allowedExporters CIDRs (or single addresses) whose datagrams are accepted; empty = any
 * @param receiveBuffer SO_RCVBUF asked for each socket, in bytes; Linux caps it at
 *     {@code net.core.rmem_max} (a shortfall is logged once at start-up)
 * @param socketsPerAddress SO_REUSEPORT sockets bound per address on Linux (epoll), one per
 *     event-loop thread; null = one per available processor. Elsewhere one socket per address.
 * @param limits bounds on per-exporter decoding state
 * @param decapsulation {@code none} or {@code srv6}: where a sampled packet's flow key comes from
 *     ({@link Decapsulation})
 * @param warmUp how long, at most, synthetic datagrams go through the receive path and decoders
 *     before the sockets are bound (a duration; {@code 0s} = none), so that the first real ones
 *     meet compiled code
 */
public record UdpInputConfig(
    @JsonProperty("listen") List<String> listen,
    @JsonProperty("allowed_exporters") List<String> allowedExporters,
    @JsonProperty("receive_buffer") Integer receiveBuffer,
    @JsonProperty("sockets_per_address") Integer socketsPerAddress,
    @JsonProperty("limits") NetflowLimits limits,
    @JsonProperty("decapsulation") String decapsulation,
    @JsonProperty("warm_up") String warmUp) {

  public static final int DEFAULT_RECEIVE_BUFFER = 16 << 20;
  /** How long, at most, the daemon runs synthetic datagrams through its decoders before it binds the sockets. */
  public static final String DEFAULT_WARM_UP = "3s";
  /** A longer warm-up buys nothing: the decoders are compiled within the first second or two. */
  public static final Duration MAX_WARM_UP = Duration.ofSeconds(60);
  /** Above this many sockets per address the kernel's REUSEPORT hashing gains nothing on any host we target. */
  public static final int MAX_SOCKETS_PER_ADDRESS = 256;

  public UdpInputConfig {
    listen = listen == null ? List.of("0.0.0.0:2055", "0.0.0.0:4739", "0.0.0.0:6343") : List.copyOf(listen);
    allowedExporters = allowedExporters == null ? List.of() : List.copyOf(allowedExporters);
    receiveBuffer = receiveBuffer == null ? DEFAULT_RECEIVE_BUFFER : receiveBuffer;
    socketsPerAddress = socketsPerAddress == null ? Runtime.getRuntime().availableProcessors() : socketsPerAddress;
    limits = limits == null ? NetflowLimits.defaults() : limits;
    decapsulation = decapsulation == null ? Decapsulation.NONE.configName() : decapsulation;
    warmUp = warmUp == null ? DEFAULT_WARM_UP : warmUp;
  }

  public static UdpInputConfig defaults() {
    return new UdpInputConfig(null, null, null, null, null, null, null);
  }

  /** The listen addresses, parsed; call after {@link #validate} found no problem. */
  public List<ListenAddress> listenAddresses() {
    return listen.stream().map(ListenAddress::parse).toList();
  }

  /** The decapsulation setting, parsed; call after {@link #validate} found no problem. */
  public Decapsulation decapsulationMode() {
    return Decapsulation.parse(decapsulation);
  }

  /** The warm-up bound, parsed; call after {@link #validate} found no problem. Zero: no warm-up. */
  public Duration warmUpDuration() {
    return Durations.parse(warmUp);
  }

  /** Every problem at once, each naming its key under {@code prefix} (e.g. "inputs.netflow"). */
  public List<String> validate(String prefix) {
    List<String> problems = new ArrayList<>();
    List<ListenAddress> seen = new ArrayList<>();
    for (int i = 0; i < listen.size(); i++) {
      String text = listen.get(i);
      try {
        ListenAddress a = ListenAddress.parse(text);
        if (seen.contains(a) && a.port() != 0) {
          problems.add(prefix + ".listen[" + i + "]: \"" + text + "\" (expected: each address once)");
        }
        seen.add(a);
      } catch (IllegalArgumentException e) {
        problems.add(prefix + ".listen[" + i + "]: \"" + text + "\" (expected: " + ListenAddress.EXPECTED + ")");
      }
    }
    for (int i = 0; i < allowedExporters.size(); i++) {
      String text = allowedExporters.get(i);
      try {
        Cidr.parse(text);
      } catch (IllegalArgumentException e) {
        problems.add(prefix + ".allowed_exporters[" + i + "]: \"" + text + "\" (expected: " + Cidr.EXPECTED + ")");
      }
    }
    if (receiveBuffer <= 0) {
      problems.add(prefix + ".receive_buffer: " + receiveBuffer + " (expected: a positive number of bytes, e.g. 16777216)");
    }
    if (socketsPerAddress <= 0 || socketsPerAddress > MAX_SOCKETS_PER_ADDRESS) {
      problems.add(prefix + ".sockets_per_address: " + socketsPerAddress + " (expected: 1-" + MAX_SOCKETS_PER_ADDRESS + ")");
    }
    try {
      Decapsulation.parse(decapsulation);
    } catch (IllegalArgumentException e) {
      problems.add(prefix + ".decapsulation: \"" + decapsulation + "\" (expected: " + Decapsulation.EXPECTED + ")");
    }
    try {
      if (Durations.parse(warmUp).compareTo(MAX_WARM_UP) > 0) {
        problems.add(prefix + ".warm_up: \"" + warmUp + "\" (expected: at most " + Durations.format(MAX_WARM_UP) + "; 0s = none)");
      }
    } catch (IllegalArgumentException e) {
      problems.add(prefix + ".warm_up: " + e.getMessage());
    }
    problems.addAll(limits.validate(prefix + ".limits"));
    return problems;
  }
}
