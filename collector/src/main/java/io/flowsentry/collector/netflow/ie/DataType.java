package io.flowsentry.collector.netflow.ie;

/** IPFIX abstract data types (RFC 7012 section 3.1) as the registry's "Data Type" column spells them. */
public enum DataType {
  OCTET_ARRAY("octetArray"),
  UNSIGNED8("unsigned8"),
  UNSIGNED16("unsigned16"),
  UNSIGNED32("unsigned32"),
  UNSIGNED64("unsigned64"),
  SIGNED8("signed8"),
  SIGNED16("signed16"),
  SIGNED32("signed32"),
  SIGNED64("signed64"),
  FLOAT32("float32"),
  FLOAT64("float64"),
  BOOLEAN("boolean"),
  MAC_ADDRESS("macAddress"),
  STRING("string"),
  DATE_TIME_SECONDS("dateTimeSeconds"),
  DATE_TIME_MILLISECONDS("dateTimeMilliseconds"),
  DATE_TIME_MICROSECONDS("dateTimeMicroseconds"),
  DATE_TIME_NANOSECONDS("dateTimeNanoseconds"),
  IPV4_ADDRESS("ipv4Address"),
  IPV6_ADDRESS("ipv6Address"),
  BASIC_LIST("basicList"),
  SUB_TEMPLATE_LIST("subTemplateList"),
  SUB_TEMPLATE_MULTI_LIST("subTemplateMultiList");

  private final String registryName;

  DataType(String registryName) {
    this.registryName = registryName;
  }

  public String registryName() {
    return registryName;
  }

  /** The type named {@code name} in the registry, or {@link #OCTET_ARRAY} for anything unknown. */
  public static DataType fromRegistryName(String name) {
    for (DataType t : values()) {
      if (t.registryName.equals(name)) return t;
    }
    return OCTET_ARRAY;
  }

  public boolean isSigned() {
    return this == SIGNED8 || this == SIGNED16 || this == SIGNED32 || this == SIGNED64;
  }

  /** Types whose value is a big-endian integer that reduced-size encoding may shorten. */
  public boolean isInteger() {
    return switch (this) {
      case UNSIGNED8, UNSIGNED16, UNSIGNED32, UNSIGNED64, SIGNED8, SIGNED16, SIGNED32, SIGNED64,
          DATE_TIME_SECONDS, DATE_TIME_MILLISECONDS, DATE_TIME_MICROSECONDS, DATE_TIME_NANOSECONDS -> true;
      default -> false;
    };
  }
}
