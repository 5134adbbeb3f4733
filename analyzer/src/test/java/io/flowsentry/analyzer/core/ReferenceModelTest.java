package io.flowsentry.analyzer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.AllowedService;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long random event stream (repeats, gaps around the suppression times, out-of-order events,
 * both families, several policies) through the analyzer, compared with a deliberately naive
 * model: byte-prefix comparisons on InetAddress bytes, lists scanned in order, and a HashMap of
 * last sightings instead of Caffeine. The model shares no code with the analyzer.
 */
class ReferenceModelTest {
  @TempDir Path dir;

  // ---- the naive model ----

  record Prefix(byte[] net, int len) {
    static Prefix of(String text) throws Exception {
      String[] p = text.split("/");
      byte[] b = InetAddress.getByName(p[0]).getAddress();
      return new Prefix(b, p.length == 2 ? Integer.parseInt(p[1]) : b.length * 8);
    }

    boolean has(byte[] a) {
      if (a.length != net.length) return false;
      for (int bit = 0; bit < len; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((a[bit / 8] & mask) != (net[bit / 8] & mask)) return false;
      }
      return true;
    }
  }

  static boolean any(List<Prefix> list, byte[] a) {
    for (Prefix p : list) if (p.has(a)) return true;
    return false;
  }

  record Service(Prefix net, int proto, int lo, int hi) {}

  record ModelPolicy(String name, List<Prefix> restricted, List<Prefix> allowedDst, List<Service> services,
      List<Prefix[]> pairs, long suppressMicros) {
    boolean alarms(byte[] o, byte[] r, int proto, int port, List<Prefix> local) {
      if (!any(restricted, o) || any(local, r) || any(allowedDst, r)) return false;
      for (Service s : services) {
        boolean protoOk = s.proto == 1 ? proto == 1 || proto == 58 : s.proto == proto;
        if (s.net.has(o) && protoOk && port >= s.lo && port <= s.hi) return false;
      }
      for (Prefix[] p : pairs) if (p[0].has(o) && p[1].has(r)) return false;
      return true;
    }
  }

  record Expected(String policy, long ts, String orig, int origP, String resp, int respP, int proto) {}

  // ---- the configuration, given to both ----

  private static final List<String> LOCAL = List.of("192.168.0.0/16", "10.0.0.0/8", "fd00::/8");

  private static List<RestrictedOutgoingPolicyConfig> configs() {
    return List.of(
        new RestrictedOutgoingPolicyConfig("p1", List.of("192.168.4.0/24", "10.0.0.0/8"), "60s", null,
            List.of("72.246.0.0/15", "2001:db8:aa::/48"),
            List.of(new AllowedService("192.168.4.7/32", "25/tcp"), new AllowedService("10.0.0.0/8", "123/udp"),
                new AllowedService("192.168.4.0/28", "icmp"), new AllowedService("192.168.4.16/28", "1000-2000/udp")),
            List.of(new AllowedPair("192.168.4.23", "198.51.100.0/30")), null, null, null, null),
        new RestrictedOutgoingPolicyConfig("p2", List.of("192.168.4.0/25", "fd00:4::/64"), "30s", null,
            List.of("203.0.113.0/29"), List.of(new AllowedService("fd00:4::/64", "443/tcp")),
            List.of(new AllowedPair("fd00:4::/120", "2001:db8::/126")), "legacy", null, null, null),
        new RestrictedOutgoingPolicyConfig("everything", List.of("0.0.0.0/0", "::/0"), "5s", null,
            null, null, null, null, null, null, null));
  }

  private static ModelPolicy model(RestrictedOutgoingPolicyConfig c) throws Exception {
    List<Prefix> restricted = new ArrayList<>();
    for (String s : c.restrictedNetworks()) restricted.add(Prefix.of(s));
    List<Prefix> dst = new ArrayList<>();
    for (String s : c.allowedDestinations()) dst.add(Prefix.of(s));
    List<Service> services = new ArrayList<>();
    for (AllowedService s : c.allowedServices()) {
      String[] pp = s.port().split("/");
      String[] range = pp.length == 2 ? pp[0].split("-") : new String[] {"0", "65535"};
      String protoName = pp[pp.length - 1];
      int proto = protoName.equals("tcp") ? 6 : protoName.equals("udp") ? 17 : 1;
      services.add(new Service(Prefix.of(s.network()), proto, Integer.parseInt(range[0]),
          Integer.parseInt(range[range.length - 1])));
    }
    List<Prefix[]> pairs = new ArrayList<>();
    for (AllowedPair p : c.allowedPairs()) pairs.add(new Prefix[] {Prefix.of(p.source()), Prefix.of(p.destination())});
    long micros = Long.parseLong(c.suppressFor().replace("s", "")) * 1_000_000;
    return new ModelPolicy(c.name(), restricted, dst, services, pairs, micros);
  }

  // ---- the stream ----

  private static final String[] ORIG_V4 = {"192.168.4.1", "192.168.4.7", "192.168.4.17", "192.168.4.23",
      "192.168.4.100", "192.168.4.200", "10.0.0.5", "10.3.2.1", "192.168.5.1", "203.0.113.50"};
  private static final String[] RESP_V4 = {"203.0.113.1", "203.0.113.9", "198.51.100.1", "198.51.100.5",
      "72.246.0.1", "72.248.0.1", "8.8.8.8", "192.168.9.9", "10.9.9.9"};
  private static final String[] ORIG_V6 = {"fd00:4::1", "fd00:4::1:1", "fd00:5::1", "2001:db8:ff::1"};
  private static final String[] RESP_V6 = {"2001:db8::1", "2001:db8::9", "2001:db8:aa::1", "2001:db8:bb::1", "fd00:9::1"};
  private static final int[] PORTS = {25, 53, 123, 443, 1500, 2500};

