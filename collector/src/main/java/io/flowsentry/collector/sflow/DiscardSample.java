package io.flowsentry.collector.sflow;

/**
 * One discarded-packet sample (format 5, https://sflow.org/sflow_drops.txt): a packet the device
 * dropped, with the reason. It describes no connection that took place, so it becomes no event;
 * it is counted, and its records are skipped by length.
 */
public record DiscardSample(long sequence, int sourceIdType, long sourceIdIndex, long drops, long input, long output,
    long reason, long records) {}
