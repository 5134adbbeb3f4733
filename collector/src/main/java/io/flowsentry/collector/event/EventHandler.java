package io.flowsentry.collector.event;

import java.io.IOException;

/**
 * Where collectors hand their events. Called on the thread that produced the event (a Netty
 * event loop or a tailer thread), so implementations must be thread-safe and must not block.
 *
 * <p>A handler that only cares about some flows says so through {@link #wants}: a source may
 * then leave the other flows' events unbuilt and report them in bulk through {@link #onSkipped}.
 * Building and analyzing an event costs more than decoding its record, and on a busy collector
 * most flows cannot break any policy.
 */
@FunctionalInterface
public interface EventHandler {
  void onEvent(ConnectionEvent event);

  /**
   * Whether a flow between these two addresses needs to arrive as an event. Either side may turn
   * out to be the originator, so the answer must hold for both orientations. A handler that says
   * no for some flows must count them in {@link #onSkipped}. Default: every flow.
   */
  default boolean wants(IpAddr a, IpAddr b) {
    return true;
  }

  /**
   * {@link #wants(IpAddr, IpAddr)} on the two addresses as {@link IpAddr} holds them ({@code hi},
   * {@code lo}, {@code v6}), so that a source can ask before it makes any object: the NetFlow and
   * sFlow pipeline asks this for every record, and builds addresses only for the wanted ones. It
   * must answer as {@link #wants(IpAddr, IpAddr)} does; a handler that filters on the hot path
   * overrides both. Default: builds the two addresses and asks {@link #wants(IpAddr, IpAddr)}.
   */
  default boolean wants(long aHi, long aLo, boolean aV6, long bHi, long bLo, boolean bV6) {
    return wants(new IpAddr(aHi, aLo, aV6), new IpAddr(bHi, bLo, bV6));
  }

  /**
   * {@code count} events from {@code source} that were not built because {@link #wants} said no,
   * the newest of them at {@code newestTsMicros}. Sources call it before the next event they do
   * hand over, so the handler sees event time advance in the order the records came.
   */
  default void onSkipped(EventSource source, int count, long newestTsMicros) {}

  /**
   * Makes durable what the events handed over so far caused: their alarms written, the
   * suppression state that remembers them saved. A source calls it just before it records that
   * those events need not be handed over again (the Zeek tailer's checkpoint), so that a crash
   * right after the record repeats no alarm. Default: nothing to make durable.
   */
  default void persist() throws IOException {}
}
