"""`veteran signal replay`: scenario scripts through a relay (issue 10)."""

import glob
import json
import os
import re

import pytest


def scenarios(source_dir):
    d = os.path.join(source_dir, "tests", "data", "signal", "scenarios")
    return sorted(p for p in glob.glob(os.path.join(d, "*.jsonl"))
                  if not p.endswith(".expected.jsonl"))


def replay(cli, script, *opts):
    r = cli("signal", "replay", *opts, input=script)
    return r, [json.loads(line) for line in r.stdout.splitlines()]


def relay_emitted_types_in_docs(source_dir):
    with open(os.path.join(source_dir, "docs", "signal.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("## What the relay sends", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z]+\.?[a-z]*)` \|", section, re.M))


def test_every_event_the_relay_emits_is_documented_and_decodes_strictly(cli, source_dir):
    """Clients listened for events the old server never sent: every message the
    relay delivers in every scenario is a documented type, and each passes the
    strict decoder unchanged."""
    documented = relay_emitted_types_in_docs(source_dir)
    seen = set()
    for path in scenarios(source_dir):
        with open(path, encoding="utf-8") as f:
            r, out = replay(cli, f.read())
        assert r.returncode == 0, r.stderr
        msgs = [o["msg"] for o in out if "msg" in o]
        lines = "".join(json.dumps(m) + "\n" for m in msgs)
        check = cli("signal", "check", input=lines)
        assert check.returncode == 0, check.stdout
        for m, answer in zip(msgs, check.stdout.splitlines()):
            assert json.loads(answer)["canonical"] == m
            seen.add(m["type"])
        seen.update("error" for o in out if "reject" in o)
    assert seen, "no scenario produced output"
    assert seen <= documented, f"emitted but not documented: {seen - documented}"


def test_real_ids_are_unguessable_and_one_per_call(cli, source_dir):
    path = os.path.join(source_dir, "tests", "data", "signal", "scenarios",
                        "client_chosen_call_id.jsonl")
    with open(path, encoding="utf-8") as f:
        script = f.read()
    ids = []
    for _ in range(2):
        r, out = replay(cli, script)
        assert r.returncode == 0, r.stderr
        call_ids = {o["msg"]["call_id"] for o in out if "msg" in o and "call_id" in o["msg"]}
        assert len(call_ids) == 1  # echo, invite, ringing and accept share one id
        (cid,) = call_ids
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", cid)  # 128 random bits
        ids.append(cid)
    assert ids[0] != ids[1]


def test_placeholders_are_resolved_in_the_script_and_written_back(cli):
    script = "\n".join([
        '{"at":0,"connect":"c1","role":"counsellor"}',
        '{"at":0,"as":"c1","msg":{"type":"presence.online","body":{"role":"counsellor","status":"available"}}}',
        '{"at":1,"connect":"u1","role":"user"}',
        '{"at":1,"as":"u1","msg":{"type":"call.request","body":{"media":"audio"}}}',
        '{"at":2,"as":"u1","msg":{"type":"call.cancel","call_id":"$call1","body":{}}}',
    ]) + "\n"
    r, out = replay(cli, script, "--placeholders")
    assert r.returncode == 0, r.stderr
    assert [(o["to"], o["msg"]["type"], o["msg"]["call_id"]) for o in out] == [
        ("u1", "call.request", "$call1"), ("c1", "call.invite", "$call1"),
        ("c1", "call.cancel", "$call1")]


@pytest.mark.parametrize("line, words", [
    ('{"at":0,"as":"ghost","msg":{}}', "never connected"),
    ('{"at":0,"connect":"u1","role":"user"}\n{"at":1,"as":"u1","msg":'
     '{"type":"call.cancel","call_id":"$call7","body":{}}}', "$call7 has not been issued"),
    ('{"at":-1,"tick":true}', '"at"'),
    ('{"at":0,"tick":true,"extra":1}', 'unexpected member "extra"'),
    ('{"at":0,"connect":"u1","role":"pilot"}', '"role"'),
    ('[1]', "JSON object"),
    ('{"at":0}', "expected one of"),
])
def test_malformed_script_line_is_refused_with_its_line_number(cli, line, words):
    r = cli("signal", "replay", input=line + "\n")
    assert r.returncode == 1
    assert "script line" in r.stderr and words in r.stderr


def test_a_message_that_does_not_decode_is_a_rejection_naming_the_field(cli):
    script = ('{"at":0,"connect":"u1","role":"user"}\n'
              '{"at":1,"as":"u1","msg":{"type":"chat.message","room_id":"r","body":{"text":""}}}\n')
    r, out = replay(cli, script)
    assert r.returncode == 0, r.stderr
    assert out == [{"at": 1, "reject": "u1", "error": {
        "code": "signal_invalid", "message": 'body: "text" must not be empty'}}]


def test_ring_timeout_and_grace_options_change_the_timers(cli):
    script = "\n".join([
        '{"at":0,"connect":"c1","role":"counsellor"}',
        '{"at":0,"as":"c1","msg":{"type":"presence.online","body":{"role":"counsellor","status":"available"}}}',
        '{"at":0,"connect":"u1","role":"user"}',
        '{"at":0,"as":"u1","msg":{"type":"call.request","body":{"media":"audio"}}}',
        '{"at":999,"tick":true}',
        '{"at":1000,"tick":true}',
    ]) + "\n"
    r, out = replay(cli, script, "--placeholders", "--ring-timeout", "1000")
    assert r.returncode == 0, r.stderr
    assert [(o["at"], o["to"], o["msg"]["type"]) for o in out][-2:] == [
        (1000, "u1", "call.timeout"), (1000, "c1", "call.timeout")]
    script = script.replace('{"at":999,"tick":true}', '{"at":10,"disconnect":"u1"}')
    script = script.replace('{"at":1000,"tick":true}', '{"at":510,"tick":true}')
    r, out = replay(cli, script, "--placeholders", "--grace", "500")
    assert [(o["at"], o["to"], o["msg"]["type"]) for o in out][-1] == (510, "c1", "call.cancel")


def test_replay_options_are_refused_for_check(cli):
    r = cli("signal", "check", "--placeholders", input="")
    assert r.returncode == 2
    assert "replay" in r.stderr


def test_missing_script_file_is_an_io_error(cli, tmp_path):
    r = cli("signal", "replay", str(tmp_path / "nope.jsonl"))
    assert r.returncode != 0
    assert "could not be opened" in r.stderr


def test_only_exact_placeholders_are_replaced(cli):
    script = "\n".join([
        '{"at":0,"connect":"c1","role":"counsellor"}',
        '{"at":0,"as":"c1","msg":{"type":"presence.online","body":{"role":"counsellor","status":"available"}}}',
        '{"at":0,"connect":"u1","role":"user"}',
        '{"at":0,"as":"u1","msg":{"type":"chat.request","body":{"preferred":"any"}}}',
        '{"at":1,"as":"c1","msg":{"type":"chat.claim","room_id":"$room1","body":{"request_id":"$req1"}}}',
        '{"at":2,"as":"u1","msg":{"type":"chat.message","room_id":"$room1","body":{"text":"$call1"}}}',
        '{"at":3,"as":"u1","msg":{"type":"chat.message","room_id":"$room1","body":{"text":"$5 and $room01"}}}',
    ]) + "\n"
    r, out = replay(cli, script, "--placeholders")
    assert r.returncode != 0  # "$call1" is a placeholder, not yet issued
    assert "script line 6" in r.stderr and "$call1" in r.stderr
    r, out = replay(cli, script.replace('"text":"$call1"', '"text":"hi"'), "--placeholders")
    assert r.returncode == 0, r.stderr
    assert out[-1]["msg"]["body"]["text"] == "$5 and $room01"
