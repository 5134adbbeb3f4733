package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.metrics.Registries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A configured conn.log that does not exist: said at start-up and on /healthz, without calling the process unhealthy. */
class ZeekWaitingHealthTest {
  @TempDir Path dir;

  private static HttpResponse<String> healthz(Daemon daemon) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + daemon.metricsAddress().getPort() + "/healthz");
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> awaitHealthz(Daemon daemon, Predicate<String> body) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      HttpResponse<String> r = healthz(daemon);
      if (body.test(r.body())) return r;
      if (System.nanoTime() > deadline) fail("/healthz never matched; last answer: " + r.statusCode() + " " + r.body());
      Thread.sleep(50);
    }
  }

  @Test
  void aMissingConnLogIsAWarningAndWaitingOnHealthz() throws Exception {
    Path connLog = dir.resolve("zeek/conn.log");
    FlowsentryConfig config = ConfigLoader.parse("""
        inputs:
          netflow:
            listen: []
          zeek:
            - path: %s
              poll_interval: 50ms
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(connLog, dir.resolve("log"), dir.resolve("state")), "test.yml");
    Logger daemonLog = (Logger) LoggerFactory.getLogger(Daemon.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    daemonLog.addAppender(logged);
    try (Daemon daemon = new Daemon(dir.resolve("test.yml"), config, Registries.prometheus(), Clock.systemUTC())) {
      daemon.start();
      daemonLog.detachAppender(logged);
      List<String> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
      assertEquals(List.of("zeek: " + connLog + " does not exist; waiting for it (read from its beginning when it appears)"), warnings);

      HttpResponse<String> waiting = healthz(daemon);
      assertEquals(200, waiting.statusCode(), "the process is healthy; restarting it would not make the file appear");
      assertEquals("ok\nzeek " + connLog + ": waiting for " + connLog + "\n", waiting.body());

      Files.createDirectories(connLog.getParent());
      Files.writeString(connLog, "#separator \\x09\n");
      HttpResponse<String> following = awaitHealthz(daemon, b -> !b.contains("waiting"));
      assertEquals(200, following.statusCode());
      assertEquals("ok\nzeek " + connLog + ": following\n", following.body());
    } finally {
      daemonLog.detachAppender(logged);
    }
  }

  @Test
  void anExistingConnLogIsFollowedWithoutAWarning() throws Exception {
    Path connLog = Files.writeString(dir.resolve("conn.log"), "#separator \\x09\n");
    FlowsentryConfig config = ConfigLoader.parse("""
        inputs:
          netflow:
            listen: []
          zeek:
            - path: %s
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(connLog, dir.resolve("log"), dir.resolve("state")), "test.yml");
    Logger daemonLog = (Logger) LoggerFactory.getLogger(Daemon.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    daemonLog.addAppender(logged);
    try (Daemon daemon = new Daemon(dir.resolve("test.yml"), config, Registries.prometheus(), Clock.systemUTC())) {
      daemon.start();
      daemonLog.detachAppender(logged);
      assertTrue(logged.list.stream().noneMatch(e -> e.getLevel() == Level.WARN), logged.list.toString());
      assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().equals("zeek: following " + connLog + " (start at end)")),
          logged.list.toString());
      assertEquals("ok\nzeek " + connLog + ": following\n", awaitHealthz(daemon, b -> b.contains("following")).body());
    } finally {
      daemonLog.detachAppender(logged);
    }
  }
}
