#!/usr/bin/env python3
"""Stand-in for the daemon, for selftest.sh only: serves a static Prometheus text file at
/metrics and "ok" at /healthz on a free loopback port, and prints that port on stdout."""
import http.server
import sys


def main(metrics_path):
    with open(metrics_path, "rb") as f:
        body = f.read()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            routes = {"/metrics": (body, "text/plain; version=0.0.4; charset=utf-8"),
                      "/healthz": (b"ok\n", "text/plain")}
            if self.path not in routes:
                self.send_error(404)
                return
            content, content_type = routes[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
