package io.flowsentry.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsCodecTest {
  @Test
  void answersRoundTripWithBothFamiliesAndUnknownTtl() throws Exception {
    DnsAnswers a = new DnsAnswers(1_225_743_661_000_001L, IpAddr.parse("192.168.4.7"), "www.example.com",
        List.of(new DnsAnswers.Resolved(IpAddr.parse("203.0.113.9"), 300_000_000L),
            new DnsAnswers.Resolved(IpAddr.parse("2001:db8::9"), -1)));
    assertEquals(a, DnsCodec.decode(DnsCodec.encode(a)));
  }

  @Test
  void recordsThatAreNoAnswerAreRejectedWithWhatIsWrong() {
    byte[] badClient = DnsAnswer.newBuilder().setClient(ByteString.copyFrom(new byte[5])).setQuery("x.example").build().toByteArray();
    assertTrue(assertThrows(MalformedRecordException.class, () -> DnsCodec.decode(badClient)).getMessage().startsWith("client: 5 bytes"));
    byte[] noQuery = DnsAnswer.newBuilder().setClient(ByteString.copyFrom(new byte[4])).build().toByteArray();
    assertEquals("query: empty", assertThrows(MalformedRecordException.class, () -> DnsCodec.decode(noQuery)).getMessage());
    assertThrows(MalformedRecordException.class, () -> DnsCodec.decode(new byte[] {(byte) 0xff, 1, 2}));
    DnsAnswer.Builder many = DnsAnswer.newBuilder().setClient(ByteString.copyFrom(new byte[4])).setQuery("x.example");
    for (int i = 0; i <= DnsCodec.MAX_ADDRESSES; i++) many.addAddresses(ResolvedAddress.newBuilder().setAddress(ByteString.copyFrom(new byte[4])));
    assertTrue(assertThrows(MalformedRecordException.class, () -> DnsCodec.decode(many.build().toByteArray())).getMessage()
        .startsWith("addresses: 4097"));
  }
}
