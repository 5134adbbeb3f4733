package io.flowsentry.collector.netflow;

import io.flowsentry.collector.event.IpAddr;
import java.util.Map;

/**
 * One options data record as the exporter sent it: what it is about ({@code scope}, e.g. an
 * interface or a sampler) and what it says about it (interface names, sampler settings, exporter
 * statistics), every element by its IANA name and rendered as in {@link FlowRecord#raw()}. v9
 * scope fields are not information elements: they are named by their RFC 3954 type
 * ({@code scopeSystem}, {@code scopeInterface}, {@code scopeLineCard}, {@code scopeCache},
 * {@code scopeTemplate}).
 *
 * @param scope the scope fields, in template order
 * @param values the other fields, in template order
 */
public record OptionsRecord(IpAddr exporter, int version, long observationDomain, int templateId,
    Map<String, Object> scope, Map<String, Object> values) {}
