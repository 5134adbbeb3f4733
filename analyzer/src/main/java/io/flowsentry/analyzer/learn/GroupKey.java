package io.flowsentry.analyzer.learn;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;

/** A group of would-be alarms: one restricted host's service (port/proto) towards one destination network. */
public record GroupKey(String policy, IpAddr orig, int port, int proto, Cidr destination) {}
