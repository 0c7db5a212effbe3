"""veteran.notify: sign/verify and deliver_once against a local HTTP server."""

import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import veteran
from veteran import flow, notify
from veteran.store import Store

SECRET = b"py-secret"


def test_sign_is_documented_hmac_and_verifies():
    h = notify.sign(SECRET, b'{"a":1}', timestamp=1_700_000_000)
    t, v1 = h.split(",")
    assert t == "t=1700000000"
    want = hmac.new(SECRET, b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert v1 == "v1=" + want
    notify.verify(h, b'{"a":1}', SECRET, now=1_700_000_100)


def test_verify_reasons_are_distinct_exceptions():
    h = notify.sign(SECRET, b"body", timestamp=1000)
    with pytest.raises(veteran.SignatureMismatchError):
        notify.verify(h, b"bodY", SECRET, now=1000)
    with pytest.raises(veteran.SignatureMismatchError):
        notify.verify(h, b"body", b"other", now=1000)
    with pytest.raises(veteran.SignatureExpiredError):
        notify.verify(h, b"body", SECRET, now=1000 + 301)
    with pytest.raises(veteran.SignatureMalformedError) as e:
        notify.verify("t=1000", b"body", SECRET, now=1000)
    assert isinstance(e.value, veteran.SignatureError)
    assert "py-secret" not in str(e.value)
    notify.verify(h, b"body", b"new", previous_secret=SECRET, now=1000)


def test_deliver_once_posts_signed_json_once(tmp_path):
    got = []

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((self.headers["Veteran-Delivery"], self.headers["Veteran-Signature"],
                        body))
            self.send_response(204)
            self.end_headers()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        store = Store(str(tmp_path / "n.db"))
        flow.Service(store).request_chat("u1")
        n = len(store.outbox())
        url = f"http://127.0.0.1:{srv.server_address[1]}/"
        s = notify.deliver_once(store, url, SECRET)
        assert s["delivered"] == n and s["attempted"] == n
        assert notify.deliver_once(store, url, SECRET)["attempted"] == 0
        assert len(got) == n
        for _, sig, body in got:
            notify.verify(sig, body, SECRET)
        assert notify.deliveries(store, "delivered")[0]["status"] == "delivered"
        with pytest.raises(veteran.InvalidArgumentError):
            notify.deliver_once(store, "ftp://x", SECRET)
    finally:
        srv.shutdown()
        srv.server_close()
