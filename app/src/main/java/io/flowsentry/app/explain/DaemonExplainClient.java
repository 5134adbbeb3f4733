package io.flowsentry.app.explain;

import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explainer;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.analyzer.explain.ExplanationJson;
import io.flowsentry.app.config.MetricsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the daemon serving {@code metrics.listen} for {@code /explain}, always over loopback: a
 * wildcard listen address (0.0.0.0, ::) is asked at 127.0.0.1 (or ::1), and an address of
 * another machine is not asked at all. Bounded: 2 s to connect, 5 s for the answer.
 */
public final class DaemonExplainClient {
  private static final Duration CONNECT = Duration.ofSeconds(2);
  private static final Duration ANSWER = Duration.ofSeconds(5);

  /** Exactly one of: the daemon's explanation, its error, or why it could not be asked. */
  public record Result(Optional<Explanation> explanation, Optional<String> error, String unreachable) {}

  private DaemonExplainClient() {}

  /** @param atMicros the moment asked for, or null for the daemon's own clock */
  public static Result ask(MetricsConfig metrics, Connection c, Long atMicros) {
    InetSocketAddress listen;
    try {
      listen = metrics.address();
    } catch (RuntimeException e) {
      return unreachable("metrics.listen \"" + metrics.listen() + "\" is not an address");
    }
    InetAddress host = listen.getAddress();
    if (host == null || listen.getPort() == 0) {
      return unreachable("no daemon address in metrics.listen \"" + metrics.listen() + "\"");
    }
    String target;
    if (host.isAnyLocalAddress()) target = host.getAddress().length == 16 ? "[::1]" : "127.0.0.1";
    else if (host.isLoopbackAddress()) target = host.getHostAddress().contains(":") ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
    else return unreachable("metrics.listen " + metrics.listen() + " is not a loopback or wildcard address (explain asks over loopback only)");
    String query = "orig=" + c.orig() + "&resp=" + c.resp() + "&port=" + c.port() + "&proto=" + protoName(c)
        + (atMicros == null ? "" : "&at=" + Explainer.time(atMicros));
    URI uri = URI.create("http://" + target + ":" + listen.getPort() + ExplainEndpoint.PATH + "?" + query.replace(":", "%3A"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(ANSWER).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) return unreachable("the daemon at " + target + ":" + listen.getPort() + " has no /explain (an older version)");
      if (r.statusCode() != 200) return new Result(Optional.empty(), Optional.of("the daemon answered " + r.statusCode() + ": " + r.body().strip()), null);
      return new Result(Optional.of(ExplanationJson.read(r.body())), Optional.empty(), null);
    } catch (IOException e) {
      return unreachable("no daemon reachable at " + target + ":" + listen.getPort() + " (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unreachable("interrupted while asking the daemon");
    } finally {
      http.close();
    }
  }

  private static String protoName(Connection c) {
    return c.service().substring(c.service().indexOf('/') + 1);
  }

  private static Result unreachable(String why) {
    return new Result(Optional.empty(), Optional.empty(), why);
  }
}
