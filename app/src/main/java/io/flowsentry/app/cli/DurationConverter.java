package io.flowsentry.app.cli;

import io.flowsentry.collector.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Duration options in the configuration's form (500ms, 60s, 5m), parsed by picocli with the
 * other arguments: a bad value is a usage error (exit 2) before the command starts anything.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
