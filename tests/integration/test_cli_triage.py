"""CLI contract of `veteran assess` and `veteran pack check`."""

import json


def test_assess_text_prints_one_json_assessment(cli):
    r = cli("assess", "I want to kill myself")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    a = json.loads(lines[0])
    assert a["level"] == "critical"
    assert a["error"] is None


def test_assess_reads_stdin_and_file(cli, tmp_path):
    assert json.loads(cli("assess", input="lovely day").stdout)["level"] == "none"
    f = tmp_path / "msg.txt"
    f.write_text("I want to die")
    assert json.loads(cli("assess", "--file", str(f)).stdout)["level"] in ("high", "critical")
    r = cli("assess", "--file", str(tmp_path / "missing.txt"))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1


def test_jsonl_contract_order_ids_sessions_and_bad_lines(cli):
    lines = [
        {"id": 1, "text": "I want to die", "session": "a"},
        {"id": "two", "text": "lovely weather", "session": "b"},
        "this is not json",
        {"id": 4, "text": 12},
        {"id": [5], "text": "I've got my service pistol upstairs", "session": "a"},
        {"id": None, "text": "I've got my service pistol upstairs"},
    ]
    stdin = "\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines) + "\n"
    r = cli("assess", "--jsonl", input=stdin)
    assert r.returncode == 0, r.stderr
    out = [json.loads(l) for l in r.stdout.strip().splitlines()]
    assert len(out) == 6
    assert [o["id"] for o in out] == [1, "two", None, 4, [5], None]
    for o in out:
        for key in ("id", "level", "rag", "score", "intervention", "flags", "triggers",
                    "suppressed", "error"):
            assert key in o
    assert out[0]["level"] in ("high", "critical") and out[0]["error"] is None
    t = out[0]["triggers"][0]
    assert {"category", "phrase", "start", "end"} <= set(t)
    assert out[1]["level"] == "none"
    # Unreadable lines fail safe: high, with the reason, never null or none.
    assert out[2]["error"] and out[2]["level"] == "high"
    assert out[3]["error"] and "text" in out[3]["error"] and out[3]["level"] == "high"
    # Same session as line 1: a method after ideation is critical...
    assert out[4]["level"] == "critical"
    assert "method_after_ideation" in out[4]["trajectory"]
    # ...but without the session it is the message alone: no trajectory, not
    # critical (the rules see no intent; the learned model may rate a weapon
    # within reach high on its own).
    assert out[5]["level"] != "critical"
    assert out[5]["trajectory"] == []


def test_jsonl_suppressed_entries_carry_reasons(cli):
    r = cli("assess", "--jsonl", input=json.dumps({"id": 1, "text": "I do not want to end my life"}))
    o = json.loads(r.stdout)
    assert o["level"] == "none"
    assert o["suppressed"] and all("reason" in s for s in o["suppressed"])


def test_jsonl_no_progress_when_stderr_is_not_a_terminal(cli):
    stdin = "\n".join(json.dumps({"id": i, "text": "hello"}) for i in range(12000))
    r = cli("assess", "--jsonl", input=stdin)
    assert r.returncode == 0
    assert r.stderr == ""
    assert len(r.stdout.splitlines()) == 12000


def test_assess_usage_errors(cli):
    assert cli("assess", "a", "b").returncode == 2
    assert cli("assess", "--jsonl", "text").returncode == 2
    r = cli("assess", "x", "--country", "ZZ")
    assert r.returncode == 4


def test_pack_check_reports_counts_and_names_bad_entries(cli, source_dir, tmp_path):
    r = cli("pack", "check", f"{source_dir}/data/packs/en-GB.json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["ok"] is True
    assert info["phrases"] >= 600
    assert info["per_category"]["intent"] > 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 1, "id": "b", "version": "1", "locale": "x",
                               "phrases": [{"id": "oops.one", "pattern": "x", "category": "intent",
                                            "severity": "extreme", "weight": 1}]}))
    r = cli("pack", "check", str(bad))
    assert r.returncode == 1
    assert "oops.one" in r.stderr
    assert r.stdout == ""
    assert cli("pack", "lint", str(bad)).returncode == 2


