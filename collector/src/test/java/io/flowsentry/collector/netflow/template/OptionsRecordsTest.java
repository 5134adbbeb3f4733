package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.OptionsRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Options data records reach the listener, scope apart, only from decoders that keep every
 * element; what they announce (sampling) reaches the data records the same either way.
 */
class OptionsRecordsTest {
  /** A v9 exporter with two samplers (1 in 2000, 1 in 4000), then flows naming them. */
  private static final String[] SAMPLERS_THEN_FLOWS = {"multiplesamplingrates-options-template.pcap",
      "multiplesamplingrates-options-data.pcap", "multiplesamplingrates-template.pcap", "multiplesamplingrates-data.pcap"};

  @Test
  void v9SamplerTableByName() {
    RecordingListener listener = decode(true);
    assertEquals(List.of(
        Map.of("samplerId", 1L, "samplerRandomInterval", 2000L, "samplerMode", 2L, "samplerName", "SPM_1OUT2000", "samplingInterval", 2000L),
        Map.of("samplerId", 2L, "samplerRandomInterval", 4000L, "samplerMode", 2L, "samplerName", "SPM_1OUT4000", "samplingInterval", 4000L)),
        listener.options.stream().map(OptionsRecord::values).toList());
    OptionsRecord first = listener.options.get(0);
    assertEquals(Map.of("scopeSystem", "362432d1"), first.scope());
    assertEquals(List.of(9, 257), List.of(first.version(), first.templateId()));
    assertEquals(List.of(), listener.errors);
  }

  /** The interface table a Cisco router sends: scope type 2 (interface, its ifIndex), interfaceName 82, interfaceDescription 83. */
  @Test
  void v9InterfaceNamesByIfIndex() {
    List<ExportWriter.Field> scope = List.of(ExportWriter.Field.of(2, 4));
    List<ExportWriter.Field> values = List.of(ExportWriter.Field.of(82, 8), ExportWriter.Field.of(83, 8));
    List<ExportWriter.Field> record = List.of(scope.get(0), values.get(0), values.get(1));
    byte[] message = ExportWriter.v9(1_000, 1_700_000_000L, 1, 0).optionsTemplate(300, scope, values)
        .data(300, record, List.of(List.of(7L, "Gi0/0/1\0", "uplink\0\0"))).build();
    RecordingListener listener = new RecordingListener();
    new TemplateDecoders(NetflowLimits.defaults(), true).feed(message, 1_000, listener);
    assertEquals(List.of(), listener.errors);
    assertEquals(List.of(Map.of("scopeInterface", 7L)), listener.options.stream().map(OptionsRecord::scope).toList());
    assertEquals(Map.of("interfaceName", "Gi0/0/1", "interfaceDescription", "uplink"), listener.options.get(0).values());
  }

  @Test
  void ipfixOptionsScopeIsTheirScopeFields() {
    RecordingListener listener = new RecordingListener();
    new TemplateDecoders(NetflowLimits.defaults(), true).feedPcaps(AkvoradoCases.pcapDir(), 1_000, listener, "physicalinterfaces.pcap");
    assertEquals(1, listener.options.size());
    OptionsRecord sampling = listener.options.get(0);
    assertEquals(Map.of("observationDomainId", 0L, "templateId", 1910L), sampling.scope());
    assertEquals(Map.of("selectorAlgorithm", 1L, "samplingPacketInterval", 1L, "samplingPacketSpace", 999L), sampling.values());
  }

  @Test
  void withoutRawElementsNoOptionsRecordIsReportedAndTheFlowsAreTheSame() {
    RecordingListener live = decode(false);
    RecordingListener withRaw = decode(true);
    assertEquals(List.of(), live.options);
    assertEquals(12, live.records.size());
    assertEquals(live.records, withRaw.records.stream().map(r -> withoutRaw(r)).toList());
    assertEquals(List.of(2000L, 4000L), live.records.stream().map(FlowRecord::samplingInterval).distinct().sorted().toList());
  }

  private static RecordingListener decode(boolean keepRaw) {
    RecordingListener listener = new RecordingListener();
    new TemplateDecoders(NetflowLimits.defaults(), keepRaw).feedPcaps(AkvoradoCases.pcapDir(), 1_000, listener, SAMPLERS_THEN_FLOWS);
    return listener;
  }

  private static FlowRecord withoutRaw(FlowRecord r) {
    FlowRecord.Builder b = r.toBuilder();
    b.raw = null;
    return b.build();
  }
}
