package io.flowsentry.collector.sflow;

/**
 * The header of one flow sample (format 1) or expanded flow sample (format 3). Interfaces are
 * split into their format and value as the expanded sample carries them (the compact sample packs
 * the format into the top 2 bits): format 0 is an ifIndex (value 0x3FFFFFFF: the agent itself),
 * 1 a discarded packet (value: the reason), 2 a packet sent to several interfaces (value: how many).
 *
 * @param expanded format 3 rather than 1
 * @param sequence sample sequence number of this data source, unsigned 32-bit
 * @param sourceIdType data source type (0 ifIndex, 1 VLAN, 2 entPhysicalEntry)
 * @param sourceIdIndex data source index
 * @param samplingRate one packet in this many was sampled
 * @param samplePool packets that could have been sampled so far (unsigned 32-bit, wraps)
 * @param drops samples the agent dropped for lack of resources so far (unsigned 32-bit, wraps)
 * @param records the flow record count the sample declares
 */
public record FlowSample(boolean expanded, long sequence, int sourceIdType, long sourceIdIndex, long samplingRate,
    long samplePool, long drops, int inputFormat, long inputValue, int outputFormat, long outputValue, long records) {

  /** Interface format 0 value for the agent itself (sflow_version_5.txt, "interface"). */
  public static final long LOCAL_INTERFACE = 0x3FFF_FFFFL;
}
