package io.flowsentry.app.learn;

import io.flowsentry.analyzer.learn.AlarmLogReader;
import io.flowsentry.analyzer.learn.InputKind;
import io.flowsentry.analyzer.learn.LearnSettings;
import io.flowsentry.analyzer.learn.Learner;
import io.flowsentry.analyzer.learn.Proposal;
import io.flowsentry.analyzer.learn.ProposalBuilder;
import io.flowsentry.analyzer.learn.TrafficGroups;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.service.NetflowPipeline;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.zeek.replay.ZeekReplay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code learn} run over its files, each read by what its content is: conn.logs and the
 * events sink's output (with any dns.log files beside them, in event time, as replay reads
 * them) through the policies' real decision; captures of exports through the daemon's decode
 * pipeline; alarm logs as alarms already raised. Where dns.log files are given, each would-be
 * alarm is grouped by the name its originator resolved for the responder too (the daemon's
 * {@code resp_name} lookup), so a CDN's rotating addresses can be proposed as one name. Hostnames of {@code allowed_pairs} are
 * resolved once first, as replay does.
 */
public final class LearnRun {
  /** What was read, for the report's last lines. */
  /** @param longNames connections whose name was too long to keep, grouped as having none */
  public record Read(long events, long badLines, long captureDatagrams, List<AlarmLogReader.Summary> alarmLogs, long longNames) {}

  private final FlowsentryConfig config;
  private final LearnSettings settings;
  private final Clock clock;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  // the daemon's table: what dns.log answered, asked for each would-be alarm's name as resp_name is
  private final PassiveDnsTable passive;
  private final TrafficGroups groups;
  private Read read;

  public LearnRun(FlowsentryConfig config, LearnSettings settings, Clock clock) {
    this.config = config;
    this.settings = settings;
    this.clock = clock;
    this.passive = new PassiveDnsTable(config.site().passiveDns(), registry);
    this.groups = new TrafficGroups(settings, passive::nameFor, passive::resolvedFrom);
  }

  /** @throws IOException naming the file that could not be read */
  public List<Proposal> run(List<Path> files) throws IOException {
    List<Path> conn = new ArrayList<>(), dns = new ArrayList<>(), captures = new ArrayList<>(), alarmLogs = new ArrayList<>();
    for (Path f : files) {
      InputKind kind;
      try {
        kind = InputKind.of(f);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IOException("cannot read " + f + ": no such file", e);
      } catch (IOException e) {
        throw new IOException("cannot read " + f + ": " + e.getMessage(), e);
      }
      switch (kind) {
        case CONN_LOG -> conn.add(f);
        case DNS_LOG -> dns.add(f);
        case CAPTURE -> captures.add(f);
        case ALARM_LOG -> alarmLogs.add(f);
      }
    }
    long events, bad = 0, datagrams = 0;
    try (DnsHostResolver resolver = new DnsHostResolver(config.site().dns(), clock, registry)) {
      List<RestrictedOutgoingPolicy> policies =
          RestrictedOutgoingPolicy.compileAll(config.site(), config.policies(), resolver, passive::resolvedFrom);
      if (!config.policies().hostnames().isEmpty()) resolver.refreshDue();
      Learner learner = new Learner(policies, groups);
      if (!conn.isEmpty() || !dns.isEmpty()) {
        bad += new ZeekReplay(learner, passive::learn, false, clock).read(conn, dns, i -> { }).badLines();
      }
      for (Path capture : captures) {
        NetflowPipeline pipeline = NetflowPipeline.collector(config.inputs().netflow(), false, learner, registry, clock);
        PcapReader.Result r;
        try {
          r = PcapReader.read(capture, d -> pipeline.collector().onDatagram(d.sender(), Unpooled.wrappedBuffer(d.payload()),
              d.timestampMicros() / 1000));
        } catch (IOException e) {
          throw new IOException(capture + ": " + e.getMessage(), e);
        }
        datagrams += r.datagrams();
      }
      events = learner.events();
    }
    AlarmLogReader alarmReader = new AlarmLogReader(groups);
    List<AlarmLogReader.Summary> logs = new ArrayList<>();
    for (Path f : alarmLogs) {
      try {
        logs.add(alarmReader.read(f));
      } catch (IOException e) {
        throw new IOException("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    read = new Read(events, bad, datagrams, logs, groups.longNames());
    return new ProposalBuilder(settings).build(groups);
  }

  public Read read() {
    return read;
  }
}