  @Test
  void analyzerAgreesWithTheNaiveModel() throws Exception {
    Random rnd = new Random(1225743661L);
    List<ConnectionEvent> events = new ArrayList<>();
    long clock = 1_700_000_000_000_000L;
    for (int i = 0; i < 20_000; i++) {
      // mostly dense traffic, now and then a lull longer than every window
      clock += switch (rnd.nextInt(500)) {
        case 0 -> 55_000_000 + rnd.nextInt(10_000_000);
        case 1, 2, 3, 4, 5 -> rnd.nextInt(10_000_000);
        default -> rnd.nextInt(300_000);
      };
      long ts = rnd.nextInt(10) == 0 ? clock - rnd.nextInt(40_000_000) : clock;
      boolean v6 = rnd.nextInt(4) == 0;
      String orig = v6 ? ORIG_V6[rnd.nextInt(ORIG_V6.length)] : ORIG_V4[rnd.nextInt(ORIG_V4.length)];
      String resp = v6 ? RESP_V6[rnd.nextInt(RESP_V6.length)] : RESP_V4[rnd.nextInt(RESP_V4.length)];
      int proto = switch (rnd.nextInt(5)) {
        case 0, 1 -> ConnectionEvent.TCP;
        case 2, 3 -> ConnectionEvent.UDP;
        default -> v6 ? ConnectionEvent.ICMPV6 : ConnectionEvent.ICMP;
      };
      int respP = proto == ConnectionEvent.TCP || proto == ConnectionEvent.UDP ? PORTS[rnd.nextInt(PORTS.length)] : rnd.nextInt(2);
      events.add(ConnectionEvent.builder().tsMicros(ts).origH(orig).origP(40000 + rnd.nextInt(3)).respH(resp).respP(respP)
          .proto(proto).directionConfidence(DirectionConfidence.EXPORTER).source(EventSource.ZEEK).exporter("conn.log").build());
    }

    // the model
    List<Prefix> local = new ArrayList<>();
    for (String s : LOCAL) local.add(Prefix.of(s));
    List<ModelPolicy> models = new ArrayList<>();
    for (RestrictedOutgoingPolicyConfig c : configs()) models.add(model(c));
    Map<String, Map<String, Long>> lastSeen = new HashMap<>();
    List<Expected> expected = new ArrayList<>();
    long suppressedByModel = 0;
    for (ConnectionEvent e : events) {
      byte[] o = InetAddress.getByName(e.origH().toString()).getAddress();
      byte[] r = InetAddress.getByName(e.respH().toString()).getAddress();
      for (ModelPolicy m : models) {
        if (!m.alarms(o, r, e.proto(), e.respP(), local)) continue;
        String key = e.origH() + " " + e.respH() + " " + e.respP() + " " + e.proto();
        Map<String, Long> seen = lastSeen.computeIfAbsent(m.name, k -> new HashMap<>());
        // each key by its own events' time, never before its last sighting
        Long last = seen.get(key);
        long t = last == null ? e.tsMicros() : Math.max(e.tsMicros(), last);
        seen.put(key, t);
        if (last == null || t - last >= m.suppressMicros) {
          expected.add(new Expected(m.name, e.tsMicros(), e.origH().toString(), e.origP(), e.respH().toString(), e.respP(), e.proto()));
        } else {
          suppressedByModel++;
        }
      }
    }

    // the analyzer
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PoliciesConfig pc = new PoliciesConfig(configs());
    SiteConfig site = new SiteConfig(LOCAL, null, null, null);
    assertEquals(List.of(), pc.validate("policies"));
    List<RestrictedOutgoingPolicy> policies = RestrictedOutgoingPolicy.compileAll(site, pc, h -> PrefixSet.empty());
    AlarmWriter writer = new AlarmWriter(new OutputsConfig(dir.toString(), null, null, 64, null, null, null, null), dir, Clock.systemUTC(),
        AlarmWriter.Overflow.BLOCK, registry);
    Analyzer analyzer = new Analyzer(policies, writer, null, registry);
    events.forEach(analyzer::onEvent);
    analyzer.close();

    ObjectMapper json = new ObjectMapper();
    List<Expected> actual = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("notice.log"))) {
      JsonNode n = json.readTree(line);
      String policy = n.get("sub").asText().replaceAll("^policy=(\\S+) .*", "$1");
      long ts = new java.math.BigDecimal(n.get("ts").asText()).movePointRight(6).longValueExact();
      String proto = n.get("proto").asText();
      int p = proto.equals("tcp") ? 6 : proto.equals("udp") ? 17 : n.get("id.orig_h").asText().contains(":") ? 58 : 1;
      actual.add(new Expected(policy, ts, n.get("id.orig_h").asText(), n.get("id.orig_p").asInt(),
          n.get("id.resp_h").asText(), n.get("id.resp_p").asInt(), p));
    }
    assertTrue(expected.size() > 1000, "the stream exercises alarms: " + expected.size());
    assertTrue(suppressedByModel > 1000, "and suppression: " + suppressedByModel);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), "alarm #" + i);
    assertEquals(suppressedByModel, analyzer.summary(0).totalSuppressed());
  }
}
