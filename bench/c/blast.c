/*
 * The benchmarks' UDP sender: replays a pool of export datagrams (written by
 * io.flowsentry.collector.loadgen.PacketPool) to a loopback port at a fixed packet rate with
 * sendmmsg, rewriting each datagram's sequence number so the stream reads as one exporter's
 * (sFlow: the datagram sequence and each flow sample's sequence number and sample pool, so the
 * stream reads as one agent whose one data source misses no sample), and prints exact totals in LoadGenerator's format. A C sender has no JIT to warm up and costs
 * the shared CPUs a fraction of the Java generator; bench/ingest.sh compiles it into var/.
 *
 *   blast POOL PORT RATE SECONDS MAXPACKETS [--wait-bound]
 *
 * RATE 0 = as fast as the socket takes them. --wait-bound: start the clock the moment some
 * socket is bound to 127.0.0.1:PORT (polled in /proc/net/udp every millisecond, 60 s at most),
 * for cold-start measurements.
 * Pool file (big-endian): u32 tag (the NetFlow/IPFIX version 5, 9 or 10; 0x73466C35, "sFl5", for
 * sFlow v5), u32 count, then per datagram u32 length, u32 records, u64 octets, u64 packets, the
 * bytes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

#define SFLOW_POOL_TAG 0x73466C35u
#define SFLOW_MAX_SAMPLES 1024 /* a datagram of 64 KiB holds fewer samples of 8 bytes or more */

/* Where one sFlow flow sample keeps its sequence number and sample pool, and its sampling rate */
struct sflow_sample { uint32_t seq_at, pool_at, rate; };

struct dgram {
  uint32_t len, records;
  uint64_t octets, packets;
  unsigned char *data;
  /* sFlow only: the datagram sequence's offset and the flow samples, found once at load */
  uint32_t seq_at, nsamples;
  uint64_t rate_sum;
  struct sflow_sample *samples;
};

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

static int read_exact(FILE *f, void *p, size_t n) { return fread(p, 1, n, f) == n; }

static uint32_t be32_at(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return ntohl(v); }

static void put_be32(unsigned char *p, uint32_t v) { v = htonl(v); memcpy(p, &v, 4); }

/* Finds the sequence numbers of an sFlow v5 datagram (sflow_version_5.txt): the datagram's
 * after version, agent address type, agent address (IPv4 4 bytes, IPv6 16) and sub-agent id;
 * each flow sample's (format 0:1 compact, 0:3 expanded) first in the sample, its sample pool
 * after the source id (one word compact, two expanded) and sampling rate. Other samples
 * (counters) keep theirs: the pools hold none. 0 when the datagram is not one whole. */
static int sflow_index(struct dgram *d) {
  const unsigned char *p = d->data;
  uint32_t len = d->len, at, n, i;
  if (len < 8 || be32_at(p) != 5) return 0;
  uint32_t addr_type = be32_at(p + 4);
  if (addr_type != 1 && addr_type != 2) return 0;
  at = 8 + (addr_type == 1 ? 4 : 16) + 4; /* past the agent and the sub-agent id */
  if (at + 12 > len) return 0;
  d->seq_at = at;
  n = be32_at(p + at + 8);
  if (n > SFLOW_MAX_SAMPLES) return 0;
  at += 12;
  d->samples = calloc(n ? n : 1, sizeof *d->samples);
  if (!d->samples) return 0;
  d->nsamples = 0;
  d->rate_sum = 0;
  for (i = 0; i < n; i++) {
    if (at + 8 > len) return 0;
    uint32_t format = be32_at(p + at), slen = be32_at(p + at + 4);
    if (slen > len - at - 8) return 0;
    if (format == 1 || format == 3) {
      uint32_t rate_at = at + 8 + (format == 1 ? 8 : 12); /* sequence, source id (1 or 2 words) */
      if (rate_at + 8 > at + 8 + slen) return 0;
      struct sflow_sample *s = &d->samples[d->nsamples++];
      s->seq_at = at + 8;
      s->rate = be32_at(p + rate_at);
      s->pool_at = rate_at + 4;
      d->rate_sum += s->rate;
    }
    at += 8 + slen;
  }
  return at == len;
}

