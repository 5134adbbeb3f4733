package io.flowsentry.app.importbro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.core.Analyzer;
import io.flowsentry.analyzer.net.AddressMatcher;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.resolve.HostTracker;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy imported from site.zeek and the same policy written by hand (site-handwritten.yml)
 * raise the same alarms, line for line, on one generated stream that hits every exception of the
 * file, near misses of each, local responders, IPv6 and repeats inside and beyond suppress_for.
 * Both run through the real configuration loader and the real analyzer and alarm writer.
 */
class ImportedPolicyEquivalenceTest {
  @TempDir Path dir;

  /** The hostnames of site.zeek, resolved as a fixed table so both runs see the same addresses. */
  private static final Map<String, String> NAMES = Map.of(
      "myhost.myorg.org", "192.168.4.50", "www.google.com", "142.250.0.0/24", "www.business-partner.com", "198.51.100.200");
  private static final HostTracker HOSTS = name -> {
    String a = NAMES.get(name);
    AddressMatcher m = a == null ? PrefixSet.empty() : PrefixSet.of(List.of(Cidr.parse(a)));
    return m;
  };

  private static final String[] ORIGINATORS = {
      "192.168.4.7", "192.168.4.8", "192.168.4.9", "192.168.4.3", "192.168.4.23", "192.168.4.24", "192.168.4.25",
      "192.168.4.50", "192.168.4.200", "192.168.9.43", "192.168.9.44", "192.168.9.45", "10.20.1.1", "10.30.1.1",
      "fd00:4::23", "fd00:4::99", "fd00:5::1", "203.0.113.50"};
  private static final String[] RESPONDERS = {
      "72.246.1.1", "72.248.0.1", "2001:db8:aa::1", "2001:db8:ab::1", "198.51.100.7", "198.51.100.8", "142.250.0.9",
      "142.251.0.9", "198.51.100.200", "203.0.113.3", "203.0.113.9", "203.0.113.80", "203.0.113.81", "2001:db8::1",
      "2001:db8::2", "192.168.1.1", "10.9.9.9", "172.16.3.3", "fd00:9::1", "8.8.8.8"};
  private static final int[][] SERVICES = {
      {ConnectionEvent.TCP, 25}, {ConnectionEvent.TCP, 80}, {ConnectionEvent.UDP, 53}, {ConnectionEvent.UDP, 123},
      {ConnectionEvent.TCP, 443}, {ConnectionEvent.ICMP, 8}, {ConnectionEvent.ICMP, 0}, {ConnectionEvent.TCP, 22},
      {ConnectionEvent.UDP, 25}};

  private static List<ConnectionEvent> stream() {
    Random rnd = new Random(18);
    List<ConnectionEvent> events = new ArrayList<>();
    long ts = 1_700_000_000_000_000L;
    for (int i = 0; i < 50_000; i++) {
      ts += rnd.nextInt(4_000_000); // 0-4 s apart: keys repeat inside and beyond the 150 s suppress_for
      String orig = ORIGINATORS[rnd.nextInt(ORIGINATORS.length)];
      String resp = RESPONDERS[rnd.nextInt(RESPONDERS.length)];
      if (orig.contains(":") != resp.contains(":")) continue; // one family per connection
      int[] svc = SERVICES[rnd.nextInt(SERVICES.length)];
      int proto = svc[0] == ConnectionEvent.ICMP && orig.contains(":") ? ConnectionEvent.ICMPV6 : svc[0];
      events.add(ConnectionEvent.builder().tsMicros(ts).origH(orig).origP(40_000 + rnd.nextInt(1000)).respH(resp)
          .respP(svc[1]).proto(proto).uid("C" + i).source(EventSource.ZEEK).build());
    }
    return events;
  }

  private List<String> alarms(FlowsentryConfig config, String name, List<ConnectionEvent> events) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Path log = dir.resolve(name);
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), log, Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, registry);
    List<RestrictedOutgoingPolicy> policies = RestrictedOutgoingPolicy.compileAll(config.site(), config.policies(), HOSTS);
    Analyzer a = new Analyzer(policies, w, null, registry);
    for (ConnectionEvent e : events) a.onEvent(e);
    a.close();
    return Files.readAllLines(log.resolve("alarms.log"));
  }

  @Test
  void theImportedPolicyAndTheHandWrittenOneRaiseTheSameAlarms() throws Exception {
    String script = new String(getClass().getResourceAsStream("/importbro/site.zeek").readAllBytes(), StandardCharsets.UTF_8);
    BroScriptImporter.Result imported = BroScriptImporter.importScripts(List.of(new ScriptText("site.zeek", script)));
    assertEquals(List.of(), imported.problems());
    FlowsentryConfig fromImport = ConfigLoader.parse(PolicyYaml.configFile(imported.policy()), "imported");
    FlowsentryConfig byHand = ConfigLoader.parse(
        new String(getClass().getResourceAsStream("/importbro/site-handwritten.yml").readAllBytes(), StandardCharsets.UTF_8),
        "site-handwritten.yml");

    List<ConnectionEvent> events = stream();
    List<String> importedAlarms = alarms(fromImport, "imported", events);
    List<String> handAlarms = alarms(byHand, "by-hand", events);

    assertEquals(handAlarms, importedAlarms);
    // the stream is not trivial: many alarm, many more do not
    assertTrue(importedAlarms.size() > 200 && importedAlarms.size() < events.size(),
        importedAlarms.size() + " alarms of " + events.size() + " events");
    assertTrue(importedAlarms.stream().noneMatch(l -> l.contains("> 72.246.1.1/")), "allowed_destinations");
    assertTrue(importedAlarms.stream().noneMatch(l -> l.contains("192.168.4.25/") && l.contains("> 203.0.113.80/")), "a pair");
    assertTrue(importedAlarms.stream().anyMatch(l -> l.contains("192.168.4.25/") && l.contains("> 203.0.113.81/")), "its near miss");
    assertTrue(importedAlarms.stream().noneMatch(l -> l.contains("192.168.4.50/") && l.contains("> 142.250.0.9/")), "a hostname pair");
    assertTrue(importedAlarms.stream().anyMatch(l -> l.contains("fd00:4::99/")), "IPv6 alarms");
    assertTrue(importedAlarms.stream().noneMatch(l -> l.contains("10.30.1.1/")), "10.0.0.0/8 was removed with -=");
    assertTrue(importedAlarms.stream().noneMatch(l -> l.contains("> 172.16.3.3/")), "Site::local_nets += is local");
  }
}
