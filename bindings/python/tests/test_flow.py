"""veteran.store and veteran.flow."""

import threading

import pytest

import veteran
from veteran import flow, pii
from veteran.store import Store

T0 = 1_700_000_000_000


@pytest.fixture
def svc(tmp_path):
    return flow.Service(Store(str(tmp_path / "f.db")))


def test_chat_claim_race_between_threads_has_one_winner(tmp_path):
    path = str(tmp_path / "f.db")
    setup = flow.Service(Store(path))
    req = setup.request_chat("u1", now=T0)
    results = []

    def claim(i):
        s = flow.Service(Store(path))
        try:
            s.fire(req, "claim", f"c{i}", "counsellor", now=T0)
            results.append("won")
        except veteran.ConflictError:
            results.append("lost")

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["lost"] * 7 + ["won"]
    assert setup.store.check()["ok"]


def test_errors_name_state_and_role(svc):
    cb = svc.create_callback("+447700900123", now=T0)
    svc.fire(cb, "take", "c1", "counsellor", now=T0)
    svc.fire(cb, "complete", "c1", "counsellor", now=T0)
    with pytest.raises(veteran.StateError) as e:
        svc.fire(cb, "take", "c2", "counsellor", now=T0)
    assert "'completed'" in str(e.value) and "'counsellor'" in str(e.value)
    with pytest.raises(veteran.NotFoundError):
        svc.fire("cb_nope", "take", "c1", "counsellor")
    with pytest.raises(veteran.InvalidArgumentError):
        svc.fire(cb, "take", "c1", "boss")


def test_feed_raises_for_failsafe_and_third_party(svc):
    a = veteran.assess("my brother said he will kill himself")
    h = svc.feed("s1", a, now=T0)
    assert h["raised"] and h["third_party"]
    failsafe = {"level": "none", "error": "decode failure"}
    assert svc.feed("s2", failsafe, now=T0)["raised"]
    again = svc.feed("s1", veteran.assess("I want to die"), now=T0 + 1)
    assert again["updated"] and again["alert_id"] == h["alert_id"]


def test_timers_and_audit(svc):
    req = svc.request_chat("u1", now=T0)
    applied = svc.due(T0 + 120_000)
    assert [(t["id"], t["to"]) for t in applied] == [(req, "expired")]
    assert applied[0]["created"]
    events = [a["event"] for a in svc.store.audit(entity=req)]
    assert events == ["request", "offer", "expire"]
    topics = {o["topic"] for o in svc.store.outbox()}
    assert "chat.escalated" in topics and "callback.created" in topics


def test_messages_are_encrypted_with_keys(tmp_path):
    ring = pii.KeyRing.generate("k1")
    st = Store(str(tmp_path / "f.db"))
    s = flow.Service(st, keys=ring)
    chat = s.request_chat("u1", now=T0)
    s.fire(chat, "claim", "c1", "counsellor", now=T0)
    s.post_message(chat, "u1", "user", "I feel awful", now=T0)
    assert s.read_messages(chat, "c1", "counsellor")[0]["text"] == "I feel awful"
    with pytest.raises(veteran.KeyMissingError):
        flow.Service(st).read_messages(chat, "c1", "counsellor")


def test_newer_schema_is_refused(tmp_path):
    import sqlite3
    path = str(tmp_path / "f.db")
    Store(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version=9")
    con.commit()
    con.close()
    with pytest.raises(veteran.VeteranError) as e:
        Store(path)
    assert e.value.code_name == "unsupported_version"
