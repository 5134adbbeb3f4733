package io.flowsentry.collector.netflow.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InformationElementsTest {

  @Test
  void ianaNamesAndTypes() {
    assertEquals("octetDeltaCount", InformationElements.name(1));
    assertEquals(DataType.UNSIGNED64, InformationElements.type(1));
    assertEquals("sourceIPv6Address", InformationElements.name(27));
    assertEquals(DataType.IPV6_ADDRESS, InformationElements.type(27));
    assertEquals("flowStartMicroseconds", InformationElements.name(154));
    assertEquals(DataType.DATE_TIME_MICROSECONDS, InformationElements.type(154));
    assertEquals("dataLinkFrameSection", InformationElements.name(315));
    assertEquals("interfaceName", InformationElements.name(82));
    assertEquals(DataType.STRING, InformationElements.type(82));
  }

  @Test
  void netflowV9CompatibilityAndNselNumbers() {
    assertEquals("samplingInterval", InformationElements.name(34));
    assertEquals("samplerId", InformationElements.name(48));
    assertEquals("samplerRandomInterval", InformationElements.name(50));
    assertEquals("flowId", InformationElements.name(148)); // NSEL NF_F_CONN_ID
    assertEquals("firewallEvent", InformationElements.name(233));
    assertEquals("initiatorOctets", InformationElements.name(231));
    assertEquals("responderOctets", InformationElements.name(232));
    assertEquals("observationTimeMilliseconds", InformationElements.name(323)); // NF_F_EVENT_TIME_MSEC
    assertEquals("NF_F_FW_EXT_EVENT", InformationElements.name(33002));
    assertEquals(DataType.STRING, InformationElements.type(40000));
  }

  @Test
  void reverseAndEnterpriseAndUnknownElements() {
    assertEquals("reverseOctetDeltaCount", InformationElements.name(InformationElements.REVERSE_PEN, 1));
    assertEquals(DataType.UNSIGNED64, InformationElements.type(InformationElements.REVERSE_PEN, 1));
    assertEquals("reverseTcpControlBits", InformationElements.name(29305, 6));
    assertEquals("e2636id137", InformationElements.name(2636, 137));
    assertEquals(DataType.OCTET_ARRAY, InformationElements.type(2636, 137));
    assertEquals("ie31000", InformationElements.name(31000));
    assertFalse(InformationElements.isKnown(31000));
    assertTrue(InformationElements.isKnown(8));
    assertEquals("ie-1", InformationElements.name(-1));
  }
}