/* is some socket bound to 127.0.0.1:port? Only the local address column counts: our own
 * connected socket names the port as its remote address */
static int port_bound(int port) {
  FILE *f = fopen("/proc/net/udp", "r");
  char line[512];
  unsigned addr, lport;
  int found = 0;
  if (!f) return 0;
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, " %*d: %8X:%4X", &addr, &lport) == 2 && addr == 0x0100007F && (int)lport == port) { found = 1; break; }
  }
  fclose(f);
  return found;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: blast POOL PORT RATE SECONDS MAXPACKETS [--wait-bound]\n");
    return 2;
  }
  const char *pool_path = argv[1];
  int port = atoi(argv[2]);
  double rate = atof(argv[3]), seconds = atof(argv[4]);
  long long max_packets = atoll(argv[5]);
  int wait_bound = argc > 6 && strcmp(argv[6], "--wait-bound") == 0;
  if (port <= 0 || port > 65535 || rate < 0 || seconds <= 0 || seconds > 3600 || max_packets <= 0) {
    fprintf(stderr, "blast: bad arguments\n");
    return 2;
  }

  FILE *f = fopen(pool_path, "rb");
  if (!f) { perror(pool_path); return 1; }
  uint32_t version, count;
  if (!read_exact(f, &version, 4) || !read_exact(f, &count, 4)) { fprintf(stderr, "blast: %s: no header\n", pool_path); return 1; }
  version = ntohl(version);
  count = ntohl(count);
  int sflow = version == SFLOW_POOL_TAG;
  if ((version != 5 && version != 9 && version != 10 && !sflow) || count == 0 || count > 1000000) {
    fprintf(stderr, "blast: %s: pool tag 0x%X, %u datagrams (expected 5/9/10 or 0x%X, 1..1000000)\n", pool_path, version,
            count, SFLOW_POOL_TAG);
    return 1;
  }
  struct dgram *pool = calloc(count, sizeof *pool);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t len, rec;
    uint64_t oct, pk;
    if (!read_exact(f, &len, 4) || !read_exact(f, &rec, 4) || !read_exact(f, &oct, 8) || !read_exact(f, &pk, 8)) {
      fprintf(stderr, "blast: %s: cut short at datagram %u\n", pool_path, i);
      return 1;
    }
    pool[i].len = ntohl(len);
    pool[i].records = ntohl(rec);
    pool[i].octets = be64toh(oct);
    pool[i].packets = be64toh(pk);
    if (pool[i].len < 20 || pool[i].len > 65507) { fprintf(stderr, "blast: %s: datagram %u of %u bytes\n", pool_path, i, pool[i].len); return 1; }
    pool[i].data = malloc(pool[i].len);
    if (!read_exact(f, pool[i].data, pool[i].len)) { fprintf(stderr, "blast: %s: cut short in datagram %u\n", pool_path, i); return 1; }
    if (sflow && !sflow_index(&pool[i])) { fprintf(stderr, "blast: %s: datagram %u is no whole sFlow v5 datagram\n", pool_path, i); return 1; }
  }
  fclose(f);

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int sndbuf = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) { perror("blast: connect"); return 1; }

  if (wait_bound) {
    int i;
    for (i = 0; i < 60000 && !port_bound(port); i++) usleep(1000);
    if (i == 60000) { fprintf(stderr, "blast: nothing bound 127.0.0.1:%d within 60 s\n", port); return 1; }
  }

  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  memset(msgs, 0, sizeof msgs);
  double ns_per_packet = rate > 0 ? 1e9 / rate : 0;
  /* up to 1 ms of the load per wake-up, as the Java generator batches */
  long long batch_due = rate > 0 ? (long long)(rate / 1000) : BATCH;
  if (batch_due < 1) batch_due = 1;
  if (batch_due > BATCH) batch_due = BATCH;
  uint64_t start = now_ns(), deadline = start + (uint64_t)(seconds * 1e9);
  long long n = 0, errors = 0;
  uint64_t samples_before = 0, pool_before = 0; /* sFlow: flow samples and sampled packets sent before */
  uint64_t records_before = 0, datagrams = 0, bytes = 0, records = 0, octets = 0, packets = 0;
  while (n < max_packets) {
    uint64_t t = now_ns();
    if (t >= deadline) break;
    long long batch = max_packets - n < BATCH ? max_packets - n : BATCH;
    if (ns_per_packet > 0) {
      long long due = (long long)((t - start) / ns_per_packet) + 1;
      long long wanted = batch_due < max_packets - n ? batch_due : max_packets - n;
      if (due - n < wanted) {
        uint64_t at = start + (uint64_t)((n + wanted - 1) * ns_per_packet);
        if (at > t) {
          struct timespec d = {.tv_sec = (at - t) / 1000000000u, .tv_nsec = (at - t) % 1000000000u};
          nanosleep(&d, NULL);
        }
        continue;
      }
      if (due - n < batch) batch = due - n;
    }
    for (int k = 0; k < batch; k++) {
      struct dgram *d = &pool[(n + k) % count];
      if (sflow) {
        /* datagrams count from 1, each sample's sequence too; its pool holds every packet seen */
        put_be32(d->data + d->seq_at, (uint32_t)(n + k + 1));
        for (uint32_t j = 0; j < d->nsamples; j++) {
          struct sflow_sample *s = &d->samples[j];
          samples_before++;
          pool_before += s->rate;
          put_be32(d->data + s->seq_at, (uint32_t)samples_before);
          put_be32(d->data + s->pool_at, (uint32_t)pool_before);
        }
      } else {
        /* the sequence each version expects: v5 and IPFIX count data records, v9 export packets */
        uint32_t seq = version == 9 ? (uint32_t)(n + k) : (uint32_t)(records_before);
        uint32_t be = htonl(seq);
        /* header offsets: v5 flow_sequence 16, v9 package sequence 12, IPFIX sequence 8 */
        memcpy(d->data + (version == 5 ? 16 : version == 9 ? 12 : 8), &be, 4);
      }
      records_before += d->records;
      iov[k].iov_base = d->data;
      iov[k].iov_len = d->len;
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
    }
    int sent = sendmmsg(fd, msgs, (unsigned)batch, 0);
    if (sent < 0) { errors++; sent = 1; /* that datagram is lost: a refused or full socket */ }
    else {
      for (int k = 0; k < sent; k++) {
        struct dgram *d = &pool[(n + k) % count];
        datagrams++;
        bytes += d->len;
        records += d->records;
        octets += d->octets;
        packets += d->packets;
      }
    }
    /* datagrams not taken by a partial sendmmsg are sent (and numbered) again next round */
    for (int k = sent; k < batch; k++) {
      struct dgram *d = &pool[(n + k) % count];
      records_before -= d->records;
      samples_before -= d->nsamples;
      pool_before -= d->rate_sum;
    }
    n += sent;
  }
  double elapsed = (now_ns() - start) / 1e9;
  printf("loadgen version=%s target=127.0.0.1:%d pool=%u elapsed=%.3fs rate=%.0fpps send_errors=%lld "
         "datagrams=%llu bytes=%llu records=%llu octets=%llu packets=%llu\n",
         sflow ? "sflow" : version == 5 ? "v5" : version == 9 ? "v9" : "ipfix", port, count, elapsed, datagrams / (elapsed > 1e-9 ? elapsed : 1e-9),
         errors, (unsigned long long)datagrams, (unsigned long long)bytes, (unsigned long long)records,
         (unsigned long long)octets, (unsigned long long)packets);
  return 0;
}
