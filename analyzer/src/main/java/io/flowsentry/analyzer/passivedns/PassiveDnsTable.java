package io.flowsentry.analyzer.passivedns;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What hosts resolved, from Zeek's dns.log: (client, answer address) → the names the client
 * asked for that gave it that address, each valid from {@code grace} before the query until its
 * TTL (clamped to {@code [min_ttl, max_ttl]}) plus {@code grace} after it. Time is event time:
 * the query's {@code ts} when learning, the connection's when looking up. Also keeps, per
 * address, the newest name any client resolved to it, for connections whose originator's own
 * query was not seen (it asked a resolver whose traffic Zeek does not see).
 *
 * <p>Bounded by entry count and by an estimate of the memory it holds (object layouts of a
 * 64-bit JVM with compressed references, deliberately high): when either is exceeded the pairs
 * learned longest ago go first; expired ones are dropped as learning goes on. Each pair keeps
 * its {@link #NAMES_PER_PAIR} newest names. One lock: learning runs at dns.log's rate, lookups
 * only for events that would alarm.
 */
public final class PassiveDnsTable {
  static final long MIN_MEMORY_BYTES = 1 << 20;
  static final int NAMES_PER_PAIR = 4;
  /** Expired pairs dropped per learned answer at most, so one answer never pays for a long backlog. */
  private static final int EXPIRY_SCAN = 8;
  // estimated bytes: key record + two IpAddr (24 + 2 * 32), map entry and table slot (48)
  static final long PAIR_BYTES = 24 + 2 * 32 + 48;
  // a per-address newest-name slot: map entry and slot (48), IpAddr key (32), its Learned (40)
  static final long ADDRESS_BYTES = 48 + 32 + 40;
  // a Learned node (40) and its name: String (24) + byte[] header (16) + one byte a character
  static final long NAME_BYTES = 40 + 24 + 16;

  private record Pair(IpAddr client, IpAddr address) {}

  /** One name learned for a pair, newest first through {@code older}. */
  private static final class Learned {
    final String name;
    final long fromMicros;
    final long untilMicros;
    Learned older;

    Learned(String name, long fromMicros, long untilMicros) {
      this.name = name;
      this.fromMicros = fromMicros;
      this.untilMicros = untilMicros;
    }

    boolean validAt(long micros) {
      return micros >= fromMicros && micros <= untilMicros;
    }

    long bytes() {
      return NAME_BYTES + name.length();
    }
  }

  private final long minTtlMicros;
  private final long maxTtlMicros;
  private final long graceMicros;
  private final int maxEntries;
  private final long maxBytes;
  // insertion order = order learned (a pair learned again moves to the end)
  private final LinkedHashMap<Pair, Learned> byPair = new LinkedHashMap<>();
  // the same order; never more addresses than pairs, so the pair bounds bound it too
  private final LinkedHashMap<IpAddr, Learned> byAddress = new LinkedHashMap<>();
  private long bytes;
  private long newestMicros = Long.MIN_VALUE;
  private final Counter answers;
  private final Counter evictedForSize;
  private final Counter expired;
  private final Counter lookupsOriginator;
  private final Counter lookupsSite;
  private final Counter lookupsMiss;

  public PassiveDnsTable(PassiveDnsConfig config, MeterRegistry registry) {
    this.minTtlMicros = config.minTtlDuration().toNanos() / 1000;
    this.maxTtlMicros = config.maxTtlDuration().toNanos() / 1000;
    this.graceMicros = config.graceDuration().toNanos() / 1000;
    this.maxEntries = config.maxEntries();
    this.maxBytes = config.maxMemoryBytes();
    Gauge.builder("flowsentry.passive.dns.entries", this, PassiveDnsTable::size)
        .description("(client, address) pairs remembered from dns.log").register(registry);
    Gauge.builder("flowsentry.passive.dns.memory", this, PassiveDnsTable::estimatedBytes).baseUnit("bytes")
        .description("Estimated memory of the passive DNS table").register(registry);
    answers = Counter.builder("flowsentry.passive.dns.answers")
        .description("A/AAAA answers learned from dns.log").register(registry);
    evictedForSize = evictions(registry, "size");
    expired = evictions(registry, "expired");
    lookupsOriginator = lookups(registry, "originator");
    lookupsSite = lookups(registry, "site");
    lookupsMiss = lookups(registry, "miss");
  }

  private static Counter evictions(MeterRegistry registry, String reason) {
    return Counter.builder("flowsentry.passive.dns.evictions").tag("reason", reason)
        .description("Pairs dropped from the passive DNS table: size = for the bounds, expired = TTL and grace over")
        .register(registry);
  }

  private static Counter lookups(MeterRegistry registry, String result) {
    return Counter.builder("flowsentry.passive.dns.lookups").tag("result", result)
        .description("Responder names looked up (notice.log, events sink): originator = its own query, site = another client's, miss = none")
        .register(registry);
  }

  /** Learns every address of one answered query. */
  public synchronized void learn(DnsAnswers a) {
    newestMicros = Math.max(newestMicros, a.tsMicros());
    for (DnsAnswers.Resolved r : a.addresses()) {
      long ttl = r.ttlMicros() < 0 ? minTtlMicros : Math.clamp(r.ttlMicros(), minTtlMicros, maxTtlMicros);
      long from = a.tsMicros() - graceMicros, until = a.tsMicros() + ttl + graceMicros;
      learnPair(new Pair(a.client(), r.address()), new Learned(a.query(), from, until));
      learnAddress(r.address(), new Learned(a.query(), from, until));
      answers.increment();
    }
    dropExpired();
    while (!byPair.isEmpty() && (byPair.size() > maxEntries || bytes > maxBytes)) {
      Iterator<Map.Entry<Pair, Learned>> head = byPair.entrySet().iterator();
      removePair(head, head.next().getValue());
      evictedForSize.increment();
      trimAddresses();
    }
  }

  /** Drops the addresses learned longest ago while there are more of them than pairs. */
  private void trimAddresses() {
    Iterator<Map.Entry<IpAddr, Learned>> it = byAddress.entrySet().iterator();
    while (byAddress.size() > byPair.size() && it.hasNext()) removeAddress(it, it.next().getValue());
  }

  private void learnPair(Pair key, Learned fresh) {
    Learned old = byPair.remove(key);
    if (old == null) bytes += PAIR_BYTES;
    bytes += fresh.bytes();
    // newest first, without an older entry of the same name, at most NAMES_PER_PAIR
    Learned tail = fresh;
    int kept = 1;
    for (Learned l = old; l != null; l = l.older) {
      if (l.name.equals(fresh.name) || kept == NAMES_PER_PAIR) {
        bytes -= l.bytes();
        continue;
      }
      tail.older = l;
      tail = l;
      kept++;
    }
    tail.older = null;
    byPair.put(key, fresh);
  }

  private void learnAddress(IpAddr address, Learned fresh) {
    Learned old = byAddress.remove(address); // re-put: moves to the end of the order learned
    byAddress.put(address, fresh);
    bytes += old == null ? ADDRESS_BYTES : 0;
    bytes += fresh.bytes() - (old == null ? 0 : old.bytes());
  }

  /** Drops a few of the pairs and addresses learned longest ago if they expired before the newest answer. */
  private void dropExpired() {
    Iterator<Map.Entry<Pair, Learned>> pairs = byPair.entrySet().iterator();
    for (int n = 0; n < EXPIRY_SCAN && pairs.hasNext(); n++) {
      Learned names = pairs.next().getValue();
      if (newestUntil(names) >= newestMicros) break;
      removePair(pairs, names);
      expired.increment();
    }
    Iterator<Map.Entry<IpAddr, Learned>> addresses = byAddress.entrySet().iterator();
    for (int n = 0; n < EXPIRY_SCAN && addresses.hasNext(); n++) {
      Learned name = addresses.next().getValue();
      if (name.untilMicros >= newestMicros) break;
      removeAddress(addresses, name);
    }
    trimAddresses();
  }

  private static long newestUntil(Learned names) {
    long until = Long.MIN_VALUE;
    for (Learned l = names; l != null; l = l.older) until = Math.max(until, l.untilMicros);
    return until;
  }

  /** Removes the entry {@code it} just returned and what it held. */
  private void removePair(Iterator<Map.Entry<Pair, Learned>> it, Learned names) {
    it.remove();
    bytes -= PAIR_BYTES;
    for (Learned l = names; l != null; l = l.older) bytes -= l.bytes();
  }

  private void removeAddress(Iterator<Map.Entry<IpAddr, Learned>> it, Learned name) {
    it.remove();
    bytes -= ADDRESS_BYTES + name.bytes();
  }

  /**
   * The newest name {@code client} itself resolved to {@code address} that is valid at
   * {@code atMicros}; else the newest any client resolved to it; else null.
   */
  public synchronized String nameFor(IpAddr client, IpAddr address, long atMicros) {
    for (Learned l = byPair.get(new Pair(client, address)); l != null; l = l.older) {
      if (l.validAt(atMicros)) {
        lookupsOriginator.increment();
        return l.name;
      }
    }
    Learned any = byAddress.get(address);
    if (any != null && any.validAt(atMicros)) {
      lookupsSite.increment();
      return any.name;
    }
    lookupsMiss.increment();
    return null;
  }

  /** Whether {@code client} itself resolved {@code address} from a name {@code names} accepts, valid at {@code atMicros}. */
  public synchronized boolean resolvedFrom(IpAddr client, IpAddr address, long atMicros, Predicate<String> names) {
    for (Learned l = byPair.get(new Pair(client, address)); l != null; l = l.older) {
      if (l.validAt(atMicros) && names.test(l.name)) return true;
    }
    return false;
  }

  /** A name a client resolved to an address, with the span (event time, epoch µs) it counts for. */
  public record Resolution(String name, long fromMicros, long untilMicros) {}

  /**
   * The names {@code client} itself resolved to {@code address} that are valid at
   * {@code atMicros}, newest first: what {@link #resolvedFrom} asks, for {@code explain}.
   * Read-only: no lookup counter moves.
   */
  public synchronized List<Resolution> resolutions(IpAddr client, IpAddr address, long atMicros) {
    List<Resolution> out = new ArrayList<>();
    for (Learned l = byPair.get(new Pair(client, address)); l != null; l = l.older) {
      if (l.validAt(atMicros)) out.add(new Resolution(l.name, l.fromMicros, l.untilMicros));
    }
    return out;
  }

  public synchronized int size() {
    return byPair.size();
  }

  /** The estimated memory held, in bytes; never above the configured bound after {@link #learn} returns. */
  public synchronized long estimatedBytes() {
    return bytes;
  }
}
