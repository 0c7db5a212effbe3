"""Delivery (issue 12): `outbox deliver|dead|retry` against a real HTTP server
on 127.0.0.1 started by the test, and `webhook sign|verify`."""

import hashlib
import hmac
import json
import os
import signal
import shutil
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import CLI

SECRET = b"whsec-test-0123456789abcdef"


def ok(r):
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def verify(header, body, secret=SECRET, tolerance=300):
    """The receiver's check, as documented in the README."""
    parts = dict(p.split("=", 1) for p in header.split(","))
    t = int(parts["t"])
    if abs(time.time() - t) > tolerance:
        return False
    want = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, parts["v1"])


class Hook:
    """A webhook receiver. `script` maps the n-th request (0-based, over all
    deliveries) to (status, delay_s); past its end: (200, delay)."""

    def __init__(self, port=0, script=(), delay=0.0, answer=None, tls=None):
        self.script = list(script)
        self.delay = delay
        self.answer = answer  # (extra headers, body bytes) for every response
        self.requests = []  # (delivery id, body bytes, signature header, status)
        self.in_flight = {}
        self.max_in_flight_per_id = 0
        self.lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                did = self.headers.get("Veteran-Delivery")
                with hook.lock:
                    i = len(hook.requests)
                    status, delay = (hook.script[i] if i < len(hook.script)
                                     else (200, hook.delay))
                    hook.requests.append((did, body, self.headers.get("Veteran-Signature"),
                                          status))
                    hook.in_flight[did] = hook.in_flight.get(did, 0) + 1
                    hook.max_in_flight_per_id = max(hook.max_in_flight_per_id,
                                                    hook.in_flight[did])
                try:
                    time.sleep(delay)
                    headers, payload = hook.answer or ({}, b"ok")
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client timed out and hung up
                finally:
                    with hook.lock:
                        hook.in_flight[did] -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.port = self.server.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def delivered_ids(self):
        return [r[0] for r in self.requests if 200 <= r[3] < 300]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "notify.db")


@pytest.fixture
def secret_file(tmp_path):
    p = tmp_path / "secret"
    p.write_bytes(SECRET + b"\n")
    os.chmod(p, 0o600)
    return str(p)


@pytest.fixture
def hook():
    hooks = []

    def make(**kw):
        h = Hook(**kw)
        hooks.append(h)
        return h

    yield make
    for h in hooks:
        h.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_items(cli, db, n=1):
    for i in range(n):
        ok(cli("chat", "request", "--db", db, "--user", f"u{i}"))
    items = ok(cli("outbox", "list", "--db", db))["outbox"]
    assert items
    return items


def deliver(cli, db, url, secret_file, *extra):
    return ok(cli("outbox", "deliver", "--db", db, "--url", url, "--secret-file",
                  secret_file, "--once", "--backoff-ms", "1", *extra))


def attempts(db, seq):
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute(
            "SELECT outcome FROM delivery_attempts WHERE outbox_seq = ? ORDER BY id",
            (seq,))]
    finally:
        con.close()


def status(db):
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT outbox_seq, status FROM deliveries"))
    finally:
        con.close()


def test_delivered_exactly_once_with_a_valid_signature(cli, db, secret_file, hook):
    items = make_items(cli, db)
    h = hook()
    s = deliver(cli, db, h.url, secret_file)
    assert s["delivered"] == len(items) and s["retrying"] == 0
    assert sorted(h.delivered_ids()) == sorted(str(i["seq"]) for i in items)
    for did, body, sig, _ in h.requests:
        assert verify(sig, body)
        doc = json.loads(body)
        assert str(doc["delivery"]) == did
        item = next(i for i in items if str(i["seq"]) == did)
        assert doc["topic"] == item["topic"] and doc["payload"] == item["payload"]
        # and the CLI's own verifier agrees
        r = cli("webhook", "verify", "--secret-file", secret_file, "--header", sig,
                input=body.decode())
        assert r.returncode == 0, r.stderr
    # a second run sends nothing: delivered items are done
    assert deliver(cli, db, h.url, secret_file)["attempted"] == 0
    assert len(h.requests) == len(items)


