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

  public Summary read(Path file) throws IOException {
    String policy = policyOf(file);
    int index = groups.policy(policy);
    long alarms = 0, summaries = 0, bad = 0, lineNo = 0;
    List<String> problems = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(ZeekLogReader.open(file), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
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
