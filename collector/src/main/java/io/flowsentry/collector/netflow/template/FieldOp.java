package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.ie.InformationElements;

/**
 * What the record decoder does with one template field, chosen once when the template is
 * compiled. Plain int codes: the few fields that need more than their number (addresses, NTP
 * times, the frame section) come first and are dispatched by a switch; every op from
 * {@link #FIRST_NUMBER} on is a number the decoder stores, as read, at its index in a per-record
 * array, with no dispatch at all. A field whose length does not fit its element (an IPv4
 * address of 3 bytes, a counter of 9) is {@link #SKIP}ped: its bytes still advance the record,
 * and {@code raw} still shows them.
 */
final class FieldOp {
  static final int SKIP = 0;
  static final int SRC_V4 = 1;
  static final int DST_V4 = 2;
  static final int SRC_V6 = 3;
  static final int DST_V6 = 4;
  static final int START_NTP = 5;
  static final int END_NTP = 6;
  static final int FRAME_SECTION = 7;

  static final int FIRST_NUMBER = 8;
  static final int SRC_PORT = 8;
  static final int DST_PORT = 9;
  static final int PROTOCOL = 10;
  static final int TCP_FLAGS = 11;
  static final int TOS = 12;
  static final int OCTET_DELTA = 13;
  static final int OCTET_TOTAL = 14;
  static final int PACKET_DELTA = 15;
  static final int PACKET_TOTAL = 16;
  static final int INITIATOR_OCTETS = 17;
  static final int RESPONDER_OCTETS = 18;
  static final int INITIATOR_PACKETS = 19;
  static final int RESPONDER_PACKETS = 20;
  static final int REVERSE_OCTET_DELTA = 21;
  static final int REVERSE_OCTET_TOTAL = 22;
  static final int REVERSE_PACKET_DELTA = 23;
  static final int REVERSE_PACKET_TOTAL = 24;
  static final int IN_IF = 25;
  static final int OUT_IF = 26;
  static final int IN_PHYSICAL_IF = 27;
  static final int OUT_PHYSICAL_IF = 28;
  static final int ICMP_TYPE_CODE = 29;
  static final int ICMP_TYPE = 30;
  static final int ICMP_CODE = 31;
  static final int SAMPLING_INTERVAL = 32;
  static final int PACKET_INTERVAL = 33;
  static final int PACKET_SPACE = 34;
  static final int SAMPLING_SIZE = 35;
  static final int SAMPLING_POPULATION = 36;
  static final int SAMPLER_ID = 37;
  static final int FLOW_DIRECTION = 38;
  static final int BIFLOW_DIRECTION = 39;
  static final int CONNECTION_ID = 40;
  static final int FIREWALL_EVENT = 41;
  static final int START_SECONDS = 42;
  static final int END_SECONDS = 43;
  static final int START_MILLIS = 44;
  static final int END_MILLIS = 45;
  static final int START_DELTA_MICROS = 46;
  static final int END_DELTA_MICROS = 47;
  static final int START_UPTIME = 48;
  static final int END_UPTIME = 49;
  static final int SYSTEM_INIT_MILLIS = 50;
  static final int EVENT_MILLIS = 51;
  /** One past the last op: the size of a per-op array. */
  static final int COUNT = 52;

  private FieldOp() {}

  /**
   * The op for element {@code id} of enterprise {@code pen} carried in {@code length} bytes
   * ({@link Template#VARIABLE} for IPFIX variable length).
   */
  static int of(long pen, int id, int length) {
    if (pen == 0 && id == 315) return FRAME_SECTION; // dataLinkFrameSection, usually variable length
    if (length == Template.VARIABLE) return SKIP;
    if (pen == InformationElements.REVERSE_PEN) return reverse(id, length);
    if (pen != 0) return SKIP;
    return switch (id) {
      case 8 -> exactly(length, 4, SRC_V4);
      case 12 -> exactly(length, 4, DST_V4);
      case 27 -> exactly(length, 16, SRC_V6);
      case 28 -> exactly(length, 16, DST_V6);
      case 154, 156 -> exactly(length, 8, START_NTP);
      case 155, 157 -> exactly(length, 8, END_NTP);
      default -> length >= 1 && length <= 8 ? numeric(id) : SKIP;
    };
  }

  private static int numeric(int id) {
    return switch (id) {
      case 7 -> SRC_PORT;
      case 11 -> DST_PORT;
      case 4 -> PROTOCOL;
      case 6 -> TCP_FLAGS;
      case 5 -> TOS;
      case 1 -> OCTET_DELTA;
      case 85 -> OCTET_TOTAL;
      case 2 -> PACKET_DELTA;
      case 86 -> PACKET_TOTAL;
      case 231 -> INITIATOR_OCTETS;
      case 232 -> RESPONDER_OCTETS;
      case 298 -> INITIATOR_PACKETS;
      case 299 -> RESPONDER_PACKETS;
      case 10 -> IN_IF;
      case 14 -> OUT_IF;
      case 252 -> IN_PHYSICAL_IF;
      case 253 -> OUT_PHYSICAL_IF;
      case 32, 139 -> ICMP_TYPE_CODE;
      case 176, 178 -> ICMP_TYPE;
      case 177, 179 -> ICMP_CODE;
      case 34, 50 -> SAMPLING_INTERVAL;
      case 305 -> PACKET_INTERVAL;
      case 306 -> PACKET_SPACE;
      case 309 -> SAMPLING_SIZE;
      case 310 -> SAMPLING_POPULATION;
      case 48, 302 -> SAMPLER_ID;
      case 61 -> FLOW_DIRECTION;
      case 239 -> BIFLOW_DIRECTION;
      case 148 -> CONNECTION_ID;
      case 233, 40005 -> FIREWALL_EVENT; // 40005: NSEL NF_F_FW_EVENT_84 of older ASA releases
      case 150 -> START_SECONDS;
      case 151 -> END_SECONDS;
      case 152 -> START_MILLIS;
      case 153 -> END_MILLIS;
      case 158 -> START_DELTA_MICROS;
      case 159 -> END_DELTA_MICROS;
      case 22 -> START_UPTIME;
      case 21 -> END_UPTIME;
      case 160 -> SYSTEM_INIT_MILLIS;
      case 323 -> EVENT_MILLIS;
      default -> SKIP;
    };
  }

  private static int reverse(int id, int length) {
    if (length < 1 || length > 8) return SKIP;
    return switch (id) {
      case 1 -> REVERSE_OCTET_DELTA;
      case 85 -> REVERSE_OCTET_TOTAL;
      case 2 -> REVERSE_PACKET_DELTA;
      case 86 -> REVERSE_PACKET_TOTAL;
      default -> SKIP;
    };
  }

  private static int exactly(int length, int expected, int op) {
    return length == expected ? op : SKIP;
  }
}
