package io.flowsentry.analyzer.delivery;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outputs.webhook}: alarms POSTed in batches as a JSON array of notice.log objects
 * ({@code Content-Type: application/json}) with the JDK's HTTP client, from a bounded queue on
 * its own thread. A batch is retried until the endpoint answers 2xx — on a connection error, a
 * timeout, 408, 429 or 5xx — waiting 500ms, doubling to {@code max_backoff}; another 4xx is
 * final (the endpoint rejects the content) and the batch counts as failed. While retrying, new
 * alarms wait in the queue and what does not fit is dropped and counted. A request that timed
 * out may have reached the endpoint: its retry can deliver that batch twice.
 * Counts {@code flowsentry_alarm_deliveries_total{output="webhook",result=sent|dropped|failed}}
 * per alarm, each failed attempt in {@code flowsentry_alarm_delivery_errors_total{output="webhook",
 * reason=connect|http_status}} (connection error or timeout; 408, 429 or 5xx) and
 * {@code flowsentry_alarm_delivery_queue{output="webhook"}}; failures are logged
 * once a minute at most. The bearer token file is read once at start-up.
 */
public final class WebhookDelivery implements AlarmDelivery {
  private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
  private static final long FIRST_BACKOFF_MILLIS = 500;
  private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
  private static final String CONNECT = "connect";
  private static final String HTTP_STATUS = "http_status";

  private final WebhookConfig config;
  private final AlarmFormat format;
  private final URI uri;
  private final String authorization;
  private final HttpClient http;
  private final DeliveryQueue queue;

  /** @throws IOException when the bearer token file cannot be read */
  public WebhookDelivery(WebhookConfig config, AlarmFormat format, MeterRegistry registry) throws IOException {
    this.config = config;
    this.format = format;
    this.uri = URI.create(config.url());
    this.authorization = config.bearerTokenFile().isEmpty() ? null
        : "Bearer " + Files.readString(Path.of(config.bearerTokenFile())).strip();
    this.http = HttpClient.newBuilder().connectTimeout(config.timeoutDuration()).build();
    this.queue = new DeliveryQueue("webhook", config.queueCapacity(), registry, log, List.of(CONNECT, HTTP_STATUS));
    queue.start(this::run);
  }

  @Override
  public void offer(Alarm alarm) {
    queue.offer(alarm, uri);
  }

  private void run() {
    List<Alarm> batch = new ArrayList<>(config.batchSize());
    while (!queue.done()) {
      try {
        Alarm first = queue.poll(200);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, config.batchSize() - 1);
        deliver(batch);
      } catch (InterruptedException e) {
        return;
      }
      batch.clear();
    }
  }

  /** POSTs the batch until it is accepted, finally rejected, or the writer is closing and the endpoint is down. */
  private void deliver(List<Alarm> batch) throws InterruptedException {
    StringBuilder body = new StringBuilder(batch.size() * 400).append('[');
    for (int i = 0; i < batch.size(); i++) body.append(i == 0 ? "" : ",").append(format.noticeJson(batch.get(i)));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.timeoutDuration())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString()));
    if (authorization != null) request.header("Authorization", authorization);
    long backoff = FIRST_BACKOFF_MILLIS;
    while (true) {
      String problem;
      try {
        int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          queue.sent(batch.size());
          return;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
          queue.failed(batch.size());
          queue.warn("webhook {}: HTTP {} rejects the alarms; {} not delivered", uri, status, batch.size());
          return;
        }
        problem = "HTTP " + status;
        queue.error(HTTP_STATUS);
      } catch (IOException e) {
        problem = e.toString();
        queue.error(CONNECT);
      }
      if (queue.closing()) {
        queue.failed(batch.size());
        queue.warn("webhook {}: {} at shutdown; {} alarms not delivered", uri, problem, batch.size());
        return;
      }
      queue.warn("webhook {}: {}; retrying", uri, problem);
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, config.maxBackoffDuration().toMillis());
    }
  }

  @Override
  public void close() throws InterruptedException {
    queue.close(CLOSE_TIMEOUT_MILLIS + config.timeoutDuration().toMillis(), uri);
  }
}
