package io.flowsentry.analyzer.learn;

import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.analyzer.learn.AlarmLineParser.AlarmLine;
import io.flowsentry.analyzer.learn.AlarmLineParser.SummaryLine;
import io.flowsentry.collector.zeek.ZeekLogReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an alarm log into the groups: each line is an alarm of the policy the file is named
 * after ({@code servers.log}, rotated {@code servers.log.1} or {@code .gz}); lines of
 * {@code alarms.log} count for {@code alarms}. Bad lines are counted, the first few reported
 * with file and line number.
 */
public final class AlarmLogReader {
  /** Bad lines reported one by one per file; the rest only counted. */
  static final int REPORTED = 5;

  public record Summary(Path file, String policy, long alarms, long summaryLines, long badLines, List<String> problems) {}

  private final AlarmLineParser parser = new AlarmLineParser(ServiceNames.bundled());
  private final TrafficGroups groups;

  public AlarmLogReader(TrafficGroups groups) {
    this.groups = groups;
  }

  /** The policy an alarm log belongs to, from its file name. */
  public static String policyOf(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    int log = name.indexOf(".log");
    return log > 0 ? name.substring(0, log) : name;
  }

  /**
   * The next line, holding at most {@link AlarmLineParser#MAX_LINE} + 1 characters of it in
   * memory (the rest of a longer line is skipped: the parser rejects it by its length anyway);
   * null at the end.
   */
  static String boundedLine(BufferedReader r, StringBuilder buffer) throws IOException {
    buffer.setLength(0);
    int c = r.read();
    if (c < 0) return null;
    while (c >= 0 && c != '\n') {
      if (buffer.length() <= AlarmLineParser.MAX_LINE) buffer.append((char) c);
      c = r.read();
    }
    int end = buffer.length();
    if (end > 0 && buffer.charAt(end - 1) == '\r') buffer.setLength(end - 1);
    return buffer.toString();
  }

  public Summary read(Path file) throws IOException {
    String policy = policyOf(file);
    int index = groups.policy(policy);
    long alarms = 0, summaries = 0, bad = 0, lineNo = 0;
    List<String> problems = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(ZeekLogReader.open(file), StandardCharsets.UTF_8))) {
      StringBuilder buffer = new StringBuilder(256);
      for (String line; (line = boundedLine(r, buffer)) != null; ) {
        lineNo++;
        if (line.isBlank()) continue;
        try {
          switch (parser.parse(line)) {
            case AlarmLine a -> {
              groups.add(index, a.toEvent());
              alarms++;
            }
            case SummaryLine s -> summaries++;
          }
        } catch (IllegalArgumentException e) {
          bad++;
          if (problems.size() < REPORTED) problems.add(file + ":" + lineNo + ": " + e.getMessage());
        }
      }
    }
    return new Summary(file, policy, alarms, summaries, bad, problems);
  }
}
