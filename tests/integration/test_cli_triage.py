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
    assert out[2]["error"] and out[2]["level"] is None
    assert out[3]["error"] and "text" in out[3]["error"]
    # Same session as line 1: a method after ideation is critical...
    assert out[4]["level"] == "critical"
    assert "method_after_ideation" in out[4]["trajectory"]
    # ...but without the session it is not.
    assert out[5]["level"] == "none"


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