def test_assess_with_custom_pack(cli, tmp_path):
    p = tmp_path / "p.json"
    p.write_text(json.dumps({"format": 1, "id": "p", "version": "1", "locale": "en-GB",
                             "phrases": [{"id": "distress.kettle", "pattern": "kettle is broken",
                                          "category": "distress", "severity": "low",
                                          "weight": 0.2}]}))
    a = json.loads(cli("assess", "--pack", str(p), "the kettle is broken").stdout)
    assert a["level"] == "low"
    assert a["pack"]["id"] == "p"


def run_jsonl_bytes(data, *extra):
    """Runs `assess --jsonl` on raw bytes; returns (returncode, parsed lines)."""
    import os
    import subprocess
    r = subprocess.run([os.environ.get("VETERAN_CLI", "veteran"), "assess", "--jsonl", *extra],
                       input=data, capture_output=True, timeout=120)
    # Every output line must be valid UTF-8 JSON whatever the input bytes were.
    return r.returncode, [json.loads(l.decode("utf-8")) for l in r.stdout.splitlines()]


def test_jsonl_assesses_what_plain_assess_assesses_despite_encoding_damage(cli):
    """Invalid UTF-8, a lone surrogate escape and a byte-order mark are read,
    not turned into error lines: the crisis in each line is seen."""
    lines = [
        b'\xef\xbb\xbf{"id": 0, "text": "I want to kill myself tonight"}',
        b'{"id": 1, "text": "I want to kill myself \xff tonight"}',
        b'{"id": 2, "text": "I want to kill myself tonight \\ud83d"}',
        b'{"id": 3, "text": "I want to kill myself tonight \\udc00 \\ud83d\\ude00"}',
        b'{"id": "caf\xe9", "text": "lovely day"}',
    ]
    rc, out = run_jsonl_bytes(b"\n".join(lines) + b"\n")
    assert rc == 0
    assert [o["id"] for o in out[:4]] == [0, 1, 2, 3]
    for o in out[:4]:
        assert o["error"] is None
        assert o["level"] == "critical"
    plain = json.loads(cli("assess", "I want to kill myself tonight").stdout)
    assert out[0]["level"] == plain["level"]
    assert out[4]["id"] == "caf\ufffd" and out[4]["level"] == "none"


def test_jsonl_unreadable_and_ambiguous_lines_fail_safe_as_high():
    lines = [
        b'{"id": 1, "text": "I want to die", "text": "hello"}',
        b'{"id": 2, "id": 3, "text": "hello"}',
        b'{"id": 4, "text": "hello", "session": "a", "session": "b"}',
        b'{"id": 5, "text": "hello"} trailing',
        b'{"id": 6, "text": ',
        b'[1, 2]',
    ]
    rc, out = run_jsonl_bytes(b"\n".join(lines) + b"\n")
    assert rc == 0
    assert len(out) == len(lines)
    for o in out:
        assert o["level"] == "high" and o["rag"] == "RED"
        assert o["flags"]["alert_staff"] is True
        assert o["error"]
        assert o["resources"], "fail-safe lines still carry crisis resources"
    assert "duplicate member 'text'" in out[0]["error"]
    assert "duplicate member 'id'" in out[1]["error"]
    assert "duplicate member 'session'" in out[2]["error"]
    assert "boost" not in " ".join(o["error"] for o in out).lower()


def test_jsonl_session_store_is_bounded(cli):
    """With room for one conversation, a second one pushes the first out, so
    its trajectory (method after ideation) is forgotten; with room for two it
    is kept."""
    lines = [
        {"id": 1, "text": "I want to die", "session": "a"},
        {"id": 2, "text": "lovely weather", "session": "b"},
        {"id": 3, "text": "I've got my service pistol upstairs", "session": "a"},
    ]
    stdin = "\n".join(json.dumps(l) for l in lines) + "\n"
    roomy = [json.loads(l) for l in cli("assess", "--jsonl", "--max-sessions", "2",
                                        input=stdin).stdout.splitlines()]
    assert roomy[2]["level"] == "critical"
    tight = [json.loads(l) for l in cli("assess", "--jsonl", "--max-sessions", "1",
                                        input=stdin).stdout.splitlines()]
    assert tight[2]["level"] != "critical"
    idle = [json.loads(l) for l in cli("assess", "--jsonl", "--session-idle", "0",
                                       input=stdin).stdout.splitlines()]
    assert idle[0]["level"] in ("high", "critical")
    for bad in (["--max-sessions", "0"], ["--max-sessions", "x"], ["--session-idle", "-1"]):
        r = cli("assess", "--jsonl", *bad, input=stdin)
        assert r.returncode == 2 and r.stdout == ""


