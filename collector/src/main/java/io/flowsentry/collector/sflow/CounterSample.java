package io.flowsentry.collector.sflow;

import java.util.Map;

/**
 * One counter sample (format 2) or expanded counter sample (format 4): interface and device
 * counters an agent sends periodically. They describe no connection, so they become no event;
 * the collector counts them, and {@code decode --pcap} prints them.
 *
 * @param sequence sample sequence number of this data source
 * @param genericInterface the generic interface counters (record format 1) by their MIB-II names,
 *     or empty when the sample has none; other counter records are skipped by length
 * @param records the counter record count the sample declares
 */
public record CounterSample(boolean expanded, long sequence, int sourceIdType, long sourceIdIndex,
    Map<String, Object> genericInterface, long records) {}
