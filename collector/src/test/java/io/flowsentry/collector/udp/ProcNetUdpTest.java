package io.flowsentry.collector.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcNetUdpTest {
  @BeforeAll
  static void littleEndianHost() {
    // the sample lines below were captured on x86_64; /proc prints host-order words
    Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "samples are from a little-endian host");
  }

  private static final List<String> UDP = List.of(
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
      "  137: 0100007F:0807 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41234 2 0000000000000000 17",
      "  138: 0100007F:0807 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41235 2 0000000000000000 5",
      "  139: 00000000:128B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41236 2 0000000000000000 3",
      "  140: 0100007F:128B 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 41237 2 0000000000000000 99");

  private static final List<String> UDP6 = List.of(
      "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
      "  12: 00000000000000000000000001000000:0807 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 51234 2 0000000000000000 42",
      "  13: B80D0120000000000000000001000000:0807 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 51235 2 0000000000000000 7");

  @Test
  void receiveQueueIsTheHexAfterTheColon() {
    List<String> lines = List.of(UDP.get(0),
        "  141: 0100007F:0807 00000000:0000 07 00000000:000005C0 00:00000000 00000000     0        0 41238 2 0000000000000000 0",
        "  142: 0100007F:0808 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 41239 2 0000000000000000 0");
    assertEquals(0x5C0, ProcNetUdp.receiveQueueBytes(lines, ListenAddress.parse("127.0.0.1:2055")));
    assertEquals(0, ProcNetUdp.receiveQueueBytes(lines, ListenAddress.parse("127.0.0.1:2056")));
  }

  @Test
  void dropsOfReusePortSiblingsAreSummed() {
    assertEquals(22, ProcNetUdp.drops(UDP, ListenAddress.parse("127.0.0.1:2055")));
  }

  @Test
  void matchesAddressAndPortExactly() {
    assertEquals(3, ProcNetUdp.drops(UDP, ListenAddress.parse("0.0.0.0:4747")));
    assertEquals(99, ProcNetUdp.drops(UDP, ListenAddress.parse("127.0.0.1:4747")));
    assertEquals(0, ProcNetUdp.drops(UDP, ListenAddress.parse("127.0.0.1:9999")));
  }

  @Test
  void ipv6WordsAreHostOrder() {
    assertEquals(42, ProcNetUdp.drops(UDP6, ListenAddress.parse("[::1]:2055")));
    assertEquals(7, ProcNetUdp.drops(UDP6, ListenAddress.parse("[2001:db8::1]:2055")));
  }

  @Test
  void malformedAddressesAreIgnored() {
    assertNull(ProcNetUdp.parseLocal("0100007F"));
    assertNull(ProcNetUdp.parseLocal("0100007G:0807"));
    assertEquals(0, ProcNetUdp.drops(List.of("  1: 0100007F:0807 x x x x x x x x x x notanumber"), ListenAddress.parse("127.0.0.1:2055")));
  }
}
