/*
 * The kernel floor for bench/ingest.sh: a bare recvmmsg receiver that does the least a
 * collector can do with a NetFlow v5/v9, IPFIX or sFlow v5 datagram — read it and count its data
 * records (v5: the header's count; v9 and IPFIX: each data set's length over its template's
 * record length, templates learnt from the template sets it sees; sFlow: its flow samples, found
 * by walking the samples' lengths). No storage, no allocation.
 *
 *   floor PORT RCVBUF STATUSFILE [HOLD_MS]
 *
 * Binds 127.0.0.1:PORT, asks for RCVBUF bytes of socket buffer, and rewrites STATUSFILE
 * ("records=N octets=0 packets=0 datagrams=N") every second and on SIGTERM/SIGINT, then exits.
 * HOLD_MS: reads nothing for that long after binding, so what it then counts is what the socket
 * queue held (bench/ingest.sh measures how many datagrams the granted buffer buys that way).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define SLOT 65536
#define TEMPLATES 65536

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }
static uint16_t record_length[TEMPLATES]; /* per template id, 0 = unknown (one exporter) */
static unsigned long long datagrams, records;

static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const unsigned char *p) { return (uint32_t)be16(p) << 16 | be16(p + 2); }

/* sFlow v5 (sflow_version_5.txt): version 5 as 32 bits, agent address type (1 IPv4, 2 IPv6),
 * agent, sub-agent, sequence, uptime, sample count; a flow sample is format 1 (compact) or 3
 * (expanded). Stops at the first sample that does not fit */
static void count_sflow(const unsigned char *d, int n) {
  uint32_t type = be32(d + 4);
  if (type != 1 && type != 2) return;
  const unsigned char *p = d + 8 + (type == 1 ? 4 : 16) + 16, *end = d + n; /* sub-agent .. count */
  if (p > end) return;
  uint32_t samples = be32(p - 4);
  for (uint32_t i = 0; i < samples && p + 8 <= end; i++) {
    uint32_t format = be32(p), len = be32(p + 4);
    if (len > (uint32_t)(end - p - 8)) return;
    if (format == 1 || format == 3) records++;
    p += 8 + len;
  }
}

/* template records of one v9 (ipfix = 0) or IPFIX (ipfix = 1) template set */
static void learn(const unsigned char *p, const unsigned char *end, int ipfix) {
  while (p + 4 <= end) {
    uint16_t id = be16(p), fields = be16(p + 2), len = 0;
    p += 4;
    for (int i = 0; i < fields && p + 4 <= end; i++) {
      uint16_t type = be16(p), flen = be16(p + 2);
      p += 4;
      if (ipfix && (type & 0x8000)) p += 4; /* enterprise number */
      len += flen;
    }
    record_length[id] = len;
  }
}

static void count(const unsigned char *d, int n) {
  datagrams++;
  if (n < 20) return;
  uint16_t version = be16(d);
  if (version == 5) { records += be16(d + 2); return; }
  if (version == 0 && be32(d) == 5) { count_sflow(d, n); return; } /* NetFlow v5's first 16 bits are 5 */
  int header = version == 9 ? 20 : 16, ipfix = version == 10;
  if (version != 9 && !ipfix) return;
  const unsigned char *p = d + header, *end = d + (ipfix && be16(d + 2) < n ? be16(d + 2) : n);
  while (p + 4 <= end) {
    uint16_t id = be16(p), len = be16(p + 2);
    if (len < 4 || p + len > end) return;
    if (id == (ipfix ? 2 : 0)) learn(p + 4, p + len, ipfix);
    else if (id >= 256 && record_length[id] > 0) records += (len - 4) / record_length[id];
    p += len;
  }
}

static void write_status(const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f) return;
  fprintf(f, "records=%llu octets=0 packets=0 datagrams=%llu\n", records, datagrams);
  fclose(f);
  rename(tmp, path);
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) { fprintf(stderr, "usage: floor PORT RCVBUF STATUSFILE [HOLD_MS]\n"); return 2; }
  int hold_ms = argc == 5 ? atoi(argv[4]) : 0;
  int port = atoi(argv[1]), rcvbuf = atoi(argv[2]);
  const char *status = argv[3];
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  /* as flowsentry does: past net.core.rmem_max where the process may (CAP_NET_ADMIN), else capped */
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct timeval tv = {.tv_sec = 0, .tv_usec = 100000}; /* wake up to see a signal or write the status */
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(fd, (struct sockaddr *)&at, sizeof at) != 0) { perror("floor: bind"); return 1; }
  int granted;
  socklen_t gl = sizeof granted;
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &gl);
  fprintf(stderr, "floor: receiving on 127.0.0.1:%d, SO_RCVBUF asked %d, kernel reports %d\n", port, rcvbuf, granted);

  static unsigned char buf[BATCH][SLOT];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = buf[i];
    iov[i].iov_len = SLOT;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  if (hold_ms > 0) {
    struct timespec h = {.tv_sec = hold_ms / 1000, .tv_nsec = (long)(hold_ms % 1000) * 1000000};
    nanosleep(&h, NULL);
  }
  time_t last = time(NULL);
  while (!stop) {
    int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
    for (int i = 0; i < n; i++) count(buf[i], (int)msgs[i].msg_len);
    time_t t = time(NULL);
    if (t != last) { write_status(status); last = t; }
    if (n < 0 && errno != EAGAIN && errno != EINTR) { perror("floor: recvmmsg"); break; }
  }
  write_status(status);
  return 0;
}
