"""PII protection: key ring, fail-closed field encryption, blind indexes,
redaction and phone numbers (formats in docs/pii.md).

Every failure raises a :class:`veteran.VeteranError` subclass — never returns
plaintext or a placeholder: :class:`veteran.KeyMissingError`,
:class:`veteran.UnknownKeyError`, :class:`veteran.WrongKeyError`,
:class:`veteran.TamperedError`, :class:`veteran.EnvelopeError`,
:class:`veteran.ContextMismatchError`, :class:`veteran.InvalidArgumentError`.
Messages name the field, never the value.

Thread safety: a :class:`KeyRing` may be shared between threads for every
function here; only :meth:`KeyRing.rotate` / :meth:`KeyRing.set_active`
need exclusive use. ``redact_many`` and ``encrypt_many`` release the GIL.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional, Union

from . import _veteran
from ._errors import error_for_code

STRING, BYTES, JSON = 1, 2, 3
INDEX_KINDS = ("exact", "phone", "email", "name")

Value = Union[str, bytes, bytearray, Any]


class KeyRing:
    """Master keys with ids, one active. Key bytes stay inside the library in
    locked memory and are wiped when the ring is garbage-collected; ``repr``
    shows ``<redacted>``."""

    __slots__ = ("_native",)

    def __init__(self, _native: "_veteran._KeyRing"):
        self._native = _native

    @classmethod
    def generate(cls, key_id: Optional[str] = None) -> "KeyRing":
        """A ring with one fresh random key (random id if ``key_id`` is None)."""
        return cls(_veteran._KeyRing.generate(key_id or ""))

    @classmethod
    def from_file(cls, path: str, passphrase: Optional[str] = None) -> "KeyRing":
        """Loads a key file (see docs/pii.md).

        A mistyped passphrase raises :class:`WrongKeyError` (the file stores a
        check value per passphrase key); the message names the key id only.
        """
        return cls(_veteran._KeyRing.from_file(str(path), passphrase or ""))

    @classmethod
    def from_env(cls, variable: str = "VETERAN_PII_KEYS") -> "KeyRing":
        """Reads ``id:base64key[,id:base64key...]`` or a bare base64 key."""
        return cls(_veteran._KeyRing.from_env(variable))

    @classmethod
    def from_passphrase(cls, key_id: str, passphrase: str,
                        salt: Optional[bytes] = None) -> "KeyRing":
        """Derives a key with Argon2id. ``salt`` defaults to a fresh random one;
        save() stores it so the key can be derived again."""
        if salt is None:
            salt = _veteran.pii_random_salt()
        return cls(_veteran._KeyRing.from_passphrase(key_id, passphrase, bytes(salt)))

    def rotate(self, key_id: Optional[str] = None) -> str:
        """Adds a fresh random key and makes it active; returns its id."""
        key_id = key_id or _veteran.pii_random_key_id()
        self._native.add_generated_key(key_id, True)
        return key_id

    def set_active(self, key_id: str) -> None:
        self._native.set_active(key_id)

    @property
    def active_id(self) -> str:
        return self._native.active_id

    @property
    def key_ids(self) -> list[str]:
        return list(self._native.key_ids)

    def save(self, path: str, overwrite: bool = False) -> None:
        """Writes the key file with mode 0600 (refuses to replace unless asked)."""
        self._native.save(str(path), overwrite)

    def __repr__(self) -> str:
        return f"<KeyRing {self._native!r}>"

    __str__ = __repr__


def _utf8(text: str, what: str) -> bytes:
    """UTF-8 of ``text``; a lone surrogate (half an emoji, as ``json.loads``
    gives it) has none and is a clear error naming the index, not the text."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise error_for_code(13, f"{what} has a lone UTF-16 surrogate at index {e.start} "
                                 "(half of a character); it has no UTF-8 form") from None


def _encode(value: Value) -> tuple[int, bytes]:
    if isinstance(value, str):
        return STRING, _utf8(value, "value")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return BYTES, bytes(value)
    return JSON, _utf8(json.dumps(value, ensure_ascii=False, separators=(",", ":")), "value")


def _decode(kind: int, data: bytes) -> Value:
    if kind == STRING:
        return data.decode("utf-8")
    if kind == BYTES:
        return data
    return json.loads(data.decode("utf-8"))


def encrypt(keys: KeyRing, table: str, field: str, record_id: Any, value: Value) -> str:
    """Encrypts ``value`` for (table, field, record_id): ``str`` as text,
    ``bytes`` as bytes, anything else as JSON. Returns the envelope text."""
    kind, data = _encode(value)
    return _veteran.pii_encrypt(keys._native, table, field, str(record_id), kind, data)


def decrypt(keys: KeyRing, table: str, field: str, record_id: Any, envelope: str) -> Value:
    """Decrypts an envelope back to the exact ``str``, ``bytes`` or JSON value."""
    kind, data = _veteran.pii_decrypt(keys._native, table, field, str(record_id), envelope)
    return _decode(kind, data)


def rewrap(keys: KeyRing, table: str, field: str, record_id: Any, envelope: str) -> str:
    """Re-encrypts an envelope (any known key) with the active key."""
    return _veteran.pii_rewrap(keys._native, table, field, str(record_id), envelope)


def is_envelope(text: str) -> bool:
    """Strict check that ``text`` is exactly an envelope ("vet1:hello" is not)."""
    return _veteran.pii_is_envelope(text)


def blind_index(keys: KeyRing, field: str, value: str, kind: str = "exact") -> str:
    """32 hex chars: keyed hash of the normalised value (kind: exact, phone,
    email, name), with a separate key per field."""
    return _veteran.pii_blind_index(keys._native, field, kind, value)


def normalise_phone(number: str, field: str = "phone") -> str:
    """E.164 form of a UK or international number; InvalidArgumentError names
    ``field`` (never the number) otherwise."""
    return _veteran.pii_normalise_phone(number, field)


def redact(text: str, keys: Optional[KeyRing] = None) -> dict:
    """``{"text": masked, "found": [{"type", "start", "end", "start_byte",
    "end_byte"}]}``; ``start``/``end`` are ``str`` indices into the original
    (``text[start:end]`` is what was masked), ``start_byte``/``end_byte`` the
    same span in its UTF-8 bytes. With ``keys``, stable pseudonyms. A lone
    surrogate in ``text`` raises InvalidArgumentError naming its index."""
    return _veteran.pii_redact(text, keys._native if keys else None)


def redact_many(texts: Iterable[str], keys: Optional[KeyRing] = None) -> list[dict]:
    """redact() for many texts; the work runs with the GIL released."""
    return _veteran.pii_redact_many(list(texts), keys._native if keys else None)


def encrypt_many(keys: KeyRing, table: str, field: str,
                 items: Iterable[tuple[Any, Value]]) -> list[str]:
    """Encrypts (record_id, value) pairs of one field; values must share one
    type (all str, all bytes, or all JSON). Runs with the GIL released."""
    pairs = list(items)
    if not pairs:
        return []
    encoded = [_encode(v) for _, v in pairs]
    kinds = {k for k, _ in encoded}
    if len(kinds) != 1:
        raise ValueError("encrypt_many: values must all be str, all bytes, or all JSON")
    return _veteran.pii_encrypt_many(keys._native, table, field, [str(r) for r, _ in pairs],
                                     kinds.pop(), [d for _, d in encoded])


__all__ = [
    "KeyRing", "encrypt", "decrypt", "rewrap", "is_envelope", "blind_index",
    "normalise_phone", "redact", "redact_many", "encrypt_many",
    "STRING", "BYTES", "JSON", "INDEX_KINDS",
]
