package io.flowsentry.app.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** outputs.events: a file (appended, folders created), stdout for "-", and the raw elements. */
class EventsSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** An IPFIX flow as the collector normalizes it, with two decoded elements kept raw. */
  private static ConnectionEvent flow(int origPort) {
    return ConnectionEvent.builder()
        .tsMicros(1_700_000_000_000_001L)
        .origH("192.168.4.7").origP(origPort).respH("203.0.113.9").respP(443).proto(ConnectionEvent.TCP)
        .directionConfidence(DirectionConfidence.PORT_HEURISTIC)
        .source(EventSource.IPFIX).exporter("127.0.0.1")
        .raw(Map.of("ingressInterface", 3, "vlanId", 42))
        .build();
  }

  private static List<JsonNode> lines(String text) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) out.add(JSON.readTree(line));
    }
    assertTrue(text.isEmpty() || text.endsWith("\n"), "every line ends with a newline: " + text);
    return out;
  }

  @Test
  void aFileGetsOneConnLogJsonLinePerEventAndIsAppendedTo() throws Exception {
    Path file = dir.resolve("new/folder/events.json");
    try (EventsSink sink = EventsSink.open(file.toString(), false, CommunityId.DEFAULT_SEED, ResponderNames.NONE)) {
      assertEquals(file.toString(), sink.where());
      sink.onEvent(flow(40000));
      sink.flush();
      assertEquals(1, lines(Files.readString(file)).size(), "visible after flush, before close");
      sink.onEvent(flow(40001));
    }
    try (EventsSink sink = EventsSink.open(file.toString(), false, CommunityId.DEFAULT_SEED, ResponderNames.NONE)) {
      sink.onEvent(flow(40002));
    }
    List<JsonNode> events = lines(Files.readString(file));
    assertEquals(List.of(40000, 40001, 40002), events.stream().map(e -> e.get("id.orig_p").asInt()).toList());
    JsonNode first = events.getFirst();
    // ts in epoch seconds to the microsecond, as Zeek writes it (a double would not hold it)
    assertTrue(Files.readString(file).startsWith("{\"ts\":1700000000.000001,"), Files.readString(file));
    assertEquals("192.168.4.7", first.get("id.orig_h").asText());
    assertEquals("203.0.113.9", first.get("id.resp_h").asText());
    assertEquals(443, first.get("id.resp_p").asInt());
    assertEquals("tcp", first.get("proto").asText());
    assertEquals("ipfix", first.get("source").asText());
    assertEquals("127.0.0.1", first.get("exporter").asText());
    assertEquals("port-heuristic", first.get("direction_confidence").asText());
    assertFalse(first.has("ingressInterface") || first.has("vlanId"), "raw elements only with raw: true: " + first);
    assertEquals("1:8Xh6s/3Cee3wHkXkrZHmzz/TZUc=", first.get("community_id").asText(), "independently computed, seed 0");
  }

  @Test
  void respNameIsWhatTheOriginatorResolvedAtTheEventsTime() throws Exception {
    Path file = dir.resolve("named.json");
    ResponderNames names = (orig, resp, at) ->
        orig.toString().equals("192.168.4.7") && at == 1_700_000_000_000_001L ? "updates.example.com" : null;
    try (EventsSink sink = EventsSink.open(file.toString(), false, CommunityId.DEFAULT_SEED, names)) {
      sink.onEvent(flow(40000));
      sink.onEvent(flow(40001).toBuilder().origH("192.168.4.8").build());
    }
    List<JsonNode> events = lines(Files.readString(file));
    assertEquals("updates.example.com", events.get(0).get("resp_name").asText());
    assertFalse(events.get(1).has("resp_name"), "no name known: no key, as Zeek omits unset fields");
  }

  @Test
  void communityIdTakesTheSitesSeed() throws Exception {
    Path file = dir.resolve("seeded.json");
    try (EventsSink sink = EventsSink.open(file.toString(), false, new CommunityId(3), ResponderNames.NONE)) {
      sink.onEvent(flow(40000));
    }
    // independently computed with seed 3
    assertEquals("1:JQj3S/U9iatSYAiDgwFRhFUJVYE=", lines(Files.readString(file)).getFirst().get("community_id").asText());
  }

  @Test
  void rawTrueAddsEveryDecodedElementByItsName() throws Exception {
    Path file = dir.resolve("raw.json");
    try (EventsSink sink = EventsSink.open(file.toString(), true, CommunityId.DEFAULT_SEED, ResponderNames.NONE)) {
      sink.onEvent(flow(40000));
    }
    JsonNode event = lines(Files.readString(file)).getFirst();
    assertEquals(3, event.get("ingressInterface").asInt(), event.toString());
    assertEquals(42, event.get("vlanId").asInt(), event.toString());
    assertEquals("192.168.4.7", event.get("id.orig_h").asText());
  }

  @Test
  void dashWritesToStandardOutputAndCloseLeavesItOpen() throws Exception {
    PrintStream before = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    boolean[] closed = {false};
    PrintStream stdout = new PrintStream(captured, true, StandardCharsets.UTF_8) {
      @Override
      public void close() {
        closed[0] = true;
        super.close();
      }
    };
    System.setOut(stdout);
    try {
      EventsSink sink = EventsSink.open("-", false, CommunityId.DEFAULT_SEED, ResponderNames.NONE);
      assertEquals("stdout", sink.where());
      sink.onEvent(flow(40000));
      sink.close();
    } finally {
      System.setOut(before);
    }
    List<JsonNode> events = lines(captured.toString(StandardCharsets.UTF_8));
    assertEquals(1, events.size());
    assertEquals(40000, events.getFirst().get("id.orig_p").asInt());
    assertFalse(closed[0], "closing the sink must not close standard output");
  }
}
