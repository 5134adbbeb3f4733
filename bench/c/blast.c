/*
 * The benchmarks' UDP sender: replays a pool of export datagrams (written by
 * io.flowsentry.collector.loadgen.PacketPool) to a loopback port at a fixed packet rate with
 * sendmmsg, rewriting each datagram's sequence number so the stream reads as one exporter's,
 * and prints exact totals in LoadGenerator's format. A C sender has no JIT to warm up and costs
 * the shared CPUs a fraction of the Java generator; bench/ingest.sh compiles it into var/.
 *
 *   blast POOL PORT RATE SECONDS MAXPACKETS [--wait-bound]
 *
 * RATE 0 = as fast as the socket takes them. --wait-bound: start the clock the moment some
 * socket is bound to 127.0.0.1:PORT (polled in /proc/net/udp every millisecond, 60 s at most),
 * for cold-start measurements.
 * Pool file (big-endian): u32 version (5, 9, 10), u32 count, then per datagram u32 length,
 * u32 records, u64 octets, u64 packets, the bytes.
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

struct dgram { uint32_t len, records; uint64_t octets, packets; unsigned char *data; };

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

static int read_exact(FILE *f, void *p, size_t n) { return fread(p, 1, n, f) == n; }

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
  if ((version != 5 && version != 9 && version != 10) || count == 0 || count > 1000000) {
    fprintf(stderr, "blast: %s: version %u, %u datagrams (expected 5/9/10, 1..1000000)\n", pool_path, version, count);
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
      /* the sequence each version expects: v5 and IPFIX count data records, v9 export packets */
      uint32_t seq = version == 9 ? (uint32_t)(n + k) : (uint32_t)(records_before);
      uint32_t be = htonl(seq);
      /* header offsets: v5 flow_sequence 16, v9 package sequence 12, IPFIX sequence 8 */
      memcpy(d->data + (version == 5 ? 16 : version == 9 ? 12 : 8), &be, 4);
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
    for (int k = sent; k < batch; k++) records_before -= pool[(n + k) % count].records;
    n += sent;
  }
  double elapsed = (now_ns() - start) / 1e9;
  printf("loadgen version=%s target=127.0.0.1:%d pool=%u elapsed=%.3fs rate=%.0fpps send_errors=%lld "
         "datagrams=%llu bytes=%llu records=%llu octets=%llu packets=%llu\n",
         version == 5 ? "v5" : version == 9 ? "v9" : "ipfix", port, count, elapsed, datagrams / (elapsed > 1e-9 ? elapsed : 1e-9),
         errors, (unsigned long long)datagrams, (unsigned long long)bytes, (unsigned long long)records,
         (unsigned long long)octets, (unsigned long long)packets);
  return 0;
}
