package io.flowsentry.collector.netflow.v9;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.EvictionReason;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.flowsentry.collector.netflow.template.TemplateDecoders;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NetflowV9DecoderTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final long UNIX_SECONDS = 1_700_000_000L;
  private static final long UPTIME = 100_000L;

  private final RecordingListener out = new RecordingListener();

  private static ExportWriter packet() {
    return ExportWriter.v9(UPTIME, UNIX_SECONDS, 1, 5);
  }

  @Test
  void nselFieldsFillTheRecord() {
    TemplateDecoders d = new TemplateDecoders(NetflowLimits.defaults(), true);
    List<Field> fields = List.of(Field.of(148, 4), Field.of(8, 4), Field.of(12, 4), Field.of(7, 2), Field.of(11, 2),
        Field.of(4, 1), Field.of(176, 1), Field.of(177, 1), Field.of(233, 1), Field.of(231, 4), Field.of(232, 4),
        Field.of(152, 8), Field.of(323, 8), Field.of(33002, 2));
    d.feed(packet().template(263, fields).data(263, fields, List.of(List.of(9001L, 0xC0A80001L, 0x08080808L, 40000L,
        53L, 1L, 8L, 0L, 1L, 1234L, 5678L, 1_699_999_999_000L, 1_699_999_999_500L, 1001L))).build(), NOW, out);
    assertEquals(List.of(), out.errors);
    FlowRecord r = out.records.get(0);
    assertEquals(9001, r.connectionId());
    assertEquals(1, r.firewallEvent());
    assertEquals(1234, r.octets(), "initiatorOctets");
    assertEquals(5678, r.reverseOctets(), "responderOctets");
    assertEquals(8, r.icmpType());
    assertEquals(0, r.icmpCode());
    assertEquals(1_699_999_999_000L, r.startMillis(), "flow create time");
    assertEquals(1_699_999_999_500L, r.endMillis(), "event time when no end is given");
    assertEquals(1001L, r.raw().get("NF_F_FW_EXT_EVENT"));
    assertEquals("192.168.0.1", r.raw().get("sourceIPv4Address"));
    assertEquals(9001L, r.raw().get("flowId"));
  }

  @Test
  void olderAsaFirewallEventAndIcmpInTheDestinationPort() {
    TemplateDecoders d = new TemplateDecoders();
    List<Field> f = List.of(Field.of(4, 1), Field.of(7, 2), Field.of(11, 2), Field.of(40005, 1));
    d.feed(packet().template(264, f).data(264, f, List.of(List.of(1L, 0L, (3L << 8) | 1, 3L))).build(), NOW, out);
    FlowRecord r = out.records.get(0);
    assertEquals(3, r.firewallEvent());
    assertEquals(3, r.icmpType(), "Cisco: ICMP type << 8 | code in the destination port");
    assertEquals(1, r.icmpCode());
  }

  @Test
  void switchedTimesAcrossSysUptimeWrap() {
    TemplateDecoders d = new TemplateDecoders();
    List<Field> f = List.of(Field.of(22, 4), Field.of(21, 4));
    // sysUptime wrapped to 1000 ms; the flow started 2000 ms before the wrap
    d.feed(ExportWriter.v9(1_000, UNIX_SECONDS, 1, 5).template(265, f)
        .data(265, f, List.of(List.of(0xFFFF_FFFFL - 1_999, 500L))).build(), NOW, out);
    FlowRecord r = out.records.get(0);
    assertEquals(UNIX_SECONDS * 1000 - 3_000, r.startMillis());
    assertEquals(UNIX_SECONDS * 1000 - 500, r.endMillis());
  }

  @Test
  void systemScopedOptionsSetTheExporterWideRate() {
    TemplateDecoders d = new TemplateDecoders();
    List<Field> data = List.of(Field.of(8, 4), Field.of(48, 1));
    d.feed(packet().optionsTemplate(266, List.of(Field.of(1, 4)), List.of(Field.of(34, 4), Field.of(35, 1)))
        .data(266, List.of(Field.of(1, 4), Field.of(34, 4), Field.of(35, 1)), List.of(List.of(0L, 1000L, 2L)))
        .template(267, data).data(267, data, List.of(List.of(1L, 3L))).build(), NOW, out);
    assertEquals(List.of(), out.errors);
    assertEquals(1000, out.records.get(0).samplingInterval(), "no sampler 3 announced: the exporter-wide rate");
  }

  @Test
  void templateTimesOutAndReplacementTakesEffect() {
    TemplateDecoders d = new TemplateDecoders();
    List<Field> a = List.of(Field.of(8, 4));
    List<Field> b = List.of(Field.of(12, 4));
    d.feed(packet().template(268, a).build(), NOW, out);
    d.feed(packet().template(268, b).data(268, b, List.of(List.of(7L))).build(), NOW, out);
    assertEquals("0.0.0.7", out.records.get(0).destinationAddress().toString(), "replaced template");
    assertEquals(1, d.v9Store.templateCount());
    long later = NOW + NetflowLimits.defaults().templateTimeoutDuration().toMillis() + 1;
    d.feed(packet().data(268, b, List.of(List.of(8L))).build(), later, out);
    assertEquals(1, out.records.size(), "timed-out template is not used");
    assertEquals(0, d.v9Store.templateCount(), "the sweep forgot it");
  }

  @Test
  void templatesPerExporterAndExportersAreBounded() {
    NetflowLimits limits = new NetflowLimits(1, 2, null, null, null, null, null, null, null, null, null);
    TemplateDecoders d = new TemplateDecoders(limits, false);
    List<Field> f = List.of(Field.of(8, 4));
    d.feed(packet().template(300, f).template(301, f).template(302, f).template(300, f).build(), NOW, out);
    assertEquals(List.of(DecodeError.TOO_MANY_TEMPLATES), out.reasons());
    assertEquals(2, d.v9Store.templateCount());
    out.clear();
    d.feed(packet().template(303, f).build(), new InetSocketAddress("127.0.0.2", 2055), NOW + 1, out);
    assertEquals(List.of(), out.reasons(), "a new exporter takes the place of one that delivered nothing");
    assertEquals(1, d.v9Store.templateCount(), "... with its templates");
    assertEquals(1, d.v9Store.evictions(EvictionReason.TABLE_FULL));
  }

  @Test
  void exporterIdentityIgnoresThePortUnlessConfigured() {
    List<Field> f = List.of(Field.of(8, 4));
    TemplateDecoders byAddress = new TemplateDecoders();
    byAddress.feed(packet().template(310, f).build(), new InetSocketAddress("127.0.0.1", 1111), NOW, out);
    byAddress.feed(packet().data(310, f, List.of(List.of(1L))).build(), new InetSocketAddress("127.0.0.1", 2222), NOW, out);
    assertEquals(1, out.records.size());

    out.clear();
    TemplateDecoders byPort = new TemplateDecoders(new NetflowLimits(null, null, null, null, null, null, null, null, null, null, true), false);
    byPort.feed(packet().template(310, f).build(), new InetSocketAddress("127.0.0.1", 1111), NOW, out);
    byPort.feed(packet().data(310, f, List.of(List.of(1L))).build(), new InetSocketAddress("127.0.0.1", 2222), NOW, out);
    assertEquals(0, out.records.size());
    assertEquals(2, byPort.v9Store.exporterCount());
  }

  @Test
  void headerCarriesSequenceAndRecordCount() {
    TemplateDecoders d = new TemplateDecoders();
    List<Field> f = List.of(Field.of(8, 4));
    d.feed(ExportWriter.v9(UPTIME, UNIX_SECONDS, 77, 5).template(311, f)
        .data(311, f, List.of(List.of(1L), List.of(2L), List.of(3L))).build(), NOW, out);
    assertEquals(1, out.headers.size());
    assertEquals(77, out.headers.get(0).sequenceNumber());
    assertEquals(4, out.headers.get(0).count(), "v9 count: template and data records");
    assertEquals(3, out.headers.get(0).dataRecords());
    assertEquals(UPTIME, out.headers.get(0).sysUptimeMillis());
  }

  @Test
  void eventLoopsDecodeConcurrentlyThroughOneStore() throws Exception {
    TemplateDecoders d = new TemplateDecoders();
    List<Field> a = List.of(Field.of(8, 4), Field.of(1, 4));
    List<Field> b = List.of(Field.of(12, 4), Field.of(2, 4), Field.of(7, 2));
    byte[] templates = packet().template(400, a).template(401, b).build();
    byte[] data = packet().data(400, a, List.of(List.of(1L, 10L), List.of(2L, 20L)))
        .data(401, b, List.of(List.of(3L, 30L, 80L))).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicLong records = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      InetSocketAddress exporter = new InetSocketAddress("192.0.2." + (1 + t % 2), 2055);
      done.add(pool.submit(() -> {
        RecordingListener o = new RecordingListener();
        for (int i = 0; i < 2_000; i++) {
          o.clear();
          // templates are re-announced all the time, as several exporter threads would
          if (i % 10 == 0) d.feed(templates, exporter, NOW + i, o);
          d.feed(data, exporter, NOW + i, o);
          records.addAndGet(o.records.size());
          errors.addAndGet(o.errors.size());
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    assertEquals(0, errors.get());
    assertEquals(4 * 2_000 * 3, records.get(), "every record decoded exactly once");
    assertEquals(4, d.v9Store.templateCount());
  }
}
