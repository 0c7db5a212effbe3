"""veteran — crisis triage, PII protection, signalling and flows for apps
supporting UK armed-forces veterans.

The compiled core lives in the private module ``veteran._veteran``; this
package is the public surface. Every function returns plain Python objects
(dicts, lists, str, bytes) that the caller owns.
"""

from __future__ import annotations

from . import _veteran, flow, notify, pii, signal, store
from ._errors import (
    ConflictError,
    ContextMismatchError,
    CryptoError,
    EnvelopeError,
    InternalError,
    InvalidArgumentError,
    IOError_,
    KeyMissingError,
    NotFoundError,
    PackError,
    ParseError,
    SignatureError,
    SignatureExpiredError,
    SignatureMalformedError,
    SignatureMismatchError,
    StateError,
    TamperedError,
    UnknownKeyError,
    VeteranError,
    WrongKeyError,
)

__version__: str = _veteran.__version__

Engine = _veteran.Engine
Session = _veteran.Session
Batch = _veteran.Batch

_default_engine: "Engine | None" = None


def _engine() -> "Engine":
    global _default_engine
    if _default_engine is None:
        _default_engine = Engine()
    return _default_engine


def assess(text: str, session: "Session | None" = None) -> dict:
    """Assesses one message with the shipped en-GB pack (GB resources).

    With a ``Session``, the message is the next turn of that conversation and
    trajectory rules apply. Returns a plain dict (see docs/triage.md). Never
    raises for any text: an internal failure gives level "high" with "error"
    set.
    """
    return _engine().assess(text, session)


def resources(country: str = "GB") -> list:
    """Crisis resources for a country ("UK" is accepted for "GB")."""
    return _veteran.resources(country)


def ai_disclaimer() -> str:
    """The text a host must show before AI chat starts."""
    return _veteran.ai_disclaimer()


def pack_check(pack: str) -> dict:
    """Validates a phrase pack (file path or JSON text); returns its counts.

    Raises PackError naming the offending entry.
    """
    return _veteran.pack_check(pack)


def version() -> str:
    """Version of the linked compiled library (equals ``__version__``)."""
    return _veteran.version()


def global_init() -> None:
    """Initialise libsodium and libcurl. Optional; idempotent; thread-safe."""
    _veteran.global_init()


__all__ = [
    "__version__",
    "assess",
    "Engine",
    "Session",
    "Batch",
    "resources",
    "ai_disclaimer",
    "pack_check",
    "version",
    "global_init",
    "pii",
    "notify",
    "VeteranError",
    "InvalidArgumentError",
    "ParseError",
    "NotFoundError",
    "ConflictError",
    "StateError",
    "IOError_",
    "PackError",
    "CryptoError",
    "KeyMissingError",
    "UnknownKeyError",
    "WrongKeyError",
    "TamperedError",
    "EnvelopeError",
    "ContextMismatchError",
    "SignatureError",
    "SignatureMalformedError",
    "SignatureMismatchError",
    "SignatureExpiredError",
    "InternalError",
]
