package io.flowsentry.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private static HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void aFailingScrapeIsAnsweredWith500AndTheReason() throws Exception {
    PrometheusMeterRegistry failing = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
      @Override
      public String scrape(String contentType) {
        throw new IllegalStateException("duplicate labels");
      }
    };
    MetricsServer server = new MetricsServer(new InetSocketAddress("127.0.0.1", 0), failing,
        () -> new MetricsServer.Health(true, "ok\n"));
    server.start();
    try {
      HttpResponse<String> r = get(server, "/metrics");
      assertEquals(500, r.statusCode());
      assertTrue(r.body().contains("scrape failed: java.lang.IllegalStateException: duplicate labels"), r.body());
      assertEquals(200, get(server, "/healthz").statusCode()); // the server keeps serving
    } finally {
      server.close();
    }
  }
}
