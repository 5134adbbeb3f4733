package io.flowsentry.collector.loadgen;

/**
 * What a generator sent, summed exactly: datagrams and their bytes, flow records, and the
 * packet and octet counters those records carry. Not thread-safe: one per sending thread.
 */
public final class ExportTotals {
  private long datagrams;
  private long datagramBytes;
  private long records;
  private long octets;
  private long packets;

  void addRecord(long recordOctets, long recordPackets) {
    records++;
    octets += recordOctets;
    packets += recordPackets;
  }

  void addDatagram(int bytes) {
    datagrams++;
    datagramBytes += bytes;
  }

  void add(ExportTotals other) {
    datagrams += other.datagrams;
    datagramBytes += other.datagramBytes;
    records += other.records;
    octets += other.octets;
    packets += other.packets;
  }

  void reset() {
    datagrams = datagramBytes = records = octets = packets = 0;
  }

  public long datagrams() { return datagrams; }

  public long datagramBytes() { return datagramBytes; }

  public long records() { return records; }

  public long octets() { return octets; }

  public long packets() { return packets; }

  /** One line a script can read back: {@code datagrams=… bytes=… records=… octets=… packets=…}. */
  @Override
  public String toString() {
    return "datagrams=" + datagrams + " bytes=" + datagramBytes + " records=" + records + " octets=" + octets + " packets=" + packets;
  }
}
