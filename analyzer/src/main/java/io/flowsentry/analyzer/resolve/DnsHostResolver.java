package io.flowsentry.analyzer.resolve;

import io.flowsentry.collector.event.IpAddr;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the hostnames of {@code allowed_pairs} to all their A and AAAA addresses in the
 * background and keeps them fresh: each name is asked again when its shortest answer TTL runs
 * out, clamped to [{@code min_ttl}, {@code max_ttl}]; an address stays allowed for
 * {@code keep_seen_for} after it was last answered; a failed lookup keeps the last known
 * addresses, is logged once per run of failures and counted in
 * {@code flowsentry_dns_failures_total}. An answer without any address counts as a failure.
 *
 * <p>Netty's {@link DnsNameResolver} is used because it reports record TTLs, can be pointed at
 * given nameservers (and at a test server on loopback) and never blocks a thread on I/O.
 * commons-net has no DNS client and {@code InetAddress} hides TTLs behind a JVM-wide cache.
 * Caching inside Netty is switched off: this class is the cache.
 */
public final class DnsHostResolver implements HostTracker, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsHostResolver.class);
  private static final long TICK_MILLIS = 1000;

  private final Duration minTtl;
  private final Duration maxTtl;
  private final Duration keepSeenFor;
  private final Duration timeout;
  private final Clock clock;
  private final Counter failures;
  private final EventLoopGroup group;
  private final DnsNameResolver resolver;
  private final Map<String, ResolvedHost> hosts = new ConcurrentHashMap<>();
  private final Object refreshLock = new Object();
  private ScheduledExecutorService scheduler;

  public DnsHostResolver(ResolverConfig config, Clock clock, MeterRegistry registry) {
    this.minTtl = config.minTtlDuration();
    this.maxTtl = config.maxTtlDuration();
    this.keepSeenFor = config.keepSeenForDuration();
    this.timeout = config.timeoutDuration();
    this.clock = clock;
    this.failures = Counter.builder("flowsentry.dns.failures")
        .description("Hostname lookups that failed and kept the last known addresses").register(registry);
    DnsServerAddressStreamProvider servers = config.servers().isEmpty()
        ? DnsServerAddressStreamProviders.platformDefault()
        : new SequentialDnsServerAddressStreamProvider(config.serverAddresses());
    this.group = new MultiThreadIoEventLoopGroup(1, Thread.ofPlatform().name("flowsentry-dns").daemon(true).factory(),
        NioIoHandler.newFactory());
    this.resolver = new DnsNameResolverBuilder(group.next())
        .datagramChannelType(NioDatagramChannel.class)
        .nameServerProvider(servers)
        .queryTimeoutMillis(timeout.toMillis())
        .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
        .resolveCache(NoopDnsCache.INSTANCE)
        .cnameCache(NoopDnsCnameCache.INSTANCE)
        .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
        // the configuration names hosts fully; no search-domain guessing, no /etc/hosts answers without TTL
        .searchDomains(List.of())
        .ndots(1)
        .hostsFileEntriesResolver((name, types) -> null)
        .build();
  }

  /** Returns the tracked name's matcher, registering it (due at once) the first time. */
  @Override
  public ResolvedHost track(String hostname) {
    return hosts.computeIfAbsent(normalize(hostname), ResolvedHost::new);
  }

  /** Forgets names no longer used by any policy (after a configuration reload). */
  public void retainOnly(Set<String> hostnames) {
    Set<String> keep = new java.util.HashSet<>();
    for (String h : hostnames) keep.add(normalize(h));
    hosts.keySet().retainAll(keep);
  }

  /** Starts refreshing in the background, checking once a second which names are due. */
  public synchronized void start() {
    if (scheduler != null) return;
    scheduler = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("flowsentry-dns-refresh").daemon(true).factory());
    scheduler.scheduleWithFixedDelay(this::refreshDueLogged, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Resolves every name whose refresh time has come, waiting for the answers (at most about
   * the query timeout). Called by the background tick; at start-up it may be called once before
   * the sources start, so the first events already see the addresses. Returns the names asked.
   */
  public int refreshDue() {
    synchronized (refreshLock) {
      Instant now = clock.instant();
      record Pending(ResolvedHost host, Future<List<DnsRecord>> a, Future<List<DnsRecord>> aaaa) {}
      List<Pending> pending = new ArrayList<>();
      for (ResolvedHost h : hosts.values()) {
        if (h.nextRefresh().isAfter(now)) continue;
        pending.add(new Pending(h, query(h.hostname(), DnsRecordType.A), query(h.hostname(), DnsRecordType.AAAA)));
      }
      for (Pending p : pending) {
        Answer a = collect(p.a);
        Answer aaaa = collect(p.aaaa);
        List<IpAddr> addresses = new ArrayList<>(a.addresses);
        addresses.addAll(aaaa.addresses);
        if (addresses.isEmpty()) {
          failures.increment();
          String why = a.error != null ? a.error : aaaa.error != null ? aaaa.error : "no A or AAAA records";
          if (p.host.failed(clock.instant(), minTtl)) {
            log.warn("cannot resolve {} ({}); keeping its last known addresses {}", p.host.hostname(), why, p.host.addresses());
          }
          continue;
        }
        long ttl = Math.min(a.minTtl, aaaa.minTtl);
        Duration next = clamp(Duration.ofSeconds(ttl));
        p.host.answered(addresses, clock.instant(), keepSeenFor, next);
      }
      return pending.size();
    }
  }

  private void refreshDueLogged() {
    try {
      refreshDue();
    } catch (RuntimeException e) {
      // the refresher must survive anything a lookup throws
      log.error("DNS refresh failed", e);
    }
  }

  private Duration clamp(Duration ttl) {
    if (ttl.compareTo(minTtl) < 0) return minTtl;
    return ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
  }

  private Future<List<DnsRecord>> query(String hostname, DnsRecordType type) {
    return resolver.resolveAll(new DefaultDnsQuestion(hostname, type));
  }

  private record Answer(List<IpAddr> addresses, long minTtl, String error) {}

  private Answer collect(Future<List<DnsRecord>> f) {
    // the resolver enforces its own query timeout; this bound only guards against a lost promise
    if (!f.awaitUninterruptibly(timeout.toMillis() * 4 + 1000)) return new Answer(List.of(), Long.MAX_VALUE, "timed out");
    if (!f.isSuccess()) return new Answer(List.of(), Long.MAX_VALUE, String.valueOf(f.cause().getMessage()));
    List<IpAddr> addresses = new ArrayList<>();
    long minTtl = Long.MAX_VALUE;
    for (DnsRecord r : f.getNow()) {
      try {
        if (r instanceof DnsRawRecord raw && (r.type() == DnsRecordType.A || r.type() == DnsRecordType.AAAA)) {
          int len = raw.content().readableBytes();
          if (len == 4 || len == 16) {
            byte[] b = new byte[len];
            raw.content().getBytes(raw.content().readerIndex(), b);
            addresses.add(IpAddr.of(b));
            minTtl = Math.min(minTtl, r.timeToLive());
          }
        }
      } finally {
        ReferenceCountUtil.release(r);
      }
    }
    return new Answer(addresses, minTtl, null);
  }

  private static String normalize(String hostname) {
    String h = hostname.strip().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) scheduler.shutdownNow();
    resolver.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
