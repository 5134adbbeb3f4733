package io.flowsentry.collector.event;

/**
 * Where collectors hand their events. Called on the thread that produced the event (a Netty
 * event loop or a tailer thread), so implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface EventHandler {
  void onEvent(ConnectionEvent event);
}
