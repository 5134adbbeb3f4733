package io.flowsentry.app.roles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.cluster.testing.KafkaBroker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stopped analyzer leaves the group at once, so its partitions move to the others now and
 * not after the session timeout (here 60 s, far beyond the test's bounds).
 */
class AnalyzerLeavesGroupTest {
  private static final String GROUP = "flowsentry-analyzer";
  @TempDir Path dir;

  @Test
  void closingTheAnalyzerRoleLeavesTheConsumerGroup() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")))) {
      broker.createTopics(Map.of("flowsentry.flows.v1", 2, "flowsentry.alarms.v1", 2));
      FlowsentryConfig config = ConfigLoader.parse("""
          state_dir: %s
          cluster:
            kafka:
              bootstrap_servers: ["%s"]
              properties: {session.timeout.ms: "60000", heartbeat.interval.ms: "1000"}
          """.formatted(dir.resolve("state"), broker.bootstrapServers()), "x.yml");
      ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
      AnalyzerRole analyzer = new AnalyzerRole(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(),
          housekeeping);
      try (Admin admin = broker.admin()) {
        try {
          analyzer.start();
          for (int i = 0; i < 600 && (!analyzer.isRunning() || members(admin) == 0); i++) Thread.sleep(100);
          assertTrue(analyzer.isRunning(), "the analyzer did not join within 60 s");
          assertEquals(1, members(admin));
        } finally {
          analyzer.close();
          housekeeping.shutdownNow();
        }
        // LeaveGroup is sent during close; the broker's answer may lag a moment, never a session timeout
        for (int i = 0; i < 50 && members(admin) > 0; i++) Thread.sleep(100);
        assertEquals(0, members(admin), "the stopped analyzer is still a member of " + GROUP);
      }
    }
  }

  private static int members(Admin admin) throws Exception {
    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS).get(GROUP);
    return d.members().size();
  }
}
