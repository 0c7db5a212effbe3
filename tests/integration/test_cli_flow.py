"""Black-box tests of the flow and store subcommands (issue 11)."""

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import threading

import pytest

from conftest import CLI

ROUNDS = int(os.environ.get("VETERAN_RACE_ROUNDS", "20"))


def ok(r):
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "flows.db")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_chat_request_claim_message_end(cli, db):
    req = ok(cli("chat", "request", "--db", db, "--user", "u1", "--preferred",
                 "counsellor"))["request_id"]
    room = ok(cli("chat", "claim", "--db", db, "--request", req, "--staff", "c1",
                  "--role", "counsellor"))["room_id"]
    assert room == req
    ok(cli("chat", "message", "--db", db, "--room", room, "--user", "u1",
           input="are you there?\n"))
    ok(cli("chat", "message", "--db", db, "--room", room, "--staff", "c1", "--role",
           "counsellor", "--text", "yes, I'm here"))
    log = ok(cli("chat", "messages", "--db", db, "--room", room, "--staff", "c1",
                 "--role", "counsellor"))["messages"]
    assert [m["role"] for m in log] == ["user", "counsellor"]
    end = ok(cli("chat", "end", "--db", db, "--room", room, "--user", "u1"))
    assert (end["from"], end["to"]) == ("active", "ended")
    assert ok(cli("store", "check", "--db", db))["ok"] is True


def test_exit_codes_conflict_not_found_and_not_allowed(cli, db):
    req = ok(cli("chat", "request", "--db", db, "--user", "u1"))["request_id"]
    ok(cli("chat", "claim", "--db", db, "--request", req, "--staff", "c1", "--role", "peer"))
    lost = cli("chat", "claim", "--db", db, "--request", req, "--staff", "c2", "--role",
               "counsellor")
    assert lost.returncode == 3, lost.stderr
    assert "already claimed" in lost.stderr
    unknown = cli("callback", "take", "--db", db, "--callback", "cb_nope", "--staff", "c1",
                  "--role", "counsellor")
    assert unknown.returncode == 4
    cb = ok(cli("callback", "create", "--db", db, "--phone", "+447700900123"))["callback_id"]
    ok(cli("callback", "take", "--db", db, "--callback", cb, "--staff", "c1", "--role",
           "counsellor"))
    ok(cli("callback", "complete", "--db", db, "--callback", cb, "--staff", "c1", "--role",
           "counsellor"))
    again = cli("callback", "take", "--db", db, "--callback", cb, "--staff", "c2", "--role",
                "counsellor")
    assert again.returncode == 1
    assert "'completed'" in again.stderr and "'counsellor'" in again.stderr
    # A role that may not: names the role and the state.
    al = ok(cli("alert", "raise", "--db", db, "--kind", "safeguarding", "--level",
                "critical", "--session", "s1"))["alert_id"]
    peer = cli("alert", "resolve", "--db", db, "--alert", al, "--staff", "p1", "--role",
               "peer")
    assert peer.returncode == 1
    assert "'peer'" in peer.stderr and "'open'" in peer.stderr
    ok(cli("alert", "ack", "--db", db, "--alert", al, "--staff", "p1", "--role", "peer"))
    ok(cli("alert", "resolve", "--db", db, "--alert", al, "--staff", "c1", "--role",
           "counsellor"))
    back = cli("alert", "ack", "--db", db, "--alert", al, "--staff", "p1", "--role", "peer")
    assert back.returncode == 1 and "'resolved'" in back.stderr


def test_bad_arguments_are_usage_errors_naming_the_option(cli, db):
    r = cli("chat", "claim", "--db", db, "--request", "x", "--staff", "c1", "--role", "boss")
    assert r.returncode == 2 and "--role" in r.stderr
    r = cli("alert", "raise", "--db", db, "--kind", "fire", "--level", "high")
    assert r.returncode == 2 and "--kind" in r.stderr
    r = cli("alert", "raise", "--db", db, "--kind", "panic", "--level", "none")
    assert r.returncode == 2 and "--level" in r.stderr
    r = cli("chat", "request", "--user", "u1")
    assert r.returncode == 2 and "--db" in r.stderr
    r = cli("chat", "fly", "--db", db)
    assert r.returncode == 2


def test_phone_is_encrypted_with_keys_and_never_printed(cli, db, tmp_path):
    keys = str(tmp_path / "keys.json")
    assert cli("keygen", "--out", keys).returncode == 0
    cb = ok(cli("callback", "create", "--db", db, "--phone", "+447700900123", "--urgent",
                "--keys", keys))["callback_id"]
    con = sqlite3.connect(db)
    data = con.execute("SELECT data FROM entities WHERE id=?", (cb,)).fetchone()[0]
    con.close()
    assert "7700900123" not in data and "vet1:" in data
    for cmd in (("audit",), ("outbox", "list")):
        out = cli(*cmd, "--db", db).stdout
        assert "7700900123" not in out
    found = ok(cli("callback", "find", "--db", db, "--phone", "07700 900123", "--keys", keys))
    assert found["callbacks"] == [cb]
    nokeys = cli("callback", "find", "--db", db, "--phone", "07700 900123")
    assert nokeys.returncode == 1 and "key" in nokeys.stderr


