package io.flowsentry.app.explain;

import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.analyzer.core.Analyzer;
import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explainer;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.analyzer.explain.Explanation.Suppression;
import io.flowsentry.analyzer.explain.ExplanationJson;
import io.flowsentry.analyzer.explain.Moment;
import io.flowsentry.analyzer.suppress.SuppressionKey;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.metrics.MetricsServer.Answer;
import io.flowsentry.app.metrics.MetricsServer.Route;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /explain?orig=A&resp=B&port=443&proto=tcp[&at=TIME]} on a running daemon: the
 * explanation of {@link Explainer} with the daemon's live names (background DNS, dns.log) and,
 * per policy, whether the key is suppressed at that moment and until when. Without {@code at}
 * the moment is the daemon's event clock (the newest event), the clock suppression runs on;
 * before any event, the wall clock. Answers 400 with the reason for a bad query.
 */
public final class ExplainEndpoint implements Route {
  public static final String PATH = "/explain";
  private static final String JSON = "application/json; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  /** A query is a few short words; anything longer is not one. */
  private static final int MAX_QUERY = 1024;

  private final Supplier<FlowsentryConfig> config;
  private final AnalysisEngine engine;
  private final Clock clock;

  public ExplainEndpoint(Supplier<FlowsentryConfig> config, AnalysisEngine engine, Clock clock) {
    this.config = config;
    this.engine = engine;
    this.clock = clock;
  }

  @Override
  public Answer answer(URI request) {
    String raw = request.getRawQuery();
    if (raw == null || raw.length() > MAX_QUERY) {
      return bad("expected ?orig=ADDRESS&resp=ADDRESS&port=PORT&proto=tcp|udp|icmp[&at=TIME]");
    }
    Map<String, String> q = query(raw);
    for (String k : List.of("orig", "resp", "port", "proto")) {
      if (!q.containsKey(k)) return bad("missing " + k + " (expected ?orig=ADDRESS&resp=ADDRESS&port=PORT&proto=tcp|udp|icmp[&at=TIME])");
    }
    Connection c;
    long at;
    try {
      at = q.containsKey("at") ? Moment.parseMicros(q.get("at")) : now();
      c = Connection.parse(q.get("orig"), q.get("resp"), q.get("port") + "/" + q.get("proto"), at);
    } catch (IllegalArgumentException e) {
      return bad(e.getMessage());
    }
    FlowsentryConfig cfg = config.get();
    Explanation e = Explainer.explain(cfg.site(), cfg.policies(), engine.nameKnowledge(), c, "daemon");
    return new Answer(200, JSON, ExplanationJson.write(suppression(e, c)));
  }

  private long now() {
    long events = engine.analyzer().eventClockMicros();
    return events != Long.MIN_VALUE ? events : clock.millis() * 1000;
  }

  /** Adds each policy's live suppression of the connection's key, judged at the moment asked. */
  private Explanation suppression(Explanation e, Connection c) {
    SuppressionKey key = new SuppressionKey(c.orig(), c.resp(), c.port(), c.proto());
    Map<String, Suppression> byPolicy = new HashMap<>();
    for (Analyzer.Suppressed s : engine.analyzer().suppression(key)) {
      boolean now = c.atMicros() < s.untilMicros();
      byPolicy.put(s.policy(), new Suppression(now, Explainer.time(s.lastSeenMicros()), Explainer.time(s.untilMicros())));
    }
    return e.withSuppression(byPolicy::get);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    for (String part : raw.split("&", 16)) {
      int eq = part.indexOf('=');
      if (eq <= 0) continue;
      out.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a broken escape: the word stays as sent and fails its own check
    }
  }

  private static Answer bad(String why) {
    return new Answer(400, TEXT, "flowsentry: /explain: " + why + "\n");
  }
}
