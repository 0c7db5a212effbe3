"""Signalling: the strict envelope codec and the relay (docs/signal.md).

Messages are plain dicts in the wire format. :func:`decode` and
:func:`canonical` refuse anything the strict codec refuses with
:class:`veteran.ParseError` whose ``field`` names the member (``"body.sdp"``)
and whose message never quotes the value.

:class:`Relay` decides, for a sender the host authenticated, whether a message
is allowed and who receives it; it never trusts ``from``. Each step returns a
dict ``{"deliveries": [{"to", "msg"}], "rejection": None | {"to", "msg"},
"issued": [{"kind", "id"}]}``. A refused message is not an exception: it is
the ``rejection`` (an ``error`` envelope for the sender naming the code).

Thread safety: the codec functions are stateless. A :class:`Relay` is not
thread-safe; serialise its use (one lock per relay).
"""

from __future__ import annotations

import json
from typing import Any, Optional, Union

from . import _veteran
from ._errors import error_for_code

ROLES = ("user", "peer", "counsellor", "supervisor", "admin")

_SIGNAL_INVALID = next(n for n, name, _ in _veteran.error_codes() if name == "signal_invalid")

Message = Union[str, bytes, dict]


def _text(msg: Message) -> str:
    if isinstance(msg, dict):
        return json.dumps(msg, ensure_ascii=False, separators=(",", ":"))
    if isinstance(msg, (bytes, bytearray)):
        return bytes(msg).decode("utf-8")
    if isinstance(msg, str):
        return msg
    raise TypeError("a message is a dict or its JSON text")


def canonical(msg: Message) -> str:
    """The canonical JSON text of one envelope (raises ParseError with .field)."""
    ok, text, field = _veteran.signal_canonical(_text(msg))
    if not ok:
        err = error_for_code(_SIGNAL_INVALID, text)
        err.field = field  # type: ignore[attr-defined]
        raise err
    return text


def decode(msg: Message) -> dict:
    """Decodes and validates one envelope strictly; returns it as a dict in
    canonical form (raises ParseError with .field)."""
    return json.loads(canonical(msg))


def encode(msg: dict) -> str:
    """Canonical JSON text of a message dict (validated as decode() would)."""
    return canonical(msg)


class Relay:
    """A relay with its own in-memory state (see the module docstring)."""

    def __init__(self, ring_timeout_ms: int = 30000, reconnect_grace_ms: int = 10000) -> None:
        self._relay = _veteran._Relay(ring_timeout_ms, reconnect_grace_ms)

    def connect(self, peer_id: str, role: str, now: int) -> dict:
        """The host authenticated ``peer_id`` with ``role`` on a new socket."""
        return json.loads(self._relay.connect(peer_id, role, now))

    def disconnect(self, peer_id: str, now: int) -> dict:
        """The peer's socket closed; its calls survive the reconnect grace."""
        return json.loads(self._relay.disconnect(peer_id, now))

    def handle(self, peer_id: str, role: str, msg: Message, now: int) -> dict:
        """One envelope from the authenticated peer."""
        return json.loads(self._relay.handle(peer_id, role, _text(msg), now))

    def resume(self, peer_id: str, role: str, room_id: str, last_seen_id: str,
               now: int) -> dict:
        """Room messages after ``last_seen_id`` ("" for all) for a member."""
        return json.loads(self._relay.resume(peer_id, role, room_id, last_seen_id, now))

    def due(self, now: int) -> dict:
        """Runs the timers due at ``now``."""
        return json.loads(self._relay.due(now))

    def next_due(self) -> Optional[int]:
        """When the next timer is due, or None."""
        return self._relay.next_due()


__all__ = ["ROLES", "Relay", "canonical", "decode", "encode"]
