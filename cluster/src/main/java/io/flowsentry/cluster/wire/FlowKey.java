package io.flowsentry.cluster.wire;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;

/**
 * The record key of {@code <prefix>.flows.v1}: the unordered address pair, smaller address first
 * (as {@link IpAddr#compareTo} orders them), each as 4 or 16 bytes. Both directions of a
 * conversation hash to the same partition whichever side the collector judged the originator,
 * and every suppression key {@code (policy, orig_h, resp_h, resp_p/proto)} is a function of one
 * pair, so one partition holds all the events of any key and its analyzer's table is complete.
 * Ports stay out of the key on purpose: a reply and its request differ in them.
 */
public final class FlowKey {
  private FlowKey() {}

  public static byte[] of(ConnectionEvent e) {
    return of(e.origH(), e.respH());
  }

  public static byte[] of(IpAddr a, IpAddr b) {
    IpAddr first = a.compareTo(b) <= 0 ? a : b;
    IpAddr second = first == a ? b : a;
    byte[] x = first.toBytes();
    byte[] y = second.toBytes();
    byte[] key = new byte[x.length + y.length];
    System.arraycopy(x, 0, key, 0, x.length);
    System.arraycopy(y, 0, key, x.length, y.length);
    return key;
  }
}
