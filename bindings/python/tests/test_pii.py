"""veteran.pii: key ring, encryption, blind index, redaction, phone numbers."""

import os
import stat
import threading

import pytest

import veteran
from veteran import pii

CTX = ("users", "phone", 42)


@pytest.fixture
def keys():
    return pii.KeyRing.generate("k1")


def test_keyring_repr_is_redacted(keys, tmp_path):
    assert repr(keys) == "<KeyRing keyring{keys=1, active=k1, material=<redacted>}>"
    assert str(keys) == repr(keys)
    path = tmp_path / "k.json"
    keys.save(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(veteran.ConflictError):
        keys.save(str(path))
    loaded = pii.KeyRing.from_file(str(path))
    assert loaded.active_id == "k1"
    assert str(path.read_text()) not in repr(loaded)


@pytest.mark.parametrize("value", [
    "07700 900123", "Zoë 🙂", "", b"\x00\x01\xff", {"a": [1, 2.5, None]}, [1, "x"], 42,
])
def test_round_trip_keeps_type_and_value(keys, value):
    env = pii.encrypt(keys, *CTX, value)
    assert pii.is_envelope(env)
    back = pii.decrypt(keys, *CTX, env)
    assert back == value
    assert type(back) is type(value)


def test_fail_closed_errors(keys):
    env = pii.encrypt(keys, *CTX, "secret")
    with pytest.raises(veteran.ContextMismatchError) as e:
        pii.decrypt(keys, "users", "phone", 43, env)
    assert "secret" not in str(e.value)
    with pytest.raises(veteran.UnknownKeyError):
        pii.decrypt(pii.KeyRing.generate("k2"), *CTX, env)
    with pytest.raises(veteran.WrongKeyError):
        pii.decrypt(pii.KeyRing.generate("k1"), *CTX, env)
    tampered = env[:-4] + ("AAAA" if env[-4:] != "AAAA" else "BBBB")
    with pytest.raises(veteran.CryptoError):
        pii.decrypt(keys, *CTX, tampered)
    for bad in ["vet1:hello", "***decryption_error***", env[:20]]:
        with pytest.raises(veteran.EnvelopeError):
            pii.decrypt(keys, *CTX, bad)
    assert not pii.is_envelope("vet1:hello")


def test_env_and_passphrase(monkeypatch, tmp_path):
    monkeypatch.delenv("PY_TEST_KEYS", raising=False)
    with pytest.raises(veteran.KeyMissingError):
        pii.KeyRing.from_env("PY_TEST_KEYS")
    monkeypatch.setenv("PY_TEST_KEYS", "e1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
    assert pii.KeyRing.from_env("PY_TEST_KEYS").active_id == "e1"
    ring = pii.KeyRing.from_passphrase("p1", "correct horse")
    env = pii.encrypt(ring, *CTX, "v")
    path = tmp_path / "p.json"
    ring.save(str(path))
    assert '"key"' not in path.read_text()
    with pytest.raises(veteran.KeyMissingError):
        pii.KeyRing.from_file(str(path))
    assert pii.decrypt(pii.KeyRing.from_file(str(path), "correct horse"), *CTX, env) == "v"
    with pytest.raises(veteran.WrongKeyError) as typo:  # refused at load, not later
        pii.KeyRing.from_file(str(path), "correct horsf")
    assert "'p1'" in str(typo.value) and "hors" not in str(typo.value)
    other = pii.KeyRing.from_passphrase("p1", "correct horse")  # new random salt
    with pytest.raises(veteran.WrongKeyError):
        pii.decrypt(other, *CTX, env)


def test_rotate_and_rewrap(keys):
    env = pii.encrypt(keys, *CTX, "v")
    new_id = keys.rotate()
    assert keys.active_id == new_id and keys.key_ids == ["k1", new_id]
    fresh = pii.rewrap(keys, *CTX, env)
    assert fresh.startswith(f"vet1:{new_id}:")
    assert pii.decrypt(keys, *CTX, fresh) == "v"


def test_blind_index_and_phone(keys):
    a = pii.blind_index(keys, "phone", "07700 900123", kind="phone")
    assert len(a) == 32
    assert pii.blind_index(keys, "phone", "+44 (0)7700-900123", kind="phone") == a
    assert pii.blind_index(keys, "nok_phone", "07700 900123", kind="phone") != a
    with pytest.raises(veteran.InvalidArgumentError):
        pii.blind_index(keys, "phone", "x", kind="bogus")
    assert pii.normalise_phone("0044 7700 900123") == "+447700900123"
    with pytest.raises(veteran.InvalidArgumentError) as e:
        pii.normalise_phone("12345", field="mobile")
    assert "mobile" in str(e.value) and "12345" not in str(e.value)


def test_redact_offsets_are_str_indices(keys):
    text = "Zoë: 07700 900123, zoe@example.com"
    r = pii.redact(text)
    assert r["text"] == "Zoë: [PHONE], [EMAIL]"
    spans = r["found"]
    assert [s["type"] for s in spans] == ["phone", "email"]
    assert text[spans[0]["start"]:spans[0]["end"]] == "07700 900123"
    assert text[spans[1]["start"]:spans[1]["end"]] == "zoe@example.com"
    p = pii.redact("a 07700 900123 b +447700900123", keys)["text"].split()
    assert p[1] == p[3] and p[1].startswith("[PHONE-")


def test_batch_functions_release_the_gil_and_match_single_calls(keys):
    texts = [f"call 07700 9{i:05d} or v{i}@example.com" for i in range(2000)]
    results = {}

    def worker(n):
        results[n] = pii.redact_many(texts)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[n] == results[0] for n in range(4))
    assert results[0][7] == pii.redact(texts[7])
    envs = pii.encrypt_many(keys, "users", "phone", [(i, f"07700 9{i:05d}") for i in range(50)])
    assert [pii.decrypt(keys, "users", "phone", i, e) for i, e in enumerate(envs)] == \
        [f"07700 9{i:05d}" for i in range(50)]
    with pytest.raises(ValueError):
        pii.encrypt_many(keys, "t", "f", [(1, "a"), (2, b"b")])
    assert pii.encrypt_many(keys, "t", "f", []) == []


def test_lone_surrogates_are_a_clear_error_in_pii_functions():
    keys = pii.KeyRing.generate("k1")
    half = "call me on 07700 900123 \ud83d"
    for call in (lambda: pii.redact(half), lambda: pii.redact_many(["fine", half]),
                 lambda: pii.encrypt(keys, "users", "phone", 1, half),
                 lambda: pii.encrypt(keys, "users", "notes", 1, {"note": half}),
                 lambda: pii.encrypt_many(keys, "users", "phone", [(1, half)])):
        with pytest.raises(veteran.InvalidArgumentError, match="lone UTF-16 surrogate at index") as e:
            call()
        assert "07700" not in str(e.value)
    assert pii.redact_many(["fine", half[:-1]])[1]["found"]


def test_redaction_spans_give_str_and_byte_offsets():
    text = "Zoë’s number: 07700 900123"
    f = pii.redact(text)["found"][0]
    assert text[f["start"]:f["end"]] == "07700 900123"
    assert text.encode()[f["start_byte"]:f["end_byte"]] == b"07700 900123"
