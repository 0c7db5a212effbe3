"""Delivery rate of the outbox dispatcher to a local webhook (issue 12).

Creates N outbox items in a fresh store, starts a threaded HTTP server on
127.0.0.1 that answers 204 at once, and times notify.deliver_once (one
dispatcher: lease in batches of 10, one signed POST per item over a reused
connection, one store transaction per outcome). Prints items/s for a few
rounds; the server is Python's http.server, so the figure is a floor for the
dispatcher, not a ceiling.

Usage: PYTHONPATH=build/python python3 benchmarks/bench_notify.py [N] [ROUNDS]
"""

import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from veteran import flow, notify
from veteran.store import Store


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the dispatcher reuses its connection

    def log_message(self, *a):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/hook"
    rates = []
    for r in range(rounds):
        with tempfile.TemporaryDirectory() as d:
            store = Store(f"{d}/bench.db")
            svc = flow.Service(store)
            while len(store.outbox()) < n:
                svc.request_chat(f"u{len(store.outbox())}")
            items = len(store.outbox())
            t0 = time.perf_counter()
            s = notify.deliver_once(store, url, b"bench-secret")
            dt = time.perf_counter() - t0
            assert s["delivered"] == items, s
            rates.append(items / dt)
            print(f"round {r + 1}: {items} items in {dt:.3f} s = {items / dt:.0f} items/s")
    rates.sort()
    print(f"median: {rates[len(rates) // 2]:.0f} items/s (sync=normal, 1 dispatcher)")
    srv.shutdown()


if __name__ == "__main__":
    main()
