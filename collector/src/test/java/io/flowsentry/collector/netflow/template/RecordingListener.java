package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.OptionsRecord;
import java.util.ArrayList;
import java.util.List;

/** Collects what a decoder reports, checking the documented order (header before records). */
public final class RecordingListener implements DecodeListener {

  /** One reported error. */
  public record Error(DecodeError reason, String detail) {}

  public final List<MessageHeader> headers = new ArrayList<>();
  public final List<FlowRecord> records = new ArrayList<>();
  public final List<OptionsRecord> options = new ArrayList<>();
  public final List<Error> errors = new ArrayList<>();
  public long enterpriseElementsSkipped;
  private int recordsBeforeHeader;

  @Override
  public void header(MessageHeader header) {
    headers.add(header);
  }

  @Override
  public void record(FlowRecord record) {
    if (headers.isEmpty()) recordsBeforeHeader++;
    records.add(record);
  }

  @Override
  public void optionsRecord(OptionsRecord record) {
    options.add(record);
  }

  @Override
  public void enterpriseElementsSkipped(long count) {
    enterpriseElementsSkipped += count;
  }

  @Override
  public void error(DecodeError reason, String detail) {
    if (reason == null || detail == null || detail.isBlank()) throw new AssertionError("error without reason or detail");
    errors.add(new Error(reason, detail));
  }

  public List<DecodeError> reasons() {
    return errors.stream().map(Error::reason).toList();
  }

  /** Forgets what was recorded so far (between messages). */
  public void clear() {
    headers.clear();
    records.clear();
    options.clear();
    errors.clear();
  }

  public boolean recordBeforeHeader() {
    return recordsBeforeHeader > 0;
  }
}
