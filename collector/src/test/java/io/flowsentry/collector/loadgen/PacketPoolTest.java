package io.flowsentry.collector.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PacketPoolTest {

  private static LoadSpec spec(ExportVersion version, long packets) {
    return LoadGenerator.parse(new String[] {"--version", version.cliName(), "--packets", Long.toString(packets), "--flows", "100", "--seed", "3"});
  }

  /** What the C sender reads back: every datagram whole, with the records and counters an independent reader finds in it. */
  @ParameterizedTest
  @EnumSource(value = ExportVersion.class, names = {"V5", "V9", "IPFIX", "SFLOW"})
  void eachDatagramCarriesWhatAnIndependentReaderCountsInIt(ExportVersion version) throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    ExportTotals totals = PacketPool.write(spec(version, 37), file);

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(file.toByteArray()));
    assertEquals(version.poolTag(), in.readInt());
    assertEquals(37, in.readInt());
    ExportPacketReader reader = new ExportPacketReader();
    long records = 0, octets = 0, packets = 0, bytes = 0;
    for (int i = 0; i < 37; i++) {
      int length = in.readInt();
      int declaredRecords = in.readInt();
      long declaredOctets = in.readLong(), declaredPackets = in.readLong();
      byte[] datagram = in.readNBytes(length);
      long before = reader.records.sum(), octetsBefore = reader.octets.sum(), packetsBefore = reader.packets.sum();
      reader.read(Unpooled.wrappedBuffer(datagram));
      assertEquals(declaredRecords, reader.records.sum() - before, "records of datagram " + i);
      assertEquals(declaredOctets, reader.octets.sum() - octetsBefore, "octets of datagram " + i);
      assertEquals(declaredPackets, reader.packets.sum() - packetsBefore, "packets of datagram " + i);
      records += declaredRecords;
      octets += declaredOctets;
      packets += declaredPackets;
      bytes += length;
    }
    assertEquals(-1, in.read(), "nothing after the last datagram");
    assertEquals(0, reader.malformed.sum() + reader.unknownSets.sum());
    assertEquals(totals.records(), records);
    assertEquals(totals.octets(), octets);
    assertEquals(totals.packets(), packets);
    assertEquals(totals.datagramBytes(), bytes);
    assertEquals(37, totals.datagrams());
  }

  @ParameterizedTest
  @EnumSource(ExportVersion.class)
  void aPoolTheSenderCannotHoldIsRefused(ExportVersion version) {
    assertThrows(IllegalArgumentException.class, () -> PacketPool.write(spec(version, PacketPool.MAX_DATAGRAMS + 1), new ByteArrayOutputStream()));
  }
}
