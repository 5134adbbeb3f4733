package io.flowsentry.analyzer.delivery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.net.ConfigChecks;
import io.flowsentry.collector.config.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code outputs.webhook} section: alarms POSTed as a JSON array of notice.log objects to an
 * HTTP(S) endpoint (a chat webhook relay, a SIEM's HTTP collector). Off while {@code url} is empty.
 *
 * @param url http:// or https:// endpoint; empty = off
 * @param batchSize most alarms in one POST
 * @param timeout how long one POST may take before it counts as failed and is retried
 * @param maxBackoff longest wait between retries (the wait starts at 500ms and doubles)
 * @param bearerTokenFile a file whose content (trimmed) is sent as {@code Authorization: Bearer ...}; empty = none
 * @param queueCapacity alarms waiting for the endpoint; beyond it they are dropped and counted
 */
public record WebhookConfig(
    @JsonProperty("url") String url,
    @JsonProperty("batch_size") Integer batchSize,
    @JsonProperty("timeout") String timeout,
    @JsonProperty("max_backoff") String maxBackoff,
    @JsonProperty("bearer_token_file") String bearerTokenFile,
    @JsonProperty("queue_capacity") Integer queueCapacity) {

  public WebhookConfig {
    url = url == null ? "" : url.strip();
    batchSize = batchSize == null ? 100 : batchSize;
    timeout = timeout == null ? "10s" : timeout;
    maxBackoff = maxBackoff == null ? "60s" : maxBackoff;
    bearerTokenFile = bearerTokenFile == null ? "" : bearerTokenFile.strip();
    queueCapacity = queueCapacity == null ? 10_000 : queueCapacity;
  }

  public static WebhookConfig defaults() {
    return new WebhookConfig(null, null, null, null, null, null);
  }

  public boolean enabled() {
    return !url.isEmpty();
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    if (enabled()) {
      try {
        URI u = URI.create(url);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
          throw new IllegalArgumentException("not http(s)");
        }
      } catch (IllegalArgumentException e) {
        problems.add(ConfigChecks.problem(keyPrefix + ".url", url, "an http:// or https:// URL"));
      }
    }
    ConfigChecks.range(keyPrefix + ".batch_size", batchSize, 1, 10_000, problems);
    ConfigChecks.duration(keyPrefix + ".timeout", timeout, Duration.ofMillis(100), problems);
    ConfigChecks.duration(keyPrefix + ".max_backoff", maxBackoff, Duration.ofMillis(500), problems);
    ConfigChecks.range(keyPrefix + ".queue_capacity", queueCapacity, 1, 1_000_000, problems);
    return problems;
  }

  public Duration timeoutDuration() {
    return Durations.parse(timeout);
  }

  public Duration maxBackoffDuration() {
    return Durations.parse(maxBackoff);
  }
}
