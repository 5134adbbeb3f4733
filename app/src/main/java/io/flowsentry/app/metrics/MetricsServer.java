package io.flowsentry.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowsentry.collector.udp.ListenAddress;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics} (Prometheus text format) and {@code /healthz} (200 when every input
 * runs, 503 with the reasons otherwise). The JDK's built-in HTTP server is enough for a scrape
 * every few seconds, so no web framework.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
  private final HttpServer server;
  private final ExecutorService executor;

  /** An answer of a {@link Route}. */
  public record Answer(int status, String type, String body) {}

  /** An extra read-only endpoint, such as {@code /explain}; it runs on the HTTP thread. */
  @FunctionalInterface
  public interface Route {
    Answer answer(URI request);
  }

  /** What /healthz reports: healthy, and a line per input. */
  public record Health(boolean healthy, String detail) {}

  public MetricsServer(InetSocketAddress listen, PrometheusMeterRegistry registry, Supplier<Health> health) throws IOException {
    try {
      server = HttpServer.create(listen, 16);
    } catch (IOException e) {
      throw new IOException("metrics: cannot listen on " + ListenAddress.of(listen) + ": " + e.getMessage(), e);
    }
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> {
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      String body;
      try {
        body = registry.scrape(accept == null ? "text/plain" : accept);
      } catch (RuntimeException e) {
        // uncaught, the JDK server would close the connection without a word: an "empty reply"
        log.warn("metrics: scrape failed, answered 500", e);
        respond(exchange, 500, "text/plain; charset=utf-8", "flowsentry: scrape failed: " + e + "\n");
        return;
      }
      String type = body.startsWith("# HELP") || body.startsWith("# TYPE") || !body.contains("# EOF")
          ? "text/plain; version=0.0.4; charset=utf-8"
          : "application/openmetrics-text; version=1.0.0; charset=utf-8";
      respond(exchange, 200, type, body);
    });
    server.createContext("/healthz", exchange -> {
      Health h = health.get();
      respond(exchange, h.healthy() ? 200 : 503, "text/plain; charset=utf-8", h.detail());
    });
    server.createContext("/", exchange -> respond(exchange, 404, "text/plain; charset=utf-8",
        "flowsentry: see /metrics and /healthz\n"));
  }

  /**
   * Adds a loopback-only endpoint (call before {@link #start}): /metrics may listen on every
   * address for Prometheus, but what a route tells (policies, suppressed keys) is for the
   * machine's own operators, so a request from any other address gets 403.
   */
  public void route(String path, Route route) {
    server.createContext(path, exchange -> {
      if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
        respond(exchange, 403, "text/plain; charset=utf-8", "flowsentry: " + path + " answers loopback clients only\n");
        return;
      }
      Answer a;
      try {
        a = route.answer(exchange.getRequestURI());
      } catch (RuntimeException e) {
        log.warn("{}: request {} failed, answered 500", path, exchange.getRequestURI(), e);
        a = new Answer(500, "text/plain; charset=utf-8", "flowsentry: " + path + " failed: " + e + "\n");
      }
      respond(exchange, a.status(), a.type(), a.body());
    });
  }

  public void start() {
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
