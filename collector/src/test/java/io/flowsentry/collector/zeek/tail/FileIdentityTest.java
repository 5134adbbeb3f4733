package io.flowsentry.collector.zeek.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.zeek.ZeekTestData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileIdentityTest {
  static String fp(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return FileIdentity.fingerprint(b, b.length);
  }

  @Test
  void identicalFirstLinesDoNotMakeFilesTheSame() {
    String a = ZeekTestData.connHeader(false);
    String b = a.replace("#open\t2026-11-28-00-00-00", "#open\t2026-11-28-01-00-00");
    assertTrue(a.startsWith("#separator \\x09\n") && b.startsWith("#separator \\x09\n"));
    assertNotNull(fp(a));
    assertNotEquals(fp(a), fp(b));
    assertEquals(fp(a), fp(a + "1.0\tC1\t10.0.0.1\n"), "data lines after the header do not change it");
  }

  @Test
  void waitsUntilItCanTell() {
    assertNull(fp(""));
    assertNull(fp("#separator \\x09\n#path\tconn\n"), "#open may still come");
    assertNull(fp("{\"ts\":1,\"uid\":\"C1\""), "the first JSON line is not complete");
    assertNotNull(fp("{\"ts\":1,\"uid\":\"C1\"}\n"));
    assertNotEquals(fp("{\"ts\":1,\"uid\":\"C1\"}\n"), fp("{\"ts\":1,\"uid\":\"C2\"}\n"));
  }

  @Test
  void bro2WithoutOpenUsesTheFirstDataLine() {
    String header = "#separator \\x09\n#path\tconn\n#fields\tts\tuid\n#types\ttime\tstring\n";
    assertNull(fp(header));
    assertNotEquals(fp(header + "1.0\tPnD4HZ8SFvf\n"), fp(header + "2.0\tXnD4HZ8SFvf\n"));
  }

  @Test
  void aReusedInodeWithOtherContentIsAnotherFile() {
    FileKey key = new FileKey(2049, 1234);
    Checkpoint.FilePosition at = new Checkpoint.FilePosition("/z/conn.log", 2049, 1234, "aaaa", 500);
    assertTrue(at.matches(new FileIdentity(key, "aaaa")));
    assertFalse(at.matches(new FileIdentity(key, "bbbb")), "same inode, other header");
    assertFalse(at.matches(new FileIdentity(new FileKey(2049, 999), "aaaa")), "a copy on the same device is not the renamed file");
    assertTrue(at.matches(new FileIdentity(null, "aaaa")), "compressed archive: content decides");
    assertFalse(at.matches(new FileIdentity(null, null)));
    Checkpoint.FilePosition headerOnly = new Checkpoint.FilePosition("/z/conn.log", 2049, 1234, null, 80);
    assertTrue(headerOnly.matches(new FileIdentity(key, null)));
  }

  @Test
  void checkpointKeepsTheNewestDoneFingerprints() {
    List<String> many = java.util.stream.IntStream.range(0, Checkpoint.MAX_DONE + 5).mapToObj(Integer::toString).toList();
    Checkpoint c = new Checkpoint("/z/conn.log", null, many);
    assertEquals(Checkpoint.MAX_DONE, c.done().size());
    assertEquals("5", c.done().getFirst());
  }
}
