"""Signed webhooks (docs/notify.md).

``sign(secret, body)`` returns the ``Veteran-Signature`` header value
``t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<body>">``; ``verify(...)``
checks one in constant time within a replay window (default 300 s), accepting
a previous secret during a rotation, and raises
:class:`veteran.SignatureMalformedError`, :class:`veteran.SignatureExpiredError`
or :class:`veteran.SignatureMismatchError` (all :class:`veteran.SignatureError`).
``deliver_once(store, url, secret)`` attempts every outbox item due now.

Secrets are ``bytes`` and never appear in exceptions. Thread-safe; the GIL is
released while delivering.
"""

from __future__ import annotations

import time
from typing import Optional

from . import _veteran
from .store import Store

DEFAULT_TOLERANCE_S = 300


def _bytes(x, name: str) -> bytes:
    if isinstance(x, str):
        return x.encode("utf-8")
    if isinstance(x, (bytes, bytearray, memoryview)):
        return bytes(x)
    raise TypeError(f"{name}: expected bytes or str")


def sign(secret: bytes, body: bytes, *, timestamp: Optional[int] = None) -> str:
    """The header value for ``body`` signed now (or at ``timestamp``)."""
    t = int(time.time()) if timestamp is None else int(timestamp)
    return _veteran._webhook_sign(_bytes(secret, "secret"), t, _bytes(body, "body"))


def verify(header: str, body: bytes, secret: bytes, *, previous_secret: bytes = b"",
           now: Optional[int] = None, tolerance: int = DEFAULT_TOLERANCE_S) -> None:
    """Returns None when valid; raises a SignatureError subclass otherwise."""
    n = int(time.time()) if now is None else int(now)
    _veteran._webhook_verify(header, _bytes(body, "body"), _bytes(secret, "secret"),
                             _bytes(previous_secret, "previous_secret"), n, tolerance)


def deliver_once(store: Store, url: str, secret: bytes, *, max_attempts: int = 16,
                 backoff_ms: int = 10000, backoff_cap_ms: int = 0,
                 timeout_ms: int = 15000, connect_timeout_ms: int = 5000) -> dict:
    """Attempts every outbox item due now, once each; returns counts
    (attempted, delivered, retrying, dead, lease_lost)."""
    return store._native.deliver_once(url, _bytes(secret, "secret"), max_attempts,
                                      backoff_ms, backoff_cap_ms, timeout_ms,
                                      connect_timeout_ms)


def deliveries(store: Store, status: str = "dead", limit: int = 100000) -> list:
    """Deliveries in ``status`` (pending, delivered or dead), oldest first."""
    return store._native.deliveries(status, limit)


__all__ = ["sign", "verify", "deliver_once", "deliveries", "DEFAULT_TOLERANCE_S"]
