"""The durable store flows run on (docs/flows.md).

:class:`Store` opens a SQLite store (a file, or ``":memory:"``): WAL mode,
``sync="normal"`` (survives process crashes) or ``"full"`` (also power loss),
schema migrations; a database from a newer schema is refused
(:class:`veteran.ParseError`, code ``unsupported_version``), a corrupt or
foreign file raises :class:`veteran.IOError_`.

Thread safety: a Store may be shared by threads (calls are serialised and
release the GIL); several processes may open the same file.
"""

from __future__ import annotations

from typing import Optional

from . import _veteran


class Store:
    """One store. Every method returns plain dicts and lists."""

    __slots__ = ("_native",)

    def __init__(self, path: str = ":memory:", *, sync: str = "normal",
                 read_only: bool = False, create: bool = True,
                 busy_timeout_ms: int = 10000):
        self._native = _veteran._Store(path, sync, read_only, create, busy_timeout_ms)

    def get(self, entity_id: str) -> Optional[dict]:
        """The entity (id, kind, state, version, link, timer), or None."""
        return self._native.get(entity_id)

    def audit(self, after: int = 0, limit: int = 100000, entity: str = "") -> list:
        """Audit records (who, role, event, from, to, when; never PII)."""
        return self._native.audit(after, limit, entity)

    def outbox(self, after: int = 0, limit: int = 100000) -> list:
        """Outbox notifications in order."""
        return self._native.outbox(after, limit)

    def check(self) -> dict:
        """Verifies the invariants; ``ok`` is False with ``violations`` listed."""
        return self._native.check()