def test_tick_expires_unclaimed_request_into_urgent_callback(cli, db):
    req = ok(cli("chat", "request", "--db", db, "--user", "u1", "--now", "1000"))["request_id"]
    assert ok(cli("tick", "--db", db, "--now", "60000"))["applied"] == []
    applied = ok(cli("tick", "--db", db, "--now", str(1000 + 120000)))["applied"]
    assert len(applied) == 1 and applied[0]["id"] == req and applied[0]["to"] == "expired"
    outbox = ok(cli("outbox", "list", "--db", db))["outbox"]
    topics = {(o["entity"], o["topic"]) for o in outbox}
    assert (req, "chat.escalated") in topics
    assert (applied[0]["created"], "callback.created") in topics
    audit = ok(cli("audit", "--db", db, "--entity", req))["audit"]
    assert [a["event"] for a in audit] == ["request", "offer", "expire"]


def test_triage_feed_raises_one_alert_per_session(cli, db):
    lines = [
        {"session": "s1", "text": "I'm going to kill myself tonight, I have the pills"},
        {"session": "s1", "text": "I want to die"},
        {"session": "s2", "text": "lovely day at the allotment"},
        {"session": "s3"},  # no text: fail safe, still alerts
        "not json at all",
    ]
    text = "\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines) + "\n"
    r = cli("triage-feed", "--db", db, input=text)
    assert r.returncode == 1  # two unreadable lines
    out = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["alert"]["raised"] is True
    assert out[1]["alert"]["updated"] is True
    assert out[1]["alert"]["id"] == out[0]["alert"]["id"]
    assert out[2]["alert"] is None
    assert out[3]["assessment"]["error"] and out[3]["alert"]["raised"] is True
    assert out[4]["alert"] is None and "error" in out[4]
    assert ok(cli("store", "check", "--db", db))["ok"] is True


def _claim(db, req, i, codes):
    p = subprocess.run([CLI, "chat", "claim", "--db", db, "--request", req, "--staff",
                        f"c{i}", "--role", "counsellor"], capture_output=True, text=True)
    codes[i] = p.returncode


def test_many_processes_claim_one_request_exactly_one_wins(cli, db):
    for _ in range(ROUNDS):
        req = ok(cli("chat", "request", "--db", db, "--user", "u1"))["request_id"]
        cb = ok(cli("callback", "create", "--db", db, "--phone", "+447700900123"))["callback_id"]
        procs = []
        for i in range(6):
            procs.append(subprocess.Popen([CLI, "chat", "claim", "--db", db, "--request", req,
                                           "--staff", f"c{i}", "--role", "counsellor"],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE))
            procs.append(subprocess.Popen([CLI, "callback", "take", "--db", db, "--callback",
                                           cb, "--staff", f"c{i}", "--role", "counsellor"],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        codes = [p.wait() for p in procs]
        claims, takes = codes[0::2], codes[1::2]
        assert sorted(claims) == [0, 3, 3, 3, 3, 3], codes
        assert sorted(takes) == [0, 3, 3, 3, 3, 3], codes
    assert ok(cli("store", "check", "--db", db))["ok"] is True


def test_newer_schema_is_refused_and_unchanged(cli, db):
    ok(cli("chat", "request", "--db", db, "--user", "u1"))
    con = sqlite3.connect(db)
    con.execute("PRAGMA user_version=7")
    con.commit()
    con.close()
    before = digest(db)
    r = cli("chat", "request", "--db", db, "--user", "u1")
    assert r.returncode == 1
    assert "newer" in r.stderr and "unsupported_version" in r.stderr
    assert digest(db) == before


def test_corrupt_and_missing_files(cli, db, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 1000)
    before = digest(str(junk))
    r = cli("chat", "request", "--db", str(junk), "--user", "u1")
    assert r.returncode == 1 and "corrupt" in r.stderr
    assert digest(str(junk)) == before
    missing = cli("audit", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 4


def test_read_only_file_changes_nothing(cli, db):
    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    req = ok(cli("chat", "request", "--db", db, "--user", "u1"))["request_id"]
    # Fold the WAL into the main file, then make everything read-only.
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    os.chmod(db, stat.S_IRUSR)
    before = digest(db)
    r = cli("chat", "claim", "--db", db, "--request", req, "--staff", "c1", "--role",
            "counsellor")
    assert r.returncode == 1, r.stderr
    assert r.stdout == ""
    assert digest(db) == before


def test_store_check_reports_a_tampered_state(cli, db):
    req = ok(cli("chat", "request", "--db", db, "--user", "u1"))["request_id"]
    con = sqlite3.connect(db)
    con.execute("UPDATE entities SET state='claimed' WHERE id=?", (req,))
    con.commit()
    con.close()
    r = cli("store", "check", "--db", db)
    assert r.returncode == 1
    assert req in r.stderr and json.loads(r.stdout)["ok"] is False
