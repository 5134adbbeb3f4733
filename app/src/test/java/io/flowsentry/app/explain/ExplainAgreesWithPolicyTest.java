package io.flowsentry.app.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explainer;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.analyzer.explain.Explanation.PolicyVerdict;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.app.config.FlowsentryConfig;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * For many random connections around the configured networks, explain's verdict is the
 * analyzer's: the same policies compiled as the engine compiles them, asked {@code alarms()}.
 * And the explanation names an entry of the list that decided, so the text cannot contradict it.
 */
class ExplainAgreesWithPolicyTest {
  private static final String[] ORIGS = {"192.168.4.", "10.0.0.", "2001:db8:4::", "2001:db8:5::"};
  private static final String[] RESPS = {"203.0.113.", "198.51.100.", "192.168.9.", "2001:db8:9::", "2001:db8:ffff::",
      "2001:db8:80::", "fd00::"};
  private static final String[] SERVICES = {"123/udp", "443/tcp", "25/tcp", "53/udp", "3/icmp", "8443/tcp"};
  private static final Map<String, String> LIST_OF = Map.of("allowed_destination", "allowed_destinations",
      "allowed_service", "allowed_services", "allowed_pair", "allowed_pairs",
      "allowed_pair_resolved", "allowed_pairs", "allowed_domain", "allowed_domains");

  @Test
  void explainNeverDisagreesWithTheRealDecision() throws Exception {
    FlowsentryConfig c = ExplainerTest.config();
    TestNames names = ExplainerTest.names();
    List<RestrictedOutgoingPolicy> real =
        RestrictedOutgoingPolicy.compileAll(c.site(), c.policies(), names.hosts(), names.resolved());
    Random random = new Random(18);
    int alarms = 0;
    for (int i = 0; i < 5000; i++) {
      String orig = host(random, ORIGS[random.nextInt(ORIGS.length)]);
      String resp = host(random, RESPS[random.nextInt(RESPS.length)]);
      String service = SERVICES[random.nextInt(SERVICES.length)];
      long at = ExplainerTest.T0 + (random.nextInt(120) - 30) * ExplainerTest.SECOND;
      Connection conn = Connection.parse(orig, resp, service, at);
      Explanation e = Explainer.explain(c.site(), c.policies(), names, conn, "local");
      PolicyVerdict v = e.policies().getFirst();
      boolean truth = real.getFirst().alarms(conn.toEvent());
      assertEquals(truth, v.alarms(), () -> "disagreement on " + conn);
      if (truth) alarms++;
      String list = LIST_OF.get(v.decision());
      if (list != null) {
        assertTrue(v.exceptions().stream().anyMatch(m -> m.list().equals(list)), () -> v + " names no " + list + " entry");
      }
    }
    assertTrue(alarms > 100 && alarms < 4900, "the sample covers both verdicts: " + alarms);
  }

  /** Low host numbers, so that the planted entries (.7, .8, .9, .25, .77, .80, .88) get hit. */
  private static String host(Random random, String prefix) {
    int[] planted = {7, 8, 9, 25, 77, 80, 88, 1, 10, 200};
    int n = random.nextBoolean() ? planted[random.nextInt(planted.length)] : random.nextInt(254) + 1;
    return prefix + (prefix.endsWith("::") ? Integer.toHexString(n) : String.valueOf(n));
  }
}
