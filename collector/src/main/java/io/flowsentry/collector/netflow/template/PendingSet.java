package io.flowsentry.collector.netflow.template;

/**
 * A data set held because its template had not arrived, with what decoding it later needs
 * from its own message header.
 *
 * @param version protocol of the message (9 or 10): only a template of the same protocol decodes it
 * @param data the set's records (the set header stripped), copied out of the datagram
 * @param sysUptimeMillis the v9 header's sysUptime, -1 for IPFIX
 */
public record PendingSet(TemplateKey key, int version, byte[] data, long exportTimeMillis, long sysUptimeMillis, long receivedMillis) {}
