package io.flowsentry.collector.pcap;

import java.net.InetSocketAddress;

/**
 * One UDP datagram found in a capture file.
 *
 * @param timestampMicros capture time, epoch microseconds
 * @param sender IP source and UDP source port (the exporter)
 * @param recipient IP destination and UDP destination port
 * @param payload the UDP payload (the export message)
 */
public record CapturedDatagram(long timestampMicros, InetSocketAddress sender, InetSocketAddress recipient, byte[] payload) {}
