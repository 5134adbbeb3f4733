package io.flowsentry.collector.zeek.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.zeek.ZeekTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conn.log and dns.log files read side by side: answers and events handed over in event time. */
class ZeekReplayTest {
  private static final String DNS_HEADER = """
      #separator \\x09
      #path\tdns
      #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\tanswers\tTTLs
      #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tstring\tvector[string]\tvector[interval]
      """;

  @TempDir Path dir;
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  private ZeekReplay replay() {
    return new ZeekReplay(e -> seen.add("conn " + e.tsMicros() / 1_000_000), a -> seen.add("dns " + a.tsMicros() / 1_000_000),
        false, Clock.systemUTC());
  }

  private Path conn(String name, long... seconds) throws IOException {
    StringBuilder sb = new StringBuilder(ZeekTestData.connHeader(false));
    for (long s : seconds) {
      sb.append(s).append(".000000\tC").append(s).append("\t10.0.0.1\t40000\t203.0.113.1\t443\ttcp\t-\t-\t-\t-\tS0\tT\tF\t0\tS\t1\t60\t0\t0\t-\n");
    }
    return Files.writeString(dir.resolve(name), sb);
  }

  private Path dns(String name, long... seconds) throws IOException {
    StringBuilder sb = new StringBuilder(DNS_HEADER);
    for (long s : seconds) sb.append(s).append(".000000\tD\t10.0.0.1\t5300\t10.0.0.53\t53\tudp\t1\tcdn.example\t203.0.113.1\t60.0\n");
    return Files.writeString(dir.resolve(name), sb);
  }

  @Test
  void answersAndConnectionsArriveInEventTimeAnAnswerFirstOnATie() throws Exception {
    ZeekReplay.Summary s = replay().read(List.of(conn("c1.log", 10, 20), conn("c2.log", 30, 40)),
        List.of(dns("d1.log", 5, 20), dns("d2.log", 35, 50)), i -> { });
    assertEquals(List.of("dns 5", "conn 10", "dns 20", "conn 20", "conn 30", "dns 35", "conn 40", "dns 50"), seen);
    assertEquals(new ZeekReplay.Summary(4, 4, 0), s);
  }

  @Test
  void manyMoreLinesThanTheQueuesHoldStayInOrder() throws Exception {
    long[] connTimes = new long[5000];
    long[] dnsTimes = new long[5000];
    for (int i = 0; i < 5000; i++) {
      connTimes[i] = 1000 + 2L * i + 1;
      dnsTimes[i] = 1000 + 2L * i;
    }
    ZeekReplay.Summary s = replay().read(List.of(conn("c.log", connTimes)), List.of(dns("d.log", dnsTimes)), i -> { });
    assertEquals(10_000, seen.size());
    for (int i = 0; i < seen.size(); i++) {
      assertEquals((i % 2 == 0 ? "dns " : "conn ") + (1000 + i), seen.get(i));
    }
    assertEquals(new ZeekReplay.Summary(5000, 5000, 0), s);
  }

  @Test
  void withoutDnsLogsTheConnLogsAreReadInTheirOrderAndBadLinesCounted() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.log"), ZeekTestData.connHeader(false) + "not a line\n");
    List<Integer> files = new ArrayList<>();
    ZeekReplay.Summary s = replay().read(List.of(conn("c2.log", 30), bad, conn("c1.log", 10)), List.of(), files::add);
    assertEquals(List.of("conn 30", "conn 10"), seen);
    assertEquals(List.of(0, 1, 2), files);
    assertEquals(new ZeekReplay.Summary(2, 0, 1), s);
  }

  @Test
  void aFileThatCannotBeReadIsNamed() throws Exception {
    Path missing = dir.resolve("gone-dns.log");
    IOException e = assertThrows(IOException.class,
        () -> replay().read(List.of(conn("c.log", 10)), List.of(missing), i -> { }));
    assertTrue(e.getMessage().startsWith(missing + ": "), e.getMessage());
  }
}
