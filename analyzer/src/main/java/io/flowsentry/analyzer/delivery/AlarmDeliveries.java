package io.flowsentry.analyzer.delivery;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The destinations {@code outputs.syslog} and {@code outputs.webhook} configure, for whoever
 * writes the alarm logs: the single node's alarm writer and the cluster's alarm-writer role, so
 * both deliver with the same keys, queues and metrics.
 */
public final class AlarmDeliveries {
  private AlarmDeliveries() {}

  /** The configured destinations besides the alarm logs (none by default). */
  public static List<AlarmDelivery> configured(OutputsConfig outputs, AlarmFormat format, MeterRegistry registry) {
    List<AlarmDelivery> out = new ArrayList<>();
    SyslogConfig syslog = outputs.syslog();
    if (syslog.enabled()) {
      try {
        out.add(new SyslogDelivery(syslog, new SyslogMessage(syslog.priority(), localHostname(),
            ProcessHandle.current().pid(), format), registry));
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e); // names the key and the file
      }
    }
    if (outputs.webhook().enabled()) {
      try {
        out.add(new WebhookDelivery(outputs.webhook(), format, registry));
      } catch (IOException e) {
        throw new UncheckedIOException("outputs.webhook.bearer_token_file: cannot read "
            + outputs.webhook().bearerTokenFile(), e);
      }
    }
    return out;
  }

  /** The name syslog messages carry as HOSTNAME; "-" (RFC 5424 NILVALUE) when the host has none. */
  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "-";
    }
  }
}
