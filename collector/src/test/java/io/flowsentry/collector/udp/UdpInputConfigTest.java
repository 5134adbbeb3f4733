package io.flowsentry.collector.udp;

import io.flowsentry.collector.event.Cidr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.NetflowLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpInputConfigTest {
  @Test
  void defaultsListenOnBothCustomaryPortsForAnyExporter() {
    UdpInputConfig c = UdpInputConfig.defaults();
    assertEquals(List.of(ListenAddress.parse("0.0.0.0:2055"), ListenAddress.parse("0.0.0.0:4739"), ListenAddress.parse("0.0.0.0:6343")),
        c.listenAddresses());
    assertTrue(c.allowedExporters().isEmpty());
    assertEquals(16 << 20, c.receiveBuffer());
    assertEquals(Runtime.getRuntime().availableProcessors(), c.socketsPerAddress());
    assertEquals(List.of(), c.validate("inputs.netflow"));
  }

  @Test
  void ipv6ListenAddressesAreBracketed() {
    assertEquals(new ListenAddress(IpAddr.parse("::1"), 2055), ListenAddress.parse("[::1]:2055"));
    assertEquals("[::1]:2055", ListenAddress.parse("[::1]:2055").toString());
  }

  @Test
  void everyProblemIsReportedWithItsKey() {
    UdpInputConfig c = new UdpInputConfig(
        List.of("0.0.0.0:2055", "::1:2055", "host.example:2055", "0.0.0.0:70000", "0.0.0.0:2055"),
        List.of("10.0.0.0/8", "10.0.0.0/33", "router"),
        0, 0,
        new NetflowLimits(0, null, null, null, null, null, null, null, null, null, null), "gre", "soon");
    assertEquals(List.of(
        "inputs.netflow.listen[1]: \"::1:2055\" (expected: " + ListenAddress.EXPECTED + ")",
        "inputs.netflow.listen[2]: \"host.example:2055\" (expected: " + ListenAddress.EXPECTED + ")",
        "inputs.netflow.listen[3]: \"0.0.0.0:70000\" (expected: " + ListenAddress.EXPECTED + ")",
        "inputs.netflow.listen[4]: \"0.0.0.0:2055\" (expected: each address once)",
        "inputs.netflow.allowed_exporters[1]: \"10.0.0.0/33\" (expected: " + Cidr.EXPECTED + ")",
        "inputs.netflow.allowed_exporters[2]: \"router\" (expected: " + Cidr.EXPECTED + ")",
        "inputs.netflow.receive_buffer: 0 (expected: a positive number of bytes, e.g. 16777216)",
        "inputs.netflow.sockets_per_address: 0 (expected: 1-256)",
        "inputs.netflow.decapsulation: \"gre\" (expected: none or srv6)",
        "inputs.netflow.warm_up: expected a duration such as 500ms, 60s, 5m, 1h or 7d, got \"soon\"",
        "inputs.netflow.limits.max_exporters: 0 (expected: a positive integer)"),
        c.validate("inputs.netflow"));
  }
}
