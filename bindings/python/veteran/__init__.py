"""veteran — crisis triage, PII protection, signalling and flows for apps
supporting UK armed-forces veterans.

The compiled core lives in the private module ``veteran._veteran``; this
package is the public surface. Every function returns plain Python objects
(dicts, lists, str, bytes) that the caller owns.
"""

from __future__ import annotations

from . import _veteran, pii
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
    StateError,
    TamperedError,
    UnknownKeyError,
    VeteranError,
    WrongKeyError,
)

__version__: str = _veteran.__version__


def version() -> str:
    """Version of the linked compiled library (equals ``__version__``)."""
    return _veteran.version()


def global_init() -> None:
    """Initialise libsodium and libcurl. Optional; idempotent; thread-safe."""
    _veteran.global_init()


__all__ = [
    "__version__",
    "version",
    "global_init",
    "pii",
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
    "InternalError",
]
