package io.flowsentry.app.roles;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.analyzer.delivery.AlarmDeliveries;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.cluster.write.AlarmLogWriter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code run --role alarm-writer}: {@code <prefix>.alarms.v1} into the alarm files of {@code outputs.log_dir}. */
final class AlarmWriterRole implements RoleService {
  private static final Logger log = LoggerFactory.getLogger(AlarmWriterRole.class);

  private final FlowsentryConfig config;
  private final PrometheusMeterRegistry registry;
  private AlarmLogWriter writer;

  AlarmWriterRole(FlowsentryConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public void start() throws IOException {
    Files.createDirectories(config.stateDirPath());
    AlarmFormat format = new AlarmFormat(ServiceNames.bundled(), config.site().communityId(), ResponderNames.NONE);
    writer = new AlarmLogWriter(config.cluster().kafka(), config.outputs(), config.stateDirPath(), format,
        AlarmDeliveries.configured(config.outputs(), format, registry), registry);
    writer.start();
    log.info("alarm-writer: {} into {} (alarms.log, <policy>.log, notice.log)", config.cluster().kafka().topics().alarms(),
        Path.of(config.outputs().logDir()).toAbsolutePath());
  }

  @Override
  public List<String> status() {
    return List.of("alarm-writer: " + (writer != null && writer.isRunning() ? "writing" : "stopped"));
  }

  @Override
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (writer != null && !writer.isRunning()) p.add("alarm-writer: stopped");
    if (writer != null && writer.failure() != null) p.add(writer.failure());
    return p;
  }

  @Override
  public void close() {
    if (writer == null) return;
    try {
      writer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