def test_assess_output_errors_exit_non_zero(cli):
    import os
    import subprocess
    exe = os.environ.get("VETERAN_CLI", "veteran")
    with open("/dev/full", "w") as full:
        for args, data in ((["assess", "I want to die"], None),
                           (["assess", "--jsonl"], b'{"text": "hi"}\n')):
            r = subprocess.run([exe, *args], input=data, stdout=full, stderr=subprocess.PIPE,
                               timeout=60)
            assert r.returncode == 1
            assert b"standard output" in r.stderr


def test_jsonl_conversation_view_with_timestamps(cli):
    minute = 60_000
    lines = [
        {"id": 1, "text": "I want to kill myself", "session": "s", "ts": 1 * minute},
        {"id": 2, "text": "only joking, what's for tea", "session": "s", "ts": 2 * minute},
        {"id": 3, "text": "fine thanks", "session": "s", "ts": 600 * minute},
        {"id": 4, "text": "hello", "session": "s", "ts": "later"},
    ]
    stdin = "\n".join(json.dumps(l) for l in lines) + "\n"
    # Sessions idle longer than --session-idle are dropped: keep them a day.
    r = cli("assess", "--jsonl", "--session-idle", "86400", input=stdin)
    assert r.returncode == 0, r.stderr
    out = [json.loads(l) for l in r.stdout.strip().splitlines()]
    assert [o["turn"] for o in out[:3]] == [1, 2, 3]
    # A retraction a minute later: the message is benign, the conversation is not.
    assert out[1]["message_level"] in ("none", "low")
    assert out[1]["conversation_level"] == "critical"
    assert out[1]["level"] == "critical"
    assert {"name": "sudden_drop_after_crisis", "turns": [1, 2]} in out[1]["patterns"]
    # Ten hours later the crisis has faded.
    assert out[2]["trend"] == "falling"
    assert out[2]["conversation_level"] != "critical"
    # A bad timestamp fails safe and names the member, not the value.
    assert out[3]["level"] == "high" and '"ts"' in out[3]["error"]
    assert "later" not in out[3]["error"]


def test_assess_welsh_names_the_pack(cli):
    a = json.loads(cli("assess", "--welsh", "Dw i am ladd fy hun heno").stdout)
    assert a["level"] == "critical"
    assert [t["id"] for t in a["triggers"]] == ["cy-GB:intent.kill_myself"]
    r = cli("assess", "Dw i am ladd fy hun heno")  # Welsh is opt-in
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["level"] != "critical"
    # English answers are the same either way.
    for text in ("I want to kill myself", "lovely day", "I don't want to die"):
        with_cy = json.loads(cli("assess", "--welsh", text).stdout)
        without = json.loads(cli("assess", text).stdout)
        assert with_cy["level"] == without["level"]
        assert with_cy["triggers"] == without["triggers"]


def test_assess_extra_pack_and_welsh_beside_a_custom_pack(cli, source_dir):
    cy = source_dir + "/data/packs/cy.json"
    en = source_dir + "/data/packs/en-GB.json"
    for args in (["--pack", en, "--welsh"], ["--pack", en, "--extra-pack", cy]):
        r = cli("assess", *args, "I want to die. does dim pwynt byw")
        assert r.returncode == 0, r.stderr
        a = json.loads(r.stdout)
        assert a["level"] == "critical"
        assert "cy-GB:hopelessness.no_point_living" in [t["id"] for t in a["triggers"]]
    # A custom --pack alone runs alone.
    a = json.loads(cli("assess", "--pack", en, "dw i eisiau marw").stdout)
    assert a["level"] == "none"


def test_assess_refuses_two_packs_of_one_locale(cli, source_dir):
    cy = source_dir + "/data/packs/cy.json"
    r = cli("assess", "--welsh", "--extra-pack", cy, "hello")
    assert r.returncode != 0
    assert "extra_packs[1]" in r.stderr
    assert r.stdout == ""


def test_pack_check_of_the_welsh_pack(cli, source_dir):
    r = cli("pack", "check", source_dir + "/data/packs/cy.json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["locale"] == "cy-GB"
    assert {f["kind"] for f in report["findings"]} == {"critical_covered"}
