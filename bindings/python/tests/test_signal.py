"""veteran.signal: the strict codec and the relay from Python."""

import re

import pytest

import veteran
from veteran import signal

ICE = {"v": 1, "type": "rtc.ice", "id": "m-1", "ts": 5, "from": "alice", "call_id": "c-1",
       "body": {"candidate": "candidate:1 1 udp 1 10.0.0.1 9 typ host"}}


def test_decode_returns_the_canonical_dict_and_encode_its_text():
    shuffled = dict(reversed(list(ICE.items())))
    assert signal.decode(shuffled) == ICE
    assert list(signal.decode(shuffled)) == list(ICE)  # canonical member order
    text = signal.encode(ICE)
    assert text.startswith('{"v":1,"type":"rtc.ice","id":"m-1"')
    assert signal.decode(text) == ICE


@pytest.mark.parametrize("mutate, field", [
    (lambda m: m.update(v=2), "v"),
    (lambda m: m.pop("call_id"), "call_id"),
    (lambda m: m["body"].update(zz=1), "body.zz"),
    (lambda m: m["body"].update(candidate="x" * 3000), "body.candidate"),
])
def test_malformed_envelope_raises_parse_error_naming_the_field(mutate, field):
    m = {**ICE, "body": dict(ICE["body"])}
    mutate(m)
    with pytest.raises(veteran.ParseError) as e:
        signal.decode(m)
    assert e.value.field == field
    assert e.value.code_name == "signal_invalid"
    assert "xxxx" not in str(e.value)


def test_bytes_and_text_are_accepted_other_types_are_not():
    assert signal.decode(signal.encode(ICE).encode()) == ICE
    with pytest.raises(TypeError):
        signal.decode(42)


def kinds(result):
    return [(d["to"], d["msg"]["type"]) for d in result["deliveries"]]


def online(relay, peer, role, status="available", now=0):
    relay.connect(peer, role, now)
    return relay.handle(peer, role, {"v": 1, "type": "presence.online", "id": "p", "ts": now,
                                     "from": peer, "body": {"role": role, "status": status}},
                        now)


def test_relay_call_flow_issues_one_unguessable_id_and_times_out():
    relay = signal.Relay(ring_timeout_ms=5000)
    online(relay, "c1", "counsellor")
    relay.connect("u1", "user", 1000)
    r = relay.handle("u1", "user", {"v": 1, "type": "call.request", "id": "x", "ts": 0,
                                    "from": "c1", "body": {"media": "audio"}}, 1000)
    assert r["rejection"] is None
    assert kinds(r) == [("u1", "call.request"), ("c1", "call.invite")]
    (issued,) = r["issued"]
    assert issued["kind"] == "call" and re.fullmatch(r"[A-Za-z0-9_-]{22}", issued["id"])
    assert {d["msg"]["call_id"] for d in r["deliveries"]} == {issued["id"]}
    assert all(d["msg"]["from"] == "u1" for d in r["deliveries"])  # not the spoofed c1
    assert relay.next_due() == 6000
    assert kinds(relay.due(6000)) == [("u1", "call.timeout"), ("c1", "call.timeout")]
    assert relay.next_due() is None


def test_relay_refusal_is_a_rejection_naming_the_code_not_an_exception():
    relay = signal.Relay()
    relay.connect("eve", "user", 0)
    r = relay.handle("eve", "user", {"v": 1, "type": "chat.message", "id": "e1", "ts": 0,
                                     "from": "eve", "room_id": "someone-elses",
                                     "body": {"text": "private words"}}, 0)
    assert r["deliveries"] == []
    rej = r["rejection"]
    assert rej["to"] == "eve" and rej["msg"]["type"] == "error"
    assert rej["msg"]["body"]["code"] == "not_found"
    assert rej["msg"]["body"]["ref"] == "e1"
    assert "private" not in rej["msg"]["body"]["message"]


def test_relay_chat_and_resume_after_reconnect():
    relay = signal.Relay()
    online(relay, "c1", "counsellor")
    relay.connect("u1", "user", 0)
    r = relay.handle("u1", "user", {"v": 1, "type": "chat.request", "id": "a", "ts": 0,
                                    "from": "u1", "body": {"preferred": "any"}}, 0)
    room = r["deliveries"][0]["msg"]["room_id"]
    req = r["deliveries"][1]["msg"]["body"]["request_id"]
    relay.handle("c1", "counsellor", {"v": 1, "type": "chat.claim", "id": "b", "ts": 0,
                                      "from": "c1", "room_id": room,
                                      "body": {"request_id": req}}, 10)
    relay.disconnect("u1", 20)
    sent = relay.handle("c1", "counsellor", {"v": 1, "type": "chat.message", "id": "c", "ts": 0,
                                             "from": "c1", "room_id": room,
                                             "body": {"text": "still here"}}, 30)
    assert kinds(sent) == [("c1", "chat.message")]  # u1 is away
    relay.connect("u1", "user", 40)
    log = relay.resume("u1", "user", room, "", 40)
    assert [d["msg"]["type"] for d in log["deliveries"]] == ["chat.accepted", "chat.message"]
    last = log["deliveries"][-1]["msg"]["id"]
    assert relay.resume("u1", "user", room, last, 50)["deliveries"] == []


def test_relay_bad_role_raises():
    with pytest.raises(veteran.InvalidArgumentError):
        signal.Relay().connect("x", "pilot", 0)


def test_relay_bad_options_raise():
    with pytest.raises(veteran.InvalidArgumentError):
        signal.Relay(ring_timeout_ms=0)


def test_stubs_declare_the_signal_bindings():
    import ast
    import os

    stub = os.path.join(os.path.dirname(veteran.__file__), "_veteran.pyi")
    with open(stub, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    for name in ("signal_canonical", "_Relay"):
        assert name in names
        assert hasattr(veteran._veteran, name)
    relay_stub = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_Relay")
    for fn in relay_stub.body:
        if isinstance(fn, ast.FunctionDef) and not fn.name.startswith("__"):
            assert hasattr(veteran._veteran._Relay, fn.name), fn.name
