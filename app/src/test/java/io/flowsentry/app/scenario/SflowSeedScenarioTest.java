package io.flowsentry.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.core.Analyzer;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.analyzer.resolve.LoopbackDnsServer;
import io.flowsentry.app.service.NetflowPipeline;
import io.flowsentry.collector.sflow.SflowWriter;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's restricted-outgoing policy fed by a switch's sFlow through the daemon's own wiring
 * ({@link NetflowPipeline}): a restricted host's sampled SYN to the Internet alarms once; the
 * replies of that connection, and a restricted server's answers to an Internet client, alarm
 * never. The expected alarm line was written by hand from the seed's rules.
 */
class SflowSeedScenarioTest {
  private static final long T = 1_225_743_661_858L; // the seed's alarm time, in milliseconds: sFlow events take the receive time
  private static final InetSocketAddress SWITCH = new InetSocketAddress("192.168.1.2", 50000);

  @TempDir Path dir;

  record Root(SiteConfig site, PoliciesConfig policies, OutputsConfig outputs) {}

  @Test
  void aRestrictedHostsSampledSynAlarmsOnceAndNoReplyDoes() throws Exception {
    try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
      Root root = new ObjectMapper(new YAMLFactory()).readValue("""
          site:
            local_networks: [192.168.0.0/16, 10.0.0.0/8]
            dns: { servers: ["%s"] }
          policies:
            restricted_outgoing:
              - name: restricted-outgoing
                restricted_networks: [192.168.4.0/24]
                suppress_for: 60s
          outputs:
            log_dir: %s
          """.formatted(dns.serverSpec(), dir.resolve("log")), Root.class);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (DnsHostResolver resolver = new DnsHostResolver(root.site().dns(), Clock.systemUTC(), registry)) {
        List<RestrictedOutgoingPolicy> policies = RestrictedOutgoingPolicy.compileAll(root.site(), root.policies(), resolver);
        AlarmWriter writer = new AlarmWriter(root.outputs(), Path.of(root.outputs().logDir()), Clock.systemUTC(),
            AlarmWriter.Overflow.BLOCK, registry);
        Analyzer analyzer = new Analyzer(policies, writer, null, registry);
        NetflowPipeline pipeline = NetflowPipeline.collector(
            new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), 1 << 20, 1, null, null, null), false, analyzer::onEvent,
            registry, Clock.systemUTC());
        // the web server's SYN+ACK is sampled before the client's SYN: the handshake still names the client
        pipeline.collector().onDatagram(SWITCH, SflowWriter.datagram("192.168.1.2", 0, 1)
            .tcpSample(1, 1000, "203.0.113.80", 80, "192.168.4.7", 51001, 0x12)  // reply: same connection as the SYN below
            .tcpSample(2, 1000, "192.168.4.7", 51001, "203.0.113.80", 80, 0x02)  // restricted host's SYN to the Internet: alarm
            .tcpSample(3, 1000, "192.168.4.7", 51001, "203.0.113.80", 80, 0x02)  // its retransmission: suppressed
            .tcpSample(4, 1000, "203.0.113.80", 80, "192.168.4.7", 51001, 0x18)  // the server's data: reverse-seen reply
            .buffer(), T);
        pipeline.collector().onDatagram(SWITCH, SflowWriter.datagram("192.168.1.2", 0, 2)
            .tcpSample(5, 1000, "198.51.100.9", 40000, "192.168.4.20", 443, 0x02) // an Internet client to a restricted server
            .tcpSample(6, 1000, "192.168.4.20", 443, "198.51.100.9", 40000, 0x12) // the server's SYN+ACK: a reply
            .tcpSample(7, 1000, "192.168.4.20", 443, "198.51.100.9", 40000, 0x18) // its data: a reply
            .buffer(), T + 1);
        analyzer.close();
        assertEquals(7, analyzer.summary(0).events());
        assertEquals(Map.of("restricted-outgoing", 1L), analyzer.summary(0).alarms());
      }
      assertEquals(List.of("1225743661.858000 UnexpectedOutgoingConnection 192.168.4.7/51001 > 203.0.113.80/http"
          + " : Restricted Outgoing TCP Connection"), Files.readAllLines(dir.resolve("log/alarms.log")));
    }
  }
}