def test_500_then_200_is_retried_and_delivered_once(cli, db, secret_file, hook):
    make_items(cli, db)
    first = ok(cli("outbox", "list", "--db", db))["outbox"][0]["seq"]
    n = len(ok(cli("outbox", "list", "--db", db))["outbox"])
    h = hook(script=[(500, 0)] * n)
    s1 = deliver(cli, db, h.url, secret_file)
    assert s1["retrying"] == n and s1["delivered"] == 0
    time.sleep(0.05)
    s2 = deliver(cli, db, h.url, secret_file)
    assert s2["delivered"] == n
    ids = [r[0] for r in h.requests]
    assert ids.count(str(first)) == 2  # same Veteran-Delivery on the retry
    assert h.delivered_ids().count(str(first)) == 1
    assert attempts(db, first) == ["http_status", "delivered"]


def test_server_down_then_up_delivers_after_it_comes_back(cli, db, secret_file, hook):
    items = make_items(cli, db)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    for _ in range(3):
        s = deliver(cli, db, url, secret_file)
        assert s["retrying"] == len(items)
        time.sleep(0.02)
    h = hook(port=port)
    assert deliver(cli, db, url, secret_file)["delivered"] == len(items)
    seq = items[0]["seq"]
    assert attempts(db, seq) == ["connect_failed"] * 3 + ["delivered"]
    assert h.delivered_ids().count(str(seq)) == 1


def test_never_up_is_dead_lettered_audited_and_escalated(cli, db, secret_file):
    items = make_items(cli, db)
    url = f"http://127.0.0.1:{free_port()}/hook"
    for i in range(3):
        s = deliver(cli, db, url, secret_file, "--max-attempts", "3")
        time.sleep(0.02)
    assert s["dead"] == len(items)
    dead = ok(cli("outbox", "dead", "--db", db))["dead"]
    assert sorted(d["seq"] for d in dead) == sorted(i["seq"] for i in items)
    assert all(d["attempts"] == 3 and d["last_error"] for d in dead)
    audit = ok(cli("audit", "--db", db))["audit"]
    dl = [a for a in audit if a["event"] == "dead_letter"]
    assert len(dl) == len(items) and all(a["kind"] == "delivery" for a in dl)
    outbox = ok(cli("outbox", "list", "--db", db))["outbox"]
    esc = [o for o in outbox if o["topic"] == "delivery.dead_lettered"]
    assert sorted(e["payload"]["outbox_seq"] for e in esc) == sorted(i["seq"] for i in items)
    assert all(e["audience"] == "supervisor,admin" for e in esc)
    assert ok(cli("store", "check", "--db", db))["ok"]
    # the escalation itself is pending delivery
    st = status(db)
    assert all(st[e["seq"]] == "pending" for e in esc)


def test_retry_makes_a_dead_item_pending_again(cli, db, secret_file, hook):
    items = make_items(cli, db)
    seq = items[0]["seq"]
    url = f"http://127.0.0.1:{free_port()}/hook"
    deliver(cli, db, url, secret_file, "--max-attempts", "1")
    assert status(db)[seq] == "dead"
    r = cli("outbox", "retry", str(seq + 1000), "--db", db)
    assert r.returncode == 4 and "no outbox item" in r.stderr
    ok(cli("outbox", "retry", str(seq), "--db", db))
    r = cli("outbox", "retry", str(seq), "--db", db)  # not dead any more
    assert r.returncode == 1 and "not dead" in r.stderr
    h = hook()
    deliver(cli, db, h.url, secret_file)
    assert status(db)[seq] == "delivered"


