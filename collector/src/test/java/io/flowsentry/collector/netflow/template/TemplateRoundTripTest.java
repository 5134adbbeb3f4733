package io.flowsentry.collector.netflow.template;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: for random templates (random element subsets and order, reduced-size lengths,
 * noise elements, enterprise and variable-length fields in IPFIX) and random values, what the
 * test encoder writes the decoders read back, whether the template comes before, with or after
 * the data.
 */
class TemplateRoundTripTest {

  /** An element we can generate, its possible lengths and where its value lands in a FlowRecord. */
  private record Element(long pen, int id, int[] lengths, Function<FlowRecord, Object> read, boolean ipfixOnly) {
    Element(int id, int[] lengths, Function<FlowRecord, Object> read) {
      this(0, id, lengths, read, false);
    }
  }

  private static final int VARIABLE = 0xFFFF;
  /** Elements a FlowRecord does not carry: only their length matters, checked by the fields after them. */
  private static final Function<FlowRecord, Object> NOISE = r -> null;
  private static final List<Element> V4 = List.of(
      new Element(8, new int[] {4}, r -> r.sourceAddress()), new Element(12, new int[] {4}, r -> r.destinationAddress()));
  private static final List<Element> V6 = List.of(
      new Element(27, new int[] {16}, r -> r.sourceAddress()), new Element(28, new int[] {16}, r -> r.destinationAddress()));
  private static final List<Element> OTHERS = List.of(
      new Element(7, new int[] {2}, r -> (long) r.sourcePort()),
      new Element(11, new int[] {2}, r -> (long) r.destinationPort()),
      new Element(4, new int[] {1}, r -> (long) r.protocol()),
      new Element(6, new int[] {1, 2}, r -> (long) r.tcpFlags()),
      new Element(5, new int[] {1}, r -> (long) r.tos()),
      new Element(1, new int[] {1, 2, 3, 4, 5, 8}, FlowRecord::octets),
      new Element(2, new int[] {1, 2, 4, 8}, FlowRecord::packets),
      new Element(10, new int[] {2, 4}, FlowRecord::inputInterface),
      new Element(14, new int[] {2, 4}, FlowRecord::outputInterface),
      new Element(61, new int[] {1}, r -> (long) r.flowDirection()),
      new Element(48, new int[] {1, 2}, FlowRecord::samplerId),
      new Element(148, new int[] {4, 8}, FlowRecord::connectionId),
      new Element(233, new int[] {1}, r -> (long) r.firewallEvent()),
      new Element(152, new int[] {8}, FlowRecord::startMillis),
      new Element(153, new int[] {8}, FlowRecord::endMillis),
      new Element(239, new int[] {1}, r -> (long) r.biflowDirection()),
      new Element(210, new int[] {1, 3, 5}, NOISE),
      new Element(9, 5, new int[] {2, 7, VARIABLE}, NOISE, true),
      new Element(0, 82, new int[] {VARIABLE}, NOISE, true),
      new Element(29305, 1, new int[] {4, 8}, FlowRecord::reverseOctets, true),
      new Element(29305, 2, new int[] {4}, FlowRecord::reversePackets, true));

  @ParameterizedTest
  @ValueSource(ints = {9, 10})
  void randomTemplatesRoundTrip(int version) {
    Random random = new Random(version * 7919L);
    for (int run = 0; run < 300; run++) roundTrip(version, random, "run " + run);
  }

  private static void roundTrip(int version, Random random, String run) {
    List<Element> elements = new ArrayList<>(random.nextBoolean() ? V4 : V6);
    for (Element e : OTHERS) {
      if ((version == 10 || !e.ipfixOnly()) && random.nextInt(3) > 0) elements.add(e);
    }
    Collections.shuffle(elements, random);
    List<Field> fields = new ArrayList<>();
    for (Element e : elements) fields.add(new Field(e.pen(), e.id(), e.lengths()[random.nextInt(e.lengths().length)]));

    int count = 1 + random.nextInt(60); // past the 32 builders a RecordBuffer starts with
    List<List<Object>> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Object> record = new ArrayList<>();
      for (Field f : fields) record.add(value(f, random));
      values.add(record);
    }
    long domain = random.nextInt(1000);
    int templateId = 256 + random.nextInt(60000);
    ExportWriter template = writer(version, domain).template(templateId, fields);
    byte[] data = writer(version, domain).data(templateId, fields, values).build();

    boolean keepRaw = random.nextBoolean();
    TemplateDecoders d = new TemplateDecoders(NetflowLimits.defaults(), keepRaw);
    RecordingListener out = new RecordingListener();
    switch (random.nextInt(3)) {
      case 0 -> feed(d, template.data(templateId, fields, values).build(), random, out);
      case 1 -> {
        feed(d, template.build(), random, out);
        feed(d, data, random, out);
      }
      default -> {
        feed(d, data, random, out);
        feed(d, template.build(), random, out);
      }
    }
    String where = run + " " + fields;
    assertEquals(List.of(), out.errors, where);
    assertEquals(count, out.records.size(), where);
    for (int i = 0; i < count; i++) {
      FlowRecord r = out.records.get(i);
      assertEquals(domain, r.observationDomain(), where);
      assertEquals(templateId, r.templateId(), where);
      for (int f = 0; f < fields.size(); f++) {
        if (elements.get(f).read() == NOISE) continue;
        Object actual = elements.get(f).read().apply(r);
        assertEquals(expected(fields.get(f), values.get(i).get(f)), actual, where + " field " + fields.get(f));
      }
      if (keepRaw) assertEquals(fields.size(), r.raw().size(), where + " raw " + r.raw());
    }
  }

  /** As a heap array, a slice of a larger array, or direct memory at a non-zero reader index. */
  private static void feed(TemplateDecoders d, byte[] message, Random random, RecordingListener out) {
    ByteBuf buf = switch (random.nextInt(3)) {
      case 0 -> Unpooled.wrappedBuffer(message);
      case 1 -> TemplateDecoders.sliced(message, 1 + random.nextInt(40));
      default -> TemplateDecoders.direct(message, random.nextInt(40));
    };
    d.feed(buf, TemplateDecoders.EXPORTER, 1_000, out);
    buf.release();
  }

  private static ExportWriter writer(int version, long domain) {
    return version == 9 ? ExportWriter.v9(50_000, 1_700_000_000L, 1, domain) : ExportWriter.ipfix(1_700_000_000L, 1, domain);
  }

  private static Object value(Field f, Random random) {
    if (f.length() == VARIABLE) {
      byte[] b = new byte[random.nextInt(2) == 0 ? random.nextInt(10) : 255 + random.nextInt(300)];
      for (int i = 0; i < b.length; i++) b[i] = (byte) ('a' + random.nextInt(26));
      return b;
    }
    if (f.length() == 16) {
      byte[] b = new byte[16];
      random.nextBytes(b);
      return b;
    }
    if (f.length() > 8) throw new IllegalStateException();
    long v = random.nextLong() & Long.MAX_VALUE;
    return f.length() == 8 ? v : v & ((1L << (8 * f.length())) - 1);
  }

  private static Object expected(Field f, Object value) {
    if (value instanceof byte[] b && b.length == 16) return IpAddr.of(b);
    if (f.length() == 4 && (f.id() == 8 || f.id() == 12) && f.pen() == 0) return IpAddr.ofV4((int) (long) (Long) value);
    return value;
  }
}
