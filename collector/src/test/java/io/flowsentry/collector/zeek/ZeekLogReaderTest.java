package io.flowsentry.collector.zeek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.zeek.ConnLogWriter.Format;
import io.flowsentry.collector.zeek.ZeekLogReader.FileSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeekLogReaderTest {
  @TempDir Path dir;

  @Test
  void readsPlainAndGzipTsvAndJsonInTheGivenOrder() throws IOException {
    Path a = dir.resolve("a.log");
    Path b = dir.resolve("b.log");
    Path c = dir.resolve("c.json");
    ConnLogWriter tsv = new ConnLogWriter(Format.TSV);
    ConnLogWriter json = new ConnLogWriter(Format.JSON);
    ConnLogWriter.append(a, tsv.header("2026-11-28-00-00-00") + tsv.lines(0, 3) + "#close\t2026-11-28-01-00-00\n");
    ConnLogWriter.append(b, tsv.header("2026-11-28-01-00-00") + tsv.lines(3, 5) + "bad line\n" + tsv.line(5).trim());
    Path bz = ConnLogWriter.gzipAndDelete(b);
    ConnLogWriter.append(c, json.lines(6, 9));
    List<String> uids = new ArrayList<>();
    List<FileSummary> summaries = new ZeekLogReader(e -> uids.add(e.uid()), false, Clock.systemUTC())
        .readAll(List.of(c, a, bz));
    assertEquals(List.of("C6", "C7", "C8", "C0", "C1", "C2", "C3", "C4"), uids);
    assertEquals(List.of(new FileSummary(c, 3, 0), new FileSummary(a, 3, 0), new FileSummary(bz, 2, 2)), summaries,
        "the bad line and the last line without newline are counted");
  }

  @Test
  void everyTestDataFileGivesItsRecords() throws IOException {
    List<ConnectionEvent> events = new ArrayList<>();
    ZeekLogReader reader = new ZeekLogReader(events::add, false, Clock.systemUTC());
    for (ZeekTestData.Entry e : ZeekTestData.index()) {
      FileSummary s = reader.read(e.path());
      assertEquals(e.records(), s.events() + s.badLines(), e.file());
    }
    events.forEach(ev -> assertTrue(ev.exporter().startsWith(ZeekTestData.dir().toString())));
  }
}
