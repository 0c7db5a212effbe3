"""Flows: live chat handover, call requests, callbacks, panic and safeguarding
alerts, family concerns (tables and guarantees in docs/flows.md).

Errors: :class:`veteran.NotFoundError` (unknown id),
:class:`veteran.ConflictError` (lost a race: already claimed / taken),
:class:`veteran.StateError` (not allowed from the current state, or for the
role; the message names both), :class:`veteran.InvalidArgumentError`.
Nothing is changed when an error is raised.

Times are milliseconds since the epoch; ``now=None`` uses the system clock.
"""

from __future__ import annotations

from typing import Optional

from . import _veteran
from .store import Store

ROLES = ("user", "peer", "counsellor", "supervisor", "admin")


class Service:
    """Applies events to flows over a :class:`veteran.store.Store`.

    ``keys`` (a :class:`veteran.pii.KeyRing`) encrypts phone numbers,
    message text and concern details before they are stored.
    """

    __slots__ = ("_native", "store")

    def __init__(self, store: Store, keys=None):
        self.store = store
        self._native = _veteran._FlowService(store._native,
                                             keys._native if keys is not None else None)

    def request_chat(self, user: str, preferred: str = "any", alert: str = "",
                     now: Optional[int] = None) -> str:
        """Creates and offers a chat request; returns its id (also the room id)."""
        return self._native.request_chat(user, preferred, alert, now)

    def request_call(self, user: str, preferred: str = "any", alert: str = "",
                     now: Optional[int] = None) -> str:
        return self._native.request_call(user, preferred, alert, now)

    def create_callback(self, phone: str, urgent: bool = False, alert: str = "",
                        actor: str = "anonymous", role: str = "user",
                        now: Optional[int] = None) -> str:
        return self._native.create_callback(phone, urgent, alert, actor, role, now)

    def raise_alert(self, kind: str, level: str, session: str = "",
                    actor: Optional[str] = None, role: Optional[str] = None,
                    now: Optional[int] = None) -> str:
        """kind "safeguarding" or "panic"; without ``actor`` the host raises it."""
        return self._native.raise_alert(kind, level, session, actor, role, now)

    def create_concern(self, user: str, details: str, now: Optional[int] = None) -> str:
        return self._native.create_concern(user, details, now)

    def fire(self, entity_id: str, event: str, actor: str, role: str,
             now: Optional[int] = None) -> dict:
        """Applies ``event`` (claim, take, release, complete, cancel, ack, resolve,
        end, ...); returns {id, kind, event, from, to, created}."""
        return self._native.fire(entity_id, event, actor, role, now)

    def post_message(self, chat: str, actor: str, role: str, text: str,
                     now: Optional[int] = None) -> dict:
        return self._native.post_message(chat, actor, role, text, now)

    def read_messages(self, chat: str, actor: str, role: str) -> list:
        return self._native.read_messages(chat, actor, role)

    def feed(self, session: str, assessment: dict, now: Optional[int] = None) -> dict:
        """Triage handoff for one assessed turn (a dict from
        :func:`veteran.assess`): raises or updates the session's safeguarding
        alert. Returns {alert_id, raised, updated, level, third_party}."""
        return self._native.feed(session, assessment.get("level", "high"),
                                 bool(assessment.get("error")),
                                 bool(assessment.get("concern_for_other")),
                                 assessment.get("other_level", "none"), now)

    def due(self, now: int, limit: int = 1000) -> list:
        """Applies every deadline at or before ``now``; returns the transitions."""
        return self._native.due(now, limit)
