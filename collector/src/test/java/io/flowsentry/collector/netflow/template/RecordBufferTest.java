package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flowsentry.collector.netflow.FlowRecord;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RecordBufferTest {

  @Test
  void keepsEveryRecordOfAMessageApartAndInOrder() {
    RecordBuffer buffer = RecordBuffer.forThisThread();
    for (int i = 0; i < 1000; i++) {
      FlowRecord.Builder b = buffer.next().reset();
      b.sourcePort = i;
      if (i % 7 == 0) continue; // not kept (an options record, say): the next record reuses it
      buffer.keep();
    }
    assertEquals(1000 - 143, buffer.size());
    int expected = 1;
    for (int i = 0; i < buffer.size(); i++, expected++) {
      if (expected % 7 == 0) expected++;
      assertEquals(expected, buffer.get(i).sourcePort());
    }
  }

  @Test
  void reusesBuildersFromMessageToMessageAndKeepsOnlyABoundedNumber() {
    RecordBuffer buffer = RecordBuffer.forThisThread();
    for (int i = 0; i < 5000; i++) {
      buffer.next();
      buffer.keep();
    }
    FlowRecord.Builder first = buffer.get(0);
    buffer = RecordBuffer.forThisThread();
    assertEquals(0, buffer.size());
    assertSame(first, buffer.next());
    assertEquals(RecordBuffer.RETAINED, buffer.capacity());
  }

  @Test
  void eachThreadHasItsOwn() throws Exception {
    RecordBuffer mine = RecordBuffer.forThisThread();
    RecordBuffer other = CompletableFuture.supplyAsync(RecordBuffer::forThisThread).get();
    assertNotSame(mine, other);
  }
}
