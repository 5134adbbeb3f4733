package io.flowsentry.collector.zeek.dns;

import io.flowsentry.collector.zeek.parse.LineOutcome;
import io.flowsentry.collector.zeek.parse.ZeekLineParser;
import java.util.function.Consumer;

/**
 * A dns.log as the Zeek tailer reads it ({@code inputs.zeek_dns}): every answered query goes to
 * {@code answers} (the passive DNS table) while the line is read, so a line counts as handed
 * over, for checkpoints, exactly when its answers were learned. Data lines count in
 * {@code flowsentry_zeek_lines_total} like conn.log lines; they make no connection events.
 */
public final class DnsLogLines implements ZeekLineParser {
  private final DnsLogParser parser = new DnsLogParser();
  private final Consumer<DnsAnswers> answers;

  public DnsLogLines(Consumer<DnsAnswers> answers) {
    this.answers = answers;
  }

  /** The parser factory for a tailer of dns.log files. */
  public static ZeekLineParser.Factory into(Consumer<DnsAnswers> answers) {
    return file -> new DnsLogLines(answers);
  }

  @Override
  public LineOutcome parse(byte[] b, int from, int to) {
    return switch (parser.parse(b, from, to)) {
      case DnsLine.Answered a -> {
        answers.accept(a.answers());
        yield LineOutcome.Taken.INSTANCE;
      }
      case DnsLine.NoAddress n -> LineOutcome.Taken.INSTANCE;
      case DnsLine.Nothing n -> LineOutcome.Meta.INSTANCE;
      case DnsLine.Bad bad -> LineOutcome.bad(bad.reason(), bad.detail());
    };
  }

  @Override
  public void skip(byte[] b, int from, int to) {
    parser.skip(b, from, to);
  }
}
