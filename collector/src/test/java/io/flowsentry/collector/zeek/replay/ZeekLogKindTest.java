package io.flowsentry.collector.zeek.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZeekLogKindTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} named {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "#separator \\x09\\n#path\\tdns\\n#fields\\tts|conn.log|DNS",
      "#separator \\x09\\n#path\\tconn\\n#fields\\tts|dns.log|CONN",
      "#separator \\x09\\n#path\\thttp\\n|x.log|CONN",
      "{\"_path\":\"dns\",\"ts\":1.0,\"query\":\"a.example\"}|stream.json|DNS",
      "{\"_path\" : \"conn\",\"ts\":1.0}|dns.log|CONN",
      "{\"ts\":1.0,\"query\":\"a.example\"}|dns.log|DNS",
      "{\"ts\":1.0,\"query\":\"a.example\"}|dns.2026-11-28-00-00-00.log.gz|DNS",
      "{\"ts\":1.0}|conn.log|CONN",
      "1.0\\tC1\\t10.0.0.1|dns.log|DNS",
      "1.0\\tC1\\t10.0.0.1\\n#path\\tdns|x.log|CONN",
      "|dns.log|DNS",
      "|mydns.log|CONN"})
  void toldByPathHeaderJsonPathOrName(String head, String name, ZeekLogKind kind) {
    assertEquals(kind, ZeekLogKind.of(head == null ? "" : head.replace("\\n", "\n").replace("\\t", "\t"), name));
  }

  @Test
  void aCompressedFileIsToldByItsContent() throws Exception {
    Path f = dir.resolve("archive.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("#separator \\x09\n#path\tdns\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertEquals(ZeekLogKind.DNS, ZeekLogKind.of(f));
  }
}
