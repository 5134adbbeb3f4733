package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DieOnDeadThreadTest {
  @Test
  void aThreadThatDiesEndsTheProcessNonZeroAfterALastLogLine() throws Exception {
    List<Integer> halted = new ArrayList<>();
    Logger logger = (Logger) LoggerFactory.getLogger(DieOnDeadThread.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      Thread t = Thread.ofPlatform().name("flowsentry-alarm-writer").unstarted(() -> {
        throw new IllegalStateException("a bug");
      });
      t.setUncaughtExceptionHandler(new DieOnDeadThread(halted::add, 1));
      t.start();
      t.join();
    } finally {
      logger.detachAppender(logged);
    }
    assertEquals(List.of(1), halted);
    String last = logged.list.getLast().getFormattedMessage();
    assertTrue(last.startsWith("internal thread \"flowsentry-alarm-writer\" died: java.lang.IllegalStateException: a bug;"), last);
  }
}
