package io.flowsentry.collector.netflow;

/**
 * The parts of an export message header that matter outside the decoder.
 *
 * @param version 5, 9 or 10
 * @param count header count field: v5 records, v9 records+templates (often misused), IPFIX: message length
 * @param sysUptimeMillis v5/v9 sysUptime; -1 for IPFIX
 * @param exportTimeMillis export time, epoch milliseconds
 * @param sequenceNumber v5 flow_sequence (flows), v9 package sequence (packets), IPFIX sequence (data records)
 * @param observationDomain v9 source id / IPFIX observation domain; v5 engine type << 8 | engine id
 * @param dataRecords data records this message carried (for the next expected IPFIX/v5 sequence)
 */
public record MessageHeader(
    int version,
    int count,
    long sysUptimeMillis,
    long exportTimeMillis,
    long sequenceNumber,
    long observationDomain,
    int dataRecords) {}
