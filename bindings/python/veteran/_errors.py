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


class SignatureError(VeteranError, ValueError):
    """A webhook signature was refused (base of the three reasons)."""


class SignatureMalformedError(SignatureError):
    """The Veteran-Signature header is not t=<seconds>,v1=<64 hex>."""


class SignatureMismatchError(SignatureError):
    """Wrong secret or tampered body."""


class SignatureExpiredError(SignatureError):
    """The timestamp is outside the replay window."""


class InternalError(VeteranError):
    """A bug or unexpected failure inside the SDK."""


# The class of each code, by the code's stable name. The numbers and names
# themselves come from the compiled library (one table: veteran/error_table.h);
# a code missing here is a test failure, and falls back to InternalError.
CLASS_FOR_NAME: dict[str, type[VeteranError]] = {
    "invalid_argument": InvalidArgumentError,
    "limit_exceeded": InvalidArgumentError,
    "parse_error": ParseError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "io_error": IOError_,
    "database_error": IOError_,
    "network_error": IOError_,
    "internal": InternalError,
    "out_of_memory": InternalError,
    "not_initialized": InternalError,
    "unsupported_version": ParseError,
    "invalid_utf8": InvalidArgumentError,
    "permission_denied": StateError,
    "invalid_state": StateError,
    "timeout": IOError_,
    "buffer_too_small": InvalidArgumentError,
    "pack_invalid": PackError,
    "key_missing": KeyMissingError,
    "key_unknown": UnknownKeyError,
    "key_wrong": WrongKeyError,
    "ciphertext_tampered": TamperedError,
    "envelope_malformed": EnvelopeError,
    "context_mismatch": ContextMismatchError,
    "crypto_failure": CryptoError,
    "signal_invalid": ParseError,
    "signature_malformed": SignatureMalformedError,
    "signature_mismatch": SignatureMismatchError,
    "signature_expired": SignatureExpiredError,
}


def error_for_code(code: int, message: str) -> VeteranError:
    """Builds the exception instance for an SDK error code."""
    from . import _veteran  # imported late: _veteran imports this module

    name = _veteran.errc_name(code)
    cls = CLASS_FOR_NAME.get(name, InternalError)
    return cls(message, code, None if name == "unknown" else name)
