package io.flowsentry.analyzer.alarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.delivery.SyslogConfig;
import io.flowsentry.analyzer.delivery.WebhookConfig;
import io.flowsentry.analyzer.net.ConfigChecks;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code outputs} section.
 *
 * @param logDir where alarms.log, {@code <policy>.log} and notice.log are appended
 * @param rotate size/time rotation of those files; off by default (external logrotate + reopen)
 * @param fsync force every alarm to disk, not only to the OS (survives power loss, costs a sync per alarm)
 * @param syslog RFC 5424 delivery of every alarm to a syslog server; off by default
 * @param webhook JSON POST of every alarm to an HTTP(S) endpoint; off by default
 * @param queueCapacity alarms waiting for the writer thread; beyond it they are dropped and counted
 * @param events the optional JSON-lines event sink
 * @param alarmLineNames append {@code resp_name=NAME} to the alarms.log line too when a name is known
 *     ({@code <policy>.log} lines always carry it); false keeps alarms.log byte-for-byte classic
 */
public record OutputsConfig(
    @JsonProperty("log_dir") String logDir,
    @JsonProperty("rotate") RotateConfig rotate,
    @JsonProperty("fsync") Boolean fsync,
    @JsonProperty("queue_capacity") Integer queueCapacity,
    @JsonProperty("events") EventsConfig events,
    @JsonProperty("syslog") SyslogConfig syslog,
    @JsonProperty("webhook") WebhookConfig webhook,
    @JsonProperty("alarm_line_names") Boolean alarmLineNames) {

  public static final int MAX_QUEUE_CAPACITY = 1_000_000;

  public OutputsConfig {
    logDir = logDir == null ? "var/log" : logDir;
    rotate = rotate == null ? RotateConfig.defaults() : rotate;
    fsync = fsync == null ? Boolean.FALSE : fsync;
    queueCapacity = queueCapacity == null ? 10_000 : queueCapacity;
    events = events == null ? EventsConfig.defaults() : events;
    syslog = syslog == null ? SyslogConfig.defaults() : syslog;
    webhook = webhook == null ? WebhookConfig.defaults() : webhook;
    alarmLineNames = alarmLineNames == null ? Boolean.FALSE : alarmLineNames;
  }

  public static OutputsConfig defaults() {
    return new OutputsConfig(null, null, null, null, null, null, null, null);
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    if (logDir.isBlank()) problems.add(ConfigChecks.problem(keyPrefix + ".log_dir", logDir, "a directory path"));
    problems.addAll(rotate.validate(keyPrefix + ".rotate"));
    problems.addAll(syslog.validate(keyPrefix + ".syslog"));
    problems.addAll(webhook.validate(keyPrefix + ".webhook"));
    if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
      problems.add(ConfigChecks.problem(keyPrefix + ".queue_capacity", queueCapacity, "1.." + MAX_QUEUE_CAPACITY));
    }
    return problems;
  }

  /**
   * {@code outputs.events}: normalized events as Zeek conn.log JSON lines.
   *
   * @param path file to append to; empty = off, {@code -} = standard output
   * @param raw add every decoded element by its IANA name
   */
  public record EventsConfig(@JsonProperty("path") String path, @JsonProperty("raw") Boolean raw) {
    public EventsConfig {
      path = path == null ? "" : path;
      raw = raw == null ? Boolean.FALSE : raw;
    }

    public static EventsConfig defaults() {
      return new EventsConfig(null, null);
    }
  }
}
