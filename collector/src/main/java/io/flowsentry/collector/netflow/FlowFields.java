package io.flowsentry.collector.netflow;

import io.flowsentry.collector.event.IpAddr;

/**
 * The fields of a decoded record that deciding its originator reads, whether they sit in a built
 * {@link FlowRecord} or in the decoder's reusable {@link FlowRecord.Builder}. It lets the collector
 * run that decision on a record it will not keep without building it (see
 * {@link DecodeListener#decoded}). Meanings and "unknown" values as in {@link FlowRecord}.
 */
public interface FlowFields {
  int version();
  int tcpFlags();
  IpAddr sourceAddress();
  IpAddr destinationAddress();
  int sourcePort();
  int destinationPort();
  int protocol();
  int icmpType();
  long startMillis();
  long endMillis();
  long exportTimeMillis();
  int biflowDirection();
  long connectionId();
  int firewallEvent();
}
