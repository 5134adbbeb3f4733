package io.flowsentry.collector.pipeline;

import io.flowsentry.collector.sflow.SampleLoss;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The sFlow-only series of one exporter, all registered together (at 0) with its first sFlow
 * datagram, so rates over them work from then on:
 * {@code flowsentry_sflow_samples_total{exporter,type}} (type {@code flow}, {@code counter},
 * {@code discard}, {@code unknown}; expanded samples count with their compact kind),
 * {@code flowsentry_sflow_records_skipped_total{exporter}} (records of formats not decoded, skipped
 * by length), {@code flowsentry_sflow_samples_lost_total{exporter}} (gaps in per-source sample
 * sequence numbers) and {@code flowsentry_sflow_samples_dropped_total{exporter}} (samples the agent
 * reports it dropped), the last two from {@link SampleLoss}.
 */
final class SflowCounters implements SampleLoss.Sink {

  final Counter flowSamples;
  final Counter counterSamples;
  final Counter discardSamples;
  final Counter unknownSamples;
  final Counter recordsSkipped;
  final Counter samplesLost;
  final Counter samplesDropped;
  final SampleLoss loss = new SampleLoss();
  private final List<Counter> all;

  SflowCounters(String exporter, MeterRegistry registry) {
    flowSamples = samples("flow", exporter, registry);
    counterSamples = samples("counter", exporter, registry);
    discardSamples = samples("discard", exporter, registry);
    unknownSamples = samples("unknown", exporter, registry);
    recordsSkipped = Counter.builder("flowsentry.sflow.records.skipped")
        .description("sFlow flow and counter records of formats not decoded, skipped by their length, per exporter")
        .tag("exporter", exporter).register(registry);
    samplesLost = Counter.builder("flowsentry.sflow.samples.lost")
        .description("sFlow flow samples missing from their data source's sample sequence numbers, per exporter")
        .tag("exporter", exporter).register(registry);
    samplesDropped = Counter.builder("flowsentry.sflow.samples.dropped")
        .description("sFlow flow samples the agent reports it dropped for lack of resources, per exporter")
        .tag("exporter", exporter).register(registry);
    all = List.of(flowSamples, counterSamples, discardSamples, unknownSamples, recordsSkipped, samplesLost, samplesDropped);
  }

  private static Counter samples(String type, String exporter, MeterRegistry registry) {
    return Counter.builder("flowsentry.sflow.samples")
        .description("sFlow samples received per exporter and type (flow, counter, discard, unknown)")
        .tags("exporter", exporter, "type", type).register(registry);
  }

  @Override
  public void lost(long samples) {
    samplesLost.increment(samples);
  }

  @Override
  public void dropped(long samples) {
    samplesDropped.increment(samples);
  }

  void remove(MeterRegistry registry) {
    all.forEach(registry::remove);
  }
}
