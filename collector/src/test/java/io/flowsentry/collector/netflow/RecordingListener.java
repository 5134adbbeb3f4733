package io.flowsentry.collector.netflow;

import java.util.ArrayList;
import java.util.List;

/** A {@link DecodeListener} that keeps everything a decoder reported, for assertions. */
public final class RecordingListener implements DecodeListener {

  public record Problem(DecodeError reason, String detail) {}

  public final List<MessageHeader> headers = new ArrayList<>();
  public final List<FlowRecord> records = new ArrayList<>();
  public final List<Problem> errors = new ArrayList<>();

  @Override
  public void header(MessageHeader header) {
    headers.add(header);
  }

  @Override
  public void record(FlowRecord record) {
    records.add(record);
  }

  @Override
  public void error(DecodeError reason, String detail) {
    errors.add(new Problem(reason, detail));
  }

  public List<DecodeError> reasons() {
    return errors.stream().map(Problem::reason).toList();
  }
}
