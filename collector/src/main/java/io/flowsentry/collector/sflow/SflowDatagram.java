package io.flowsentry.collector.sflow;

import io.flowsentry.collector.event.IpAddr;

/**
 * The header of one sFlow v5 datagram (sflow_version_5.txt, "sample_datagram_v5").
 *
 * @param agent the agent address the datagram names (not necessarily its IP source)
 * @param subAgentId the sub-agent within the agent; agent and sub-agent together number the datagrams
 * @param sequence datagram sequence number of this agent and sub-agent, unsigned 32-bit
 * @param uptimeMillis the agent's uptime, unsigned 32-bit milliseconds
 * @param samples the sample count the header declares
 */
public record SflowDatagram(IpAddr agent, long subAgentId, long sequence, long uptimeMillis, long samples) {}