def test_slow_server_times_out_then_retry_delivers(cli, db, secret_file, hook):
    items = make_items(cli, db)
    h = hook(script=[(200, 1.5)])  # the first request hangs past the timeout
    s = deliver(cli, db, h.url, secret_file, "--timeout-ms", "300")
    assert s["attempted"] == len(items)
    seq = int(h.requests[0][0])
    assert attempts(db, seq)[0] == "timeout"
    time.sleep(0.05)
    deliver(cli, db, h.url, secret_file, "--timeout-ms", "300")
    assert attempts(db, seq) == ["timeout", "delivered"]
    assert status(db)[seq] == "delivered"


def test_two_dispatchers_racing_never_send_an_item_twice(cli, db, secret_file, hook):
    items = make_items(cli, db, n=8)
    h = hook(delay=0.03)
    cmd = [CLI, "outbox", "deliver", "--db", db, "--url", h.url, "--secret-file",
           secret_file, "--once", "--backoff-ms", "1"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    sums = [json.loads(o[0]) for o in outs]
    assert sum(s["delivered"] for s in sums) == len(items)
    ids = [r[0] for r in h.requests]
    assert sorted(ids) == sorted(str(i["seq"]) for i in items)  # each exactly once
    assert h.max_in_flight_per_id == 1


def test_loop_stops_on_sigterm_and_a_restart_continues(cli, db, secret_file, hook):
    items = make_items(cli, db)
    seq = items[0]["seq"]
    h = hook(script=[(503, 0)] * 1000)
    p = subprocess.Popen([CLI, "outbox", "deliver", "--db", db, "--url", h.url,
                          "--secret-file", secret_file, "--loop", "--backoff-ms", "1",
                          "--poll-ms", "20"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 10
    while len(attempts(db, seq)) < 2 and time.time() < deadline:
        time.sleep(0.02)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=10)
    assert p.returncode == 0, err
    assert json.loads(out)["stopped"] == "signal"
    before = attempts(db, seq)
    assert len(before) >= 2 and set(before) == {"http_status"}
    assert status(db)[seq] == "pending"
    # a new process picks up where the old one stopped
    h2 = hook()
    time.sleep(0.05)
    deliver(cli, db, h2.url, secret_file)
    assert attempts(db, seq) == before + ["delivered"]
    con = sqlite3.connect(db)
    n = con.execute("SELECT MAX(attempt) FROM delivery_attempts WHERE outbox_seq = ?",
                    (seq,)).fetchone()[0]
    con.close()
    assert n == len(before) + 1


def test_redirects_are_not_followed(cli, db, secret_file, hook):
    items = make_items(cli, db)
    target = hook()
    h = hook(script=[(302, 0)] * len(items),
             answer=({"Location": target.url}, b""))
    s = deliver(cli, db, h.url, secret_file)
    assert s["retrying"] == len(items) and s["delivered"] == 0
    assert target.requests == []
    con = sqlite3.connect(db)
    row = con.execute("SELECT outcome, http_status, detail FROM delivery_attempts "
                      "ORDER BY id LIMIT 1").fetchone()
    con.close()
    assert row[0] == "http_status" and row[1] == 302 and "not followed" in row[2]


def test_an_oversized_response_fails_the_attempt(cli, db, secret_file, hook):
    items = make_items(cli, db)
    h = hook(answer=({}, b"x" * (256 * 1024)))
    s = deliver(cli, db, h.url, secret_file)
    assert s["delivered"] == 0 and s["retrying"] == len(items)
    assert set(attempts(db, items[0]["seq"])) == {"response_too_large"}


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a cert")
def test_tls_verification_is_on(cli, db, secret_file, hook, tmp_path):
    key, cert = str(tmp_path / "k.pem"), str(tmp_path / "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True)
    items = make_items(cli, db)
    h = hook(tls=(cert, key))
    s = deliver(cli, db, h.url, secret_file)
    assert s["delivered"] == 0 and s["retrying"] == len(items)
    assert h.requests == []  # the self-signed server never saw the body
    assert set(attempts(db, items[0]["seq"])) == {"network_error"}


def test_deliver_bad_arguments_change_nothing(cli, db, secret_file, tmp_path):
    make_items(cli, db)
    before = status(db)
    r = cli("outbox", "deliver", "--db", db, "--url", "ftp://x", "--secret-file",
            secret_file, "--once")
    assert r.returncode == 1 and "urls[0]" in r.stderr
    r = cli("outbox", "deliver", "--db", db, "--url", "http://127.0.0.1:1/",
            "--secret-file", secret_file)
    assert r.returncode == 2 and "--once or --loop" in r.stderr
    r = cli("outbox", "deliver", "--db", db, "--url", "http://127.0.0.1:1/",
            "--secret-file", secret_file, "--once", "--max-attempts", "0")
    assert r.returncode == 2 and "--max-attempts" in r.stderr
    shared = tmp_path / "shared-secret"
    shared.write_bytes(SECRET)
    os.chmod(shared, 0o644)
    r = cli("outbox", "deliver", "--db", db, "--url", "http://127.0.0.1:1/",
            "--secret-file", str(shared), "--once")
    assert r.returncode == 1 and "permission_denied" in r.stderr
    assert status(db) == before
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM delivery_attempts").fetchone()[0] == 0
    con.close()


# ---- webhook sign / verify ---------------------------------------------------

def sign(cli, secret_file, body, now=None):
    args = ["webhook", "sign", "--secret-file", secret_file]
    if now is not None:
        args += ["--now", str(now)]
    r = cli(*args, input=body)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_sign_matches_the_documented_python_check(cli, secret_file):
    h = sign(cli, secret_file, '{"a":1}')
    assert verify(h, b'{"a":1}')
    assert SECRET.decode() not in h


def test_verifier_rejects_tampered_wrong_secret_old_and_malformed(cli, secret_file,
                                                                  tmp_path):
    body = '{"alert":"a-1"}'
    h = sign(cli, secret_file, body)

    def check(header, b=body, sf=secret_file, *extra):
        return cli("webhook", "verify", "--secret-file", sf, "--header", header, *extra,
                   input=b)

    assert check(h).returncode == 0
    r = check(h, '{"alert":"a-2"}')
    assert r.returncode == 1 and "signature_mismatch" in r.stderr
    other = tmp_path / "other"
    other.write_bytes(b"another-secret")
    os.chmod(other, 0o600)
    r = check(h, body, str(other))
    assert r.returncode == 1 and "signature_mismatch" in r.stderr
    # Verify at a fixed --now: under a sanitizer a CLI run takes seconds, so
    # "301 s from the wall clock" would drift inside the window.
    base = int(time.time())
    old = sign(cli, secret_file, body, now=base - 301)
    r = check(old, body, secret_file, "--now", str(base))
    assert r.returncode == 1 and "signature_expired" in r.stderr
    future = sign(cli, secret_file, body, now=base + 301)
    r = check(future, body, secret_file, "--now", str(base))
    assert r.returncode == 1 and "signature_expired" in r.stderr
    inside = sign(cli, secret_file, body, now=base + 299)
    assert check(inside, body, secret_file, "--now", str(base)).returncode == 0
    for bad in ["", "v1=00,t=1", h.replace("t=", "T="), h + ",v1=" + "0" * 64,
                h.upper(), h[:-1], " " + h]:
        r = check(bad)
        assert r.returncode == 1 and "signature_malformed" in r.stderr, bad
    for out in (r.stdout, r.stderr):
        assert SECRET.decode() not in out


def test_verifier_accepts_either_secret_during_rotation(cli, secret_file, tmp_path):
    new = tmp_path / "new"
    new.write_bytes(b"the-new-secret")
    os.chmod(new, 0o600)
    body = "{}"
    signed_old = sign(cli, secret_file, body)
    signed_new = sign(cli, str(new), body)
    for h in (signed_old, signed_new):
        r = cli("webhook", "verify", "--secret-file", str(new), "--previous-secret-file",
                secret_file, "--header", h, input=body)
        assert r.returncode == 0, r.stderr
    r = cli("webhook", "verify", "--secret-file", str(new), "--header", signed_old,
            input=body)
    assert r.returncode == 1
