package io.flowsentry.cluster.wire;

/** A Kafka record whose value is not what its topic's schema says; the one exception the codecs throw. */
public final class MalformedRecordException extends Exception {
  public MalformedRecordException(String message) {
    super(message);
  }
}
