package io.flowsentry.collector.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.testing.SharedTestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PcapReaderTest {

  @Test
  void readsEveryAkvoradoCapture() throws IOException {
    Path dir = SharedTestData.path("testdata/netflow/akvorado/pcap");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".pcap")).toList()) {
        List<CapturedDatagram> d = PcapReader.readAll(f);
        assertEquals(1, d.size(), f + " holds one datagram");
        int version = ((d.get(0).payload()[0] & 0xFF) << 8) | (d.get(0).payload()[1] & 0xFF);
        assertTrue(version == 5 || version == 9 || version == 10, f + ": version " + version);
      }
    }
  }

  @Test
  void goflow2PcapMatchesRawPayloads() throws IOException {
    List<CapturedDatagram> d = PcapReader.readAll(SharedTestData.path("testdata/netflow/goflow2/goflow2_vectors.pcap"));
    byte[] v5 = Files.readAllBytes(SharedTestData.path("testdata/netflow/goflow2/nfv5.bin"));
    assertTrue(d.stream().anyMatch(x -> java.util.Arrays.equals(x.payload(), v5)), "nfv5.bin is one of the datagrams");
  }

  @Test
  void pcapngEnhancedPacketsAndVlanTags() throws IOException {
    byte[] payload = {0, 10, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    byte[] frame = vlanEthernetIpv4Udp(payload);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Section Header Block, little endian
    out.writeBytes(le(0x0A0D0D0A, 28, 0x1A2B3C4D, 0x00000001, -1, -1, 28));
    // Interface Description Block: Ethernet, snaplen 65535, no options
    out.writeBytes(le(1, 20, 1 /* linktype in low 16 bits, reserved above */, 65535, 20));
    int padded = (frame.length + 3) & ~3;
    int total = 32 + padded;
    ByteBuffer epb = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    epb.putInt(6).putInt(total).putInt(0).putInt(0).putInt(2_000_000).putInt(frame.length).putInt(frame.length);
    epb.put(frame).position(total - 4);
    epb.putInt(total);
    out.writeBytes(epb.array());
    List<CapturedDatagram> got = new ArrayList<>();
    PcapReader.Result r = PcapReader.read(new ByteArrayInputStream(out.toByteArray()), "test.pcapng", got::add);
    assertEquals(1, r.datagrams());
    assertEquals("192.0.2.1", got.get(0).sender().getAddress().getHostAddress());
    assertEquals(2055, got.get(0).recipient().getPort());
    assertEquals(2_000_000, got.get(0).timestampMicros());
    assertEquals(ByteBuffer.wrap(payload), ByteBuffer.wrap(got.get(0).payload()));
  }

  @Test
  void enhancedPacketClaimingMoreThanItsBlockIsSkipped() throws IOException {
    // found by the fuzz test in CI: a captured length near 2^31 overflowed the bounds check
    for (int captured : new int[] {Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 13, -1}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(le(0x0A0D0D0A, 28, 0x1A2B3C4D, 0x00000001, -1, -1, 28));
      out.writeBytes(le(1, 20, 1, 65535, 20));
      out.writeBytes(le(6, 44, 0, 0, 0, captured, captured, 0, 0, 0, 44));
      PcapReader.Result r = PcapReader.read(new ByteArrayInputStream(out.toByteArray()), "big.pcapng", d -> {});
      assertEquals(new PcapReader.Result(0, 1), r, "captured length " + captured);
    }
  }

  @Test
  void rejectsWhatIsNotACapture() {
    IOException e = assertThrows(IOException.class,
        () -> PcapReader.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), "x.bin", d -> {}));
    assertTrue(e.getMessage().startsWith("x.bin: not a pcap or pcapng file"), e.getMessage());
  }

  @Test
  void truncatedFramesAreSkippedNotFatal() throws IOException {
    byte[] frame = vlanEthernetIpv4Udp(new byte[40]);
    byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 10); // snaplen cut into the payload
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    gh.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
    out.writeBytes(gh.array());
    for (byte[] f : new byte[][] {cut, frame}) {
      ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      rh.putInt(1).putInt(0).putInt(f.length).putInt(frame.length);
      out.writeBytes(rh.array());
      out.writeBytes(f);
    }
    PcapReader.Result r = PcapReader.read(new ByteArrayInputStream(out.toByteArray()), "t.pcap", d -> {});
    assertEquals(new PcapReader.Result(1, 1), r);
  }

  /** goflow2_vectors.pcap: packets of 16 + 162, 16 + 1434 and 16 + 354 bytes after the 24-byte file header. */
  @Test
  void aPcapCutShortGivesThePacketsBeforeTheCutAndSaysWhere() throws IOException {
    byte[] whole = Files.readAllBytes(SharedTestData.path("testdata/netflow/goflow2/goflow2_vectors.pcap"));
    assertEquals(new PcapReader.Result(3, 0), read(whole, whole.length));
    assertEquals(new PcapReader.Result(2, 0, Optional.of("packet 3 has 360 of 370 bytes")), read(whole, whole.length - 10));
    assertEquals(new PcapReader.Result(1, 0, Optional.of("packet 2 has 7 of its 16 header bytes")), read(whole, 24 + 178 + 7));
    assertEquals(new PcapReader.Result(1, 0), read(whole, 24 + 178), "a cut between packets is a clean end");
    IOException e = assertThrows(IOException.class, () -> read(whole, 10));
    assertEquals("cut.pcap: pcap file header cut short: 10 of 24 bytes", e.getMessage());
  }

  @Test
  void aPcapngCutShortSaysWhichBlock() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(le(0x0A0D0D0A, 28, 0x1A2B3C4D, 0x00000001, -1, -1, 28));
    out.writeBytes(le(1, 20, 1, 65535, 20));
    byte[] frame = vlanEthernetIpv4Udp(new byte[16]);
    int total = 32 + ((frame.length + 3) & ~3); // a 62-byte frame: a 96-byte block
    ByteBuffer epb = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    epb.putInt(6).putInt(total).putInt(0).putInt(0).putInt(0).putInt(frame.length).putInt(frame.length);
    epb.put(frame).position(total - 4);
    epb.putInt(total);
    out.writeBytes(epb.array());
    byte[] whole = out.toByteArray();
    assertEquals(new PcapReader.Result(1, 0), read(whole, whole.length));
    assertEquals(new PcapReader.Result(0, 0, Optional.of("block 3 has 90 of 96 bytes")), read(whole, whole.length - 6));
    assertEquals(new PcapReader.Result(0, 0, Optional.of("block 3 has 6 of its 8 header bytes")), read(whole, 48 + 6));
  }

  private static PcapReader.Result read(byte[] capture, int length) throws IOException {
    return PcapReader.read(new ByteArrayInputStream(Arrays.copyOf(capture, length)), "cut.pcap", d -> {});
  }

  private static byte[] le(int... words) {
    ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) b.putInt(w);
    return b.array();
  }

  private static byte[] vlanEthernetIpv4Udp(byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(18 + 20 + 8 + payload.length);
    b.put(new byte[12]).putShort((short) 0x8100).putShort((short) 10).putShort((short) 0x0800);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putInt(0)
        .put((byte) 64).put((byte) 17).putShort((short) 0)
        .put(new byte[] {(byte) 192, 0, 2, 1}).put(new byte[] {127, 0, 0, 1});
    b.putShort((short) 40000).putShort((short) 2055).putShort((short) (8 + payload.length)).putShort((short) 0);
    b.put(payload);
    return b.array();
  }
}
