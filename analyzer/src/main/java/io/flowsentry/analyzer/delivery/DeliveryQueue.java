package io.flowsentry.analyzer.delivery;

import io.flowsentry.analyzer.alarm.Alarm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * What every remote alarm output shares: a bounded queue the analyzer offers to without ever
 * blocking (a full queue drops the alarm and counts it), the one sending thread that drains it,
 * {@code flowsentry_alarm_deliveries_total{output,result=sent|dropped|failed}},
 * {@code flowsentry_alarm_delivery_queue{output}},
 * {@code flowsentry_alarm_delivery_errors_total{output,reason}} (attempts that failed and are
 * retried: the endpoint is down or refuses), and warnings limited to one a minute so an
 * endpoint that is down cannot flood the log. How an alarm is sent stays with the output.
 */
final class DeliveryQueue {
  private static final long WARN_INTERVAL_MILLIS = 60_000;

  private final String output;
  private final int capacity;
  private final Logger log;
  private final BlockingQueue<Alarm> queue;
  private final Counter sent;
  private final Counter dropped;
  private final Counter failed;
  private final Map<String, Counter> errors = new HashMap<>();
  private volatile boolean closing;
  private volatile Thread thread;
  private long lastWarned = Long.MIN_VALUE;

  /**
   * @param log the output's own logger, so its warnings keep their logger name
   * @param errorReasons every reason {@link #error} is called with, so each series exists from start-up at 0
   */
  DeliveryQueue(String output, int capacity, MeterRegistry registry, Logger log, List<String> errorReasons) {
    this.output = output;
    this.capacity = capacity;
    this.log = log;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.sent = result(registry, "sent");
    this.dropped = result(registry, "dropped");
    this.failed = result(registry, "failed");
    Gauge.builder("flowsentry.alarm.delivery.queue", queue, BlockingQueue::size).tag("output", output)
        .description("Alarms waiting for delivery").register(registry);
    for (String reason : errorReasons) {
      errors.put(reason, Counter.builder("flowsentry.alarm.delivery.errors").tag("output", output).tag("reason", reason)
          .description("Delivery attempts that failed and are retried, by reason").register(registry));
    }
  }

  private Counter result(MeterRegistry registry, String result) {
    return Counter.builder("flowsentry.alarm.deliveries").tag("output", output).tag("result", result)
        .description("Alarms delivered to an output, by result").register(registry);
  }

  /** Starts the sending thread; called last in the output's constructor, once its fields are set. */
  void start(Runnable sender) {
    thread = Thread.ofPlatform().name("flowsentry-" + output).daemon(true).start(sender);
  }

  /** Queues the alarm, or drops and counts it when the queue is full. */
  void offer(Alarm alarm, Object destination) {
    if (queue.offer(alarm)) return;
    dropped.increment();
    warn(output + " queue full ({} alarms): dropping alarms until {} catches up", capacity, destination);
  }

  /** The next alarm if one is waiting, else null at once. */
  Alarm poll() {
    return queue.poll();
  }

  /** The next alarm, waiting up to {@code millis}; null if none came. */
  Alarm poll(long millis) throws InterruptedException {
    return queue.poll(millis, TimeUnit.MILLISECONDS);
  }

  void drainTo(Collection<Alarm> batch, int most) {
    queue.drainTo(batch, most);
  }

  /** Whether the sender should stop: the output is closing and nothing is left to send. */
  boolean done() {
    return closing && queue.isEmpty();
  }

  boolean closing() {
    return closing;
  }

  void sent(int alarms) {
    sent.increment(alarms);
  }

  void failed(int alarms) {
    failed.increment(alarms);
  }

  /** Counts a failed attempt; {@code reason} is one given to the constructor. */
  void error(String reason) {
    errors.get(reason).increment();
  }

  /** Logs a warning unless one was logged in the last minute. */
  synchronized void warn(String format, Object... args) {
    long now = System.currentTimeMillis();
    if (lastWarned == Long.MIN_VALUE || now - lastWarned >= WARN_INTERVAL_MILLIS) {
      lastWarned = now;
      log.warn(format, args);
    }
  }

  /**
   * Lets the sender finish the queue for up to {@code waitMillis}, then interrupts it and says
   * how many alarms were left.
   */
  void close(long waitMillis, Object destination) throws InterruptedException {
    closing = true;
    thread.join(waitMillis);
    if (thread.isAlive()) {
      thread.interrupt();
      log.warn("{} {}: {} alarms not delivered at shutdown", output, destination, queue.size());
    }
  }
}
