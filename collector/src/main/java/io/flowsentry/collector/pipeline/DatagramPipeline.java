package io.flowsentry.collector.pipeline;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.logging.RateLimitedLog;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.Decoder;
import io.flowsentry.collector.netflow.ExportProtocol;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.SequenceTracker;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.netflow.template.EvictionReason;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.flowsentry.collector.sflow.CounterSample;
import io.flowsentry.collector.sflow.DiscardSample;
import io.flowsentry.collector.sflow.FlowSample;
import io.flowsentry.collector.sflow.SflowDatagram;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.flowsentry.collector.sflow.SflowListener;
import io.flowsentry.collector.udp.DatagramHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-datagram pipeline behind every NetFlow/IPFIX/sFlow socket, live and offline alike: read
 * the version (a first 16 bits of 0 is sFlow's 32-bit version), hand the datagram to the v5, v9,
 * IPFIX or sFlow decoder, track sequence numbers, normalize
 * each record into a {@code ConnectionEvent} and hand it to the {@link EventHandler} — all on the
 * calling thread, no queue. Records the handler does not {@link EventHandler#wants want} are
 * only counted and timed, and reported in bulk through {@link EventHandler#onSkipped}: no event,
 * and no originator decision either, since their replies are unwanted too.
 *
 * <p>Metrics (counted per datagram, not per record): {@code flowsentry_packets_received_total
 * {protocol,exporter}}, {@code flowsentry_flow_records_total{protocol,exporter}},
 * {@code flowsentry_decode_errors_total{protocol,reason}} (protocol {@code unknown} when the
 * version is unreadable or unknown; reason {@code internal_error} when a decoder or the event
 * handler threw, which is a bug), {@code flowsentry_sequence_gaps_total{exporter}} (sFlow: per agent
 * and sub-agent behind the exporter), and per sFlow exporter the series of {@link SflowCounters}.
 * An sFlow flow sample that names an IP packet is one flow record; counter and discard samples are
 * counted there and become no event.
 * Counters are cached per exporter and protocol, so the hot path never looks meters up.
 *
 * <p>Bad datagrams are logged at most once per protocol and reason per minute, naming the
 * exporter, with how many similar lines were held back. No exception escapes {@link #onDatagram}.
 */
public final class DatagramPipeline implements DatagramHandler {

  private static final Logger log = LoggerFactory.getLogger(DatagramPipeline.class);

  /** {@code reason} label when a decoder or the event handler threw instead of reporting. */
  static final String INTERNAL_ERROR = "internal_error";
  private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
  private static final int PROTOCOL_SLOTS = ExportProtocol.values().length + 1; // + unknown
  private static final int REASON_SLOTS = DecodeError.values().length + 1; // + internal error
  private static final int GAP_LOG_SLOT = PROTOCOL_SLOTS * REASON_SLOTS;
  private static final int RESTART_LOG_SLOT = GAP_LOG_SLOT + 1;

  private final Decoder[] decoders = new Decoder[ExportProtocol.values().length];
  private final SflowDecoder sflow;
  private final FlowNormalizer normalizer;
  private final EventHandler events;
  private final MeterRegistry registry;
  private final ExporterRegistry exporters;
  private final AtomicReferenceArray<Counter> errorCounters = new AtomicReferenceArray<>(PROTOCOL_SLOTS * REASON_SLOTS);
  private final RateLimitedLog logLimit;

  /**
   * @param v5 the NetFlow v5 decoder
   * @param v9 the NetFlow v9 decoder (method references fit: {@code v9::decode})
   * @param ipfix the IPFIX decoder
   * @param sflow the sFlow v5 decoder
   * @param normalizer turns records into events
   * @param events where the events go (called on this thread)
   * @param limits {@code max_exporters}, {@code exporter_timeout} and {@code exporter_includes_port} are used here
   * @param registry where the counters live
   * @param clock for rate-limiting log lines only (a {@link java.time.Clock})
   */
  public DatagramPipeline(Decoder v5, Decoder v9, Decoder ipfix, SflowDecoder sflow, FlowNormalizer normalizer,
      EventHandler events, NetflowLimits limits, MeterRegistry registry, InstantSource clock) {
    decoders[ExportProtocol.NETFLOW5.ordinal()] = v5;
    decoders[ExportProtocol.NETFLOW9.ordinal()] = v9;
    decoders[ExportProtocol.IPFIX.ordinal()] = ipfix;
    this.sflow = sflow;
    this.normalizer = normalizer;
    this.events = events;
    this.registry = registry;
    this.exporters = new ExporterRegistry(limits, registry);
    this.logLimit = new RateLimitedLog(clock, LOG_INTERVAL, RESTART_LOG_SLOT + 1);
    registerKnownErrors();
  }

  /**
   * Every {@code flowsentry_decode_errors_total{protocol,reason}} series that can occur exists
   * from start-up at 0, so rates and alert rules work before the first bad datagram: each
   * protocol with the reasons its decoder reports ({@link ExportProtocol#reasons}), plus
   * {@code internal_error}; {@code unknown} with the two reasons found before the version is.
   */
  private void registerKnownErrors() {
    for (ExportProtocol protocol : ExportProtocol.values()) {
      for (DecodeError reason : protocol.reasons()) {
        errorCounter(protocol.ordinal() * REASON_SLOTS + reason.ordinal(), protocol, reason.tag());
      }
      errorCounter(protocol.ordinal() * REASON_SLOTS + REASON_SLOTS - 1, protocol, INTERNAL_ERROR);
    }
    for (DecodeError reason : new DecodeError[] {DecodeError.TRUNCATED_HEADER, DecodeError.UNKNOWN_VERSION}) {
      errorCounter((PROTOCOL_SLOTS - 1) * REASON_SLOTS + reason.ordinal(), null, reason.tag());
    }
  }

  @Override
  public void onDatagram(InetSocketAddress sender, ByteBuf content, long receivedMillis) {
    if (content.readableBytes() < 2) {
      fail(null, DecodeError.TRUNCATED_HEADER, sender,
          "incomplete header: " + content.readableBytes() + " bytes (expected: 2+ for the version)");
      return;
    }
    int version = content.getUnsignedShort(content.readerIndex());
    ExportProtocol protocol;
    if (SflowDecoder.isSflow(content)) {
      long sflowVersion = content.getUnsignedInt(content.readerIndex());
      if (sflowVersion != SflowDecoder.VERSION) {
        fail(null, DecodeError.UNKNOWN_VERSION, sender, "sFlow version " + sflowVersion + " (expected: 5)");
        return;
      }
      protocol = ExportProtocol.SFLOW;
    } else {
      protocol = version == 0 ? null : ExportProtocol.ofVersion(version);
      if (protocol == null) {
        fail(null, DecodeError.UNKNOWN_VERSION, sender, "version " + version + " (expected: 5, 9 or 10, or sFlow's 0 0 0 5)");
        return;
      }
    }
    ExporterState exporter = exporters.get(sender, receivedMillis);
    boolean known = exporter != null;
    if (!known) exporter = exporters.provisional(sender, receivedMillis);
    Datagram datagram = new Datagram(exporter, protocol, sender);
    try {
      if (protocol == ExportProtocol.SFLOW) {
        sflow.decode(content, sender, receivedMillis, datagram);
      } else {
        decoders[protocol.ordinal()].decode(content, sender, receivedMillis, datagram);
      }
    } catch (RuntimeException e) {
      internalError(protocol, sender, e);
    }
    try {
      datagram.reportSkipped(); // also after a failing decoder: the records it delivered count
    } catch (RuntimeException e) {
      internalError(protocol, sender, e);
    }
    if (!known) {
      if (!datagram.headerDecoded) return; // counted as a decode error; earns no exporter entry
      exporter = exporters.admit(sender, exporter);
    }
    exporter.packets(protocol).increment();
    if (datagram.records > 0) {
      exporter.records(protocol).increment(datagram.records);
      exporter.delivered(receivedMillis);
    }
  }

  /**
   * Forgets exporters silent for {@code exporter_timeout}, their series with them. The daemon
   * calls this every second.
   */
  public void expire(long nowMillis) {
    exporters.expire(nowMillis);
  }

  /**
   * What the daemon's timer passes to {@code TemplateStore.expire}: held data that expires is
   * counted under its own protocol ({@code flowsentry_decode_errors_total{reason="pending_expired"}})
   * and logged like any bad input.
   */
  public DecodeListener sweepListener() {
    return new DecodeListener() {
      @Override
      public void header(MessageHeader header) {}

      @Override
      public void record(FlowRecord record) {}

      @Override
      public void pendingExpired(int version, String detail) {
        fail(ExportProtocol.ofVersion(version), DecodeError.PENDING_EXPIRED, null, detail);
      }

      @Override
      public void error(DecodeError reason, String detail) {
        fail(null, reason, null, detail);
      }
    };
  }

  /** Exporters the collector forgot so far for {@code reason} ({@code table_full}, {@code idle}). */
  public long evictions(EvictionReason reason) {
    return exporters.evictions(reason);
  }

  /** Exporters with an entry now. */
  public int exporterCount() {
    return exporters.size();
  }

  /** The state of one datagram while its decoder walks it. */
  private final class Datagram implements DecodeListener, SflowListener {
    private final ExporterState exporter;
    private final ExportProtocol protocol;
    private final InetSocketAddress sender;
    int records;
    boolean headerDecoded;
    /** Records the handler did not want as events, not yet reported, and the newest of their times. */
    private int skipped;
    private long skippedNewestMicros = Long.MIN_VALUE;
    /** The sFlow datagram's agent and sub-agent, which name its samples' data sources. */
    private IpAddr agent;
    private long subAgent;

    Datagram(ExporterState exporter, ExportProtocol protocol, InetSocketAddress sender) {
      this.exporter = exporter;
      this.protocol = protocol;
      this.sender = sender;
    }

    @Override
    public void header(MessageHeader h) {
      headerDecoded = true;
      SequenceTracker tracker = exporter.tracker(h.version(), h.observationDomain());
      if (tracker == null) return;
      track(tracker, h.sequenceNumber(), protocol.sequenceUnits(h), h.sysUptimeMillis(), h);
    }

    @Override
    public void datagram(SflowDatagram h) {
      headerDecoded = true;
      agent = h.agent();
      subAgent = h.subAgentId();
      SequenceTracker tracker = exporter.sflowTracker(h.agent(), h.subAgentId());
      if (tracker == null) return;
      track(tracker, h.sequence(), 1, h.uptimeMillis(), h);
    }

    /**
     * Counts and (rate-limited) logs a gap or restart; {@code header} (a {@link MessageHeader} or an
     * {@link SflowDatagram}) names the domain or agent in the log line. It is passed as it is, not
     * as a lambda, so that a datagram in order allocates nothing here.
     */
    private void track(SequenceTracker tracker, long sequence, long units, long uptimeMillis, Object header) {
      switch (tracker.observe(sequence, units, uptimeMillis)) {
        case GAP -> {
          exporter.sequenceGaps().increment();
          long held = logLimit.permit(GAP_LOG_SLOT);
          if (held >= 0) {
            log.info("sequence gap from exporter {} ({}): {} missing before sequence {}{}", exporter.label(),
                source(header), tracker.lastMissing(), sequence, heldBack(held));
          }
        }
        case RESTART -> {
          long held = logLimit.permit(RESTART_LOG_SLOT);
          if (held >= 0) {
            log.info("exporter {} ({}) restarted: sequence now {}{}", exporter.label(), source(header), sequence,
                heldBack(held));
          }
        }
        default -> { }
      }
    }

    private String source(Object header) {
      return header instanceof SflowDatagram h ? "sflow agent " + h.agent() + " sub-agent " + h.subAgentId()
          : protocol.label() + " domain " + ((MessageHeader) header).observationDomain();
    }

    @Override
    public void flowSample(FlowSample sample) {
      SflowCounters c = exporter.sflow();
      c.flowSamples.increment();
      c.loss.observe(agent, subAgent, sample, c);
    }

    @Override
    public void counterSample(CounterSample sample) {
      exporter.sflow().counterSamples.increment();
    }

    @Override
    public void discardSample(DiscardSample sample) {
      exporter.sflow().discardSamples.increment();
    }

    @Override
    public void unknownSample(int enterprise, int format) {
      exporter.sflow().unknownSamples.increment();
    }

    @Override
    public void recordsSkipped(int count) {
      exporter.sflow().recordsSkipped.increment(count);
    }

    @Override
    public void enterpriseElementsSkipped(long count) {
      exporter.enterpriseElementsSkipped().increment(count);
    }

    @Override
    public void record(FlowRecord record) {
      decoded(record.toBuilder()); // the decoders lend builders (below); this is for anyone else
    }

    /** Builds the record only when the handler wants its event: most records are never built. */
    @Override
    public void decoded(FlowRecord.Builder record) {
      records++;
      try {
        // raw addresses: no IpAddr for records that are skipped; a missing address is 0.0.0.0,
        // as FlowNormalizer names it in the event (the raw fields of NO_ADDRESS are 0)
        if (events.wants(record.sourceHi, record.sourceLo, record.sourceFamily == FlowRecord.Builder.IPV6,
            record.destinationHi, record.destinationLo, record.destinationFamily == FlowRecord.Builder.IPV6)) {
          reportSkipped();
          events.onEvent(normalizer.normalize(record.build(), exporter.addressText()));
        } else {
          skippedNewestMicros = Math.max(skippedNewestMicros, FlowNormalizer.eventTimeMicros(record));
          skipped++;
        }
      } catch (RuntimeException e) {
        internalError(protocol, sender, e); // one failing record never costs the others
      }
    }

    void reportSkipped() {
      if (skipped == 0) return;
      int count = skipped;
      long newest = skippedNewestMicros;
      skipped = 0; // before the call: a handler that throws must not get the same records twice
      skippedNewestMicros = Long.MIN_VALUE;
      events.onSkipped(FlowNormalizer.eventSource(protocol.version()), count, newest);
    }

    @Override
    public void error(DecodeError reason, String detail) {
      fail(protocol, reason, sender, detail);
    }
  }

  /** Counts and (rate-limited) logs bad input; {@code sender} null when the expiry timer reports. */
  private void fail(ExportProtocol protocol, DecodeError reason, InetSocketAddress sender, String detail) {
    int p = protocol == null ? PROTOCOL_SLOTS - 1 : protocol.ordinal();
    int slot = p * REASON_SLOTS + reason.ordinal();
    errorCounter(slot, protocol, reason.tag()).increment();
    long held = logLimit.permit(slot);
    if (held >= 0) {
      if (sender == null) {
        log.warn("{} state dropped by the expiry timer: {}: {}{}", label(protocol), reason.tag(), detail, heldBack(held));
      } else {
        log.warn("bad {} datagram from exporter {}: {}: {}{}", label(protocol), sender, reason.tag(),
            detail, heldBack(held));
      }
    }
  }

  private void internalError(ExportProtocol protocol, InetSocketAddress sender, RuntimeException e) {
    int slot = protocol.ordinal() * REASON_SLOTS + REASON_SLOTS - 1;
    errorCounter(slot, protocol, INTERNAL_ERROR).increment();
    long held = logLimit.permit(slot);
    if (held >= 0) {
      log.error("{} datagram from exporter {} failed inside the pipeline (a bug){}", protocol.label(),
          sender, heldBack(held), e);
    }
  }

  private Counter errorCounter(int slot, ExportProtocol protocol, String reason) {
    Counter c = errorCounters.get(slot);
    if (c == null) {
      c = Counter.builder("flowsentry.decode.errors")
          .description("Datagrams or parts of datagrams that could not be decoded, per protocol and reason")
          .tags("protocol", label(protocol), "reason", reason)
          .register(registry);
      errorCounters.set(slot, c);
    }
    return c;
  }

  private static String label(ExportProtocol protocol) {
    return protocol == null ? ExportProtocol.UNKNOWN_LABEL : protocol.label();
  }

  private static String heldBack(long held) {
    return held > 0 ? " (" + held + " similar lines held back)" : "";
  }
}
