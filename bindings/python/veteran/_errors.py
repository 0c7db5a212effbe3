"""Exception classes for the veteran SDK.

Every error the SDK raises is a :class:`VeteranError`; the subclass tells the
kind. ``code`` is the SDK's pinned error number (the C API returns its
negative) and ``code_name`` its stable name. Messages never contain the value
that was rejected, only which field or limit was at fault.
"""

from __future__ import annotations


class VeteranError(Exception):
    """Base class of every error raised by the veteran SDK."""

    code: int = 9
    code_name: str = "internal"

    def __init__(self, message: str, code: int | None = None, code_name: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code
        if code_name is not None:
            self.code_name = code_name


class InvalidArgumentError(VeteranError, ValueError):
    """An argument or input field is not acceptable (includes limits, UTF-8)."""


class ParseError(VeteranError, ValueError):
    """Malformed input: JSON, base64, envelope text, signalling message."""


class NotFoundError(VeteranError, LookupError):
    """A named record, key or file does not exist."""


class ConflictError(VeteranError):
    """Lost a race: already claimed, or changed since it was read."""


class StateError(VeteranError):
    """The operation is not allowed in the current state, or for this role."""


class IOError_(VeteranError, OSError):
    """File system, database or network failure."""


class PackError(VeteranError, ValueError):
    """A phrase pack failed validation; the message names the entry."""


class CryptoError(VeteranError):
    """Encryption or decryption refused (fails closed; never returns plaintext)."""


class KeyMissingError(CryptoError):
    """No key material available."""


class UnknownKeyError(CryptoError):
    """The envelope names a key id that is not in the key ring."""


class WrongKeyError(CryptoError):
    """The key id is known but the key does not match."""


class TamperedError(CryptoError):
    """The ciphertext failed authentication."""


class EnvelopeError(CryptoError, ValueError):
    """The text is not a well-formed (or is a truncated) envelope."""


class ContextMismatchError(CryptoError):
    """The ciphertext belongs to another table, field or record."""


class InternalError(VeteranError):
    """A bug or unexpected failure inside the SDK."""


# Pinned code -> (name, class). Mirrors include/veteran/error.hpp.
_CODES: dict[int, tuple[str, type[VeteranError]]] = {
    1: ("invalid_argument", InvalidArgumentError),
    2: ("limit_exceeded", InvalidArgumentError),
    3: ("parse_error", ParseError),
    4: ("not_found", NotFoundError),
    5: ("conflict", ConflictError),
    6: ("io_error", IOError_),
    7: ("database_error", IOError_),
    8: ("network_error", IOError_),
    9: ("internal", InternalError),
    10: ("out_of_memory", InternalError),
    11: ("not_initialized", InternalError),
    12: ("unsupported_version", ParseError),
    13: ("invalid_utf8", InvalidArgumentError),
    14: ("permission_denied", StateError),
    15: ("invalid_state", StateError),
    16: ("timeout", IOError_),
    17: ("buffer_too_small", InvalidArgumentError),
    20: ("pack_invalid", PackError),
    30: ("key_missing", KeyMissingError),
    31: ("key_unknown", UnknownKeyError),
    32: ("key_wrong", WrongKeyError),
    33: ("ciphertext_tampered", TamperedError),
    34: ("envelope_malformed", EnvelopeError),
    35: ("context_mismatch", ContextMismatchError),
    36: ("crypto_failure", CryptoError),
    40: ("signal_invalid", ParseError),
}


def error_for_code(code: int, message: str) -> VeteranError:
    """Builds the exception instance for an SDK error code."""
    name, cls = _CODES.get(code, ("internal", InternalError))
    return cls(message, code, name)
