"""`veteran signal check`: one answer line per envelope line."""

import json

import pytest

ICE = {"v": 1, "type": "rtc.ice", "id": "m-1", "ts": 1700000000000, "from": "alice",
       "call_id": "c-1", "body": {"candidate": "candidate:1 1 udp 1 10.0.0.1 9 typ host",
                                   "sdp_mid": "0", "sdp_mline_index": 0}}
CANONICAL_ICE = ('{"v":1,"type":"rtc.ice","id":"m-1","ts":1700000000000,"from":"alice",'
                 '"call_id":"c-1","body":{"candidate":"candidate:1 1 udp 1 10.0.0.1 9 typ host",'
                 '"sdp_mid":"0","sdp_mline_index":0}}')


def check(cli, *lines):
    r = cli("signal", "check", input="".join(line + "\n" for line in lines))
    return r, [json.loads(line) for line in r.stdout.splitlines()]


def test_valid_envelope_is_answered_with_its_canonical_form(cli):
    shuffled = json.dumps(dict(reversed(list(ICE.items()))), indent=None)
    r, out = check(cli, shuffled)
    assert r.returncode == 0, r.stderr
    assert out == [{"ok": True, "type": "rtc.ice", "canonical": ICE}]
    # The canonical member is exactly the codec's canonical text.
    assert r.stdout.strip() == '{"ok":true,"type":"rtc.ice","canonical":' + CANONICAL_ICE + "}"


def test_canonical_output_checks_again_unchanged(cli):
    _, first = check(cli, json.dumps(ICE))
    again = json.dumps(first[0]["canonical"], separators=(",", ":"))
    r, second = check(cli, again)
    assert r.returncode == 0
    assert second == first


@pytest.mark.parametrize("mutate, field", [
    (lambda m: m.update(v=2), "v"),
    (lambda m: m.update(type="rtc.teleport"), "type"),
    (lambda m: m.pop("call_id"), "call_id"),
    (lambda m: m.update(id=""), "id"),
    (lambda m: m.update(ts="soon"), "ts"),
    (lambda m: m.update(extra=1), "extra"),
    (lambda m: m["body"].update(candidate="x" * 2049), "body.candidate"),
    (lambda m: m["body"].update(sdp_mline_index="0"), "body.sdp_mline_index"),
    (lambda m: m["body"].pop("candidate"), "body.candidate"),
])
def test_malformed_envelope_names_the_field_not_the_value(cli, mutate, field):
    m = json.loads(json.dumps(ICE))
    mutate(m)
    r, out = check(cli, json.dumps(m))
    assert r.returncode == 1
    assert len(out) == 1
    assert out[0]["ok"] is False
    assert out[0]["field"] == field
    assert field.split(".")[-1] in out[0]["error"]
    assert "xxxx" not in out[0]["error"] and "teleport" not in out[0]["error"]


def test_every_line_is_answered_in_order_and_blank_lines_skipped(cli):
    chat = {"v": 1, "type": "chat.message", "id": "m-2", "ts": 1, "from": "bob",
            "room_id": "r-1", "body": {"text": "hello"}}
    r, out = check(cli, json.dumps(ICE), "", "not json", json.dumps(chat),
                   '{"v":1,"v":1}')
    assert r.returncode == 1  # at least one line was refused
    assert [o["ok"] for o in out] == [True, False, True, False]
    assert out[1]["field"] == ""
    assert "invalid JSON" in out[1]["error"]
    assert out[2]["type"] == "chat.message"
    assert "duplicate member" in out[3]["error"]


def test_empty_input_writes_nothing_and_succeeds(cli):
    r = cli("signal", "check", input="")
    assert r.returncode == 0
    assert r.stdout == ""


def test_unknown_action_is_a_usage_error(cli):
    r = cli("signal", "teleport")
    assert r.returncode == 2
    assert r.stdout == ""
