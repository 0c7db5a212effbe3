"""Python API of triage: assess, Engine, Session, Batch."""

import json
import os
import threading

import pytest

import veteran


def test_assess_returns_plain_dict_with_full_schema():
    a = veteran.assess("I want to kill myself")
    assert isinstance(a, dict)
    assert a["level"] == "critical"
    assert a["rag"] == "RED"
    assert a["flags"]["alert_staff"] is True
    assert a["error"] is None
    for key in ("score", "intervention", "triggers", "suppressed", "multipliers",
                "concern_for_other", "trajectory", "pack", "resources"):
        assert key in a
    t = a["triggers"][0]
    assert "I want to kill myself"[t["start"]:t["end"]].lower().endswith("myself")
    json.dumps(a)  # plain data only


def test_benign_text_is_none():
    assert veteran.assess("off to the allotment with the dog")["level"] == "none"


def test_session_trajectory_and_save_restore():
    e = veteran.Engine()
    s = veteran.Session()
    assert e.assess("I want to die", s, now_ms=1000)["level"] in ("high", "critical")
    saved = s.to_json()
    restored = veteran.Session.from_json(saved)
    a = e.assess("I've got my service pistol in the loft", restored, now_ms=2000)
    assert a["level"] == "critical"
    assert "method_after_ideation" in a["trajectory"]
    assert len(restored) == 2


def test_bad_session_json_raises_parse_error():
    with pytest.raises(veteran.ParseError):
        veteran.Session.from_json("not json")


def test_engine_with_custom_pack_and_pack_errors(tmp_path):
    pack = {"format": 1, "id": "mini", "version": "1", "locale": "en-GB",
            "phrases": [{"id": "distress.kettle", "pattern": "kettle is broken",
                         "category": "distress", "severity": "low", "weight": 0.1}]}
    p = tmp_path / "mini.json"
    p.write_text(json.dumps(pack))
    e = veteran.Engine(pack=str(p))
    assert e.pack_id == "mini"
    assert e.assess("the kettle is broken")["level"] == "low"
    assert veteran.Engine(pack=json.dumps(pack)).assess("kettle is broken")["level"] == "low"
    pack["phrases"][0]["severity"] = "awful"
    with pytest.raises(veteran.PackError) as err:
        veteran.Engine(pack=json.dumps(pack))
    assert "distress.kettle" in str(err.value)
    with pytest.raises(veteran.NotFoundError):
        veteran.Engine(country="ZZ")


def test_assess_many_matches_single_assess_and_is_columnar():
    texts = ["I want to die", "lovely weather", "kms", "my brother wants to die"] * 250
    e = veteran.Engine()
    batch = e.assess_many(texts, threads=4)
    assert len(batch) == len(texts)
    cols = batch.columns()
    assert set(cols) >= {"level", "rag", "score", "alert_staff", "error"}
    assert all(len(v) == len(texts) for v in cols.values())
    for i in range(4):
        assert cols["level"][i] == e.assess(texts[i])["level"]
        assert batch[i]["level"] == cols["level"][i]
    assert batch[-1]["concern_for_other"] is True
    counts = batch.level_counts()
    assert sum(counts.values()) == len(texts)
    with pytest.raises(IndexError):
        batch[len(texts)]


def test_assess_many_records_equal_single_assess_for_every_message():
    # Plain messages are stored as compact rows and rebuilt on access; crisis
    # messages keep their full assessment. Both must read exactly like assess().
    texts = [
        "lovely weather at the allotment",
        "I want to die",
        "I am not going to kill myself",
        "",
        "my mate said he wants to end it all",
        "killing it at the gym",
        "I have my service pistol at home and I want to end my life",
    ] * 30
    e = veteran.Engine()
    for threads in (1, 3):
        batch = e.assess_many(texts, threads=threads)
        dicts = batch.to_dicts()
        cols = batch.columns()
        for i, text in enumerate(texts):
            single = e.assess(text)
            assert batch[i] == single
            assert dicts[i] == single
            assert cols["trigger_count"][i] == len(single["triggers"])
            assert cols["error"][i] is None


def test_assess_many_rejects_non_strings_and_bad_threads():
    e = veteran.Engine()
    with pytest.raises(veteran.InvalidArgumentError) as err:
        e.assess_many(["ok", 5])
    assert "texts[1]" in str(err.value)
    with pytest.raises(veteran.InvalidArgumentError):
        e.assess_many(["ok"], threads=0)


def test_assess_many_releases_the_gil():
    e = veteran.Engine()
    texts = ["just a normal message about the football"] * 200000
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    e.assess_many(texts, threads=1)
    stop.set()
    t.join()
    assert len(ticks) > 5  # the other thread ran while C++ was working


def test_resources_and_disclaimer():
    gb = veteran.resources("UK")
    assert any(r["phone"] and "116 123" in r["phone"] for r in gb)
    assert veteran.resources("GB") == gb
    for cc in ("US", "CA", "AU", "IE", "NZ"):
        assert veteran.resources(cc)
    with pytest.raises(veteran.NotFoundError):
        veteran.resources("XX")
    assert "999" in veteran.ai_disclaimer()


def test_pack_check_reports_counts():
    info = veteran.pack_check(_default_pack_path())
    assert info["phrases"] >= 600
    assert set(info["per_category"]) >= {"intent", "burden", "substances"}


def _default_pack_path():
    return os.path.join(os.environ.get("VETERAN_SOURCE_DIR", ""), "data", "packs", "en-GB.json")


# --- text that is not clean UTF-8 and str-index spans -------------------------

HALF_EMOJI = "I want to kill myself tonight \ud83d"  # what json.loads gives for half an emoji


def test_assess_never_raises_for_a_lone_surrogate():
    whole = veteran.assess("I want to kill myself tonight \ufffd")
    for a in (veteran.assess(HALF_EMOJI), veteran.Engine().assess(HALF_EMOJI),
              veteran.Engine().assess("\udc00" + HALF_EMOJI, veteran.Session())):
        assert a["error"] is None
        assert a["level"] == whole["level"] == "critical"


def test_assess_many_keeps_the_batch_when_one_text_has_a_lone_surrogate():
    texts = ["lovely day", HALF_EMOJI, "I want to die \ud83d\ude00", "\udfff"]
    batch = veteran.Engine().assess_many(texts, threads=2)
    assert len(batch) == 4
    levels = batch.columns()["level"]
    assert levels[0] == "none" and levels[1] == "critical"
    assert levels[2] in ("high", "critical")
    assert batch[1]["triggers"]


@pytest.mark.parametrize("not_a_list", ["I want to die", b"I want to die", bytearray(b"x")])
def test_assess_many_refuses_a_single_string(not_a_list):
    with pytest.raises(TypeError, match="single string"):
        veteran.Engine().assess_many(not_a_list)


def test_assess_requires_a_str():
    with pytest.raises(TypeError, match="text must be a str"):
        veteran.Engine().assess(42)


def test_spans_are_str_indices_with_byte_offsets_alongside():
    text = "Café ☕ — I want to kill myself 😞 tonight"
    engine = veteran.Engine()
    for a in (engine.assess(text), engine.assess_many([text])[0]):
        t = a["triggers"][0]
        assert text[t["start"]:t["end"]].lower().startswith("kill myself")
        raw = text.encode("utf-8")
        assert raw[t["start_byte"]:t["end_byte"]].decode("utf-8") == text[t["start"]:t["end"]]
        assert t["start_byte"] > t["start"]  # the prefix has multi-byte characters


def test_spans_after_a_replaced_surrogate_still_index_the_str():
    text = "\ud83d I want to kill myself"
    t = veteran.assess(text)["triggers"][0]
    assert text[t["start"]:t["end"]] == "kill myself"
    assert (t["start_byte"], t["end_byte"]) == (t["start"] + 2, t["end"] + 2)  # U+FFFD is 3 bytes


def _uniformish_model(weights, bits=8, bias=-0.5, scale=0.01, threshold=0.9):
    import base64

    return json.dumps({
        "format": "veteran-linear-model", "format_version": 1, "id": "py-test",
        "version": "1", "hash_bits": bits,
        "heads": {"crisis": {"bias": bias, "scale": scale, "threshold": threshold},
                  "concern": {"bias": bias, "scale": scale, "threshold": threshold}},
        "weights": base64.urlsafe_b64encode(weights).decode().rstrip("="),
    })


def test_model_scores_are_the_sum_over_the_features_training_reads():
    # The training script computes scores from Engine.model_features(); the
    # engine must compute exactly the same numbers at run time.
    import math
    import random

    rnd = random.Random(7)
    bits = 8
    weights = bytes(rnd.randrange(256) for _ in range(2 << bits))
    e = veteran.Engine(model=_uniformish_model(weights, bits))
    assert e.model_id == "py-test 1"
    signed = lambda b: b - 256 if b > 127 else b  # noqa: E731
    for text in ["lovely weather", "i want to d13", "💊💊💊", "stood on the bridge", ""]:
        feats = e.model_features(text)
        for head in (0, 1):
            total = sum(signed(weights[2 * (f & ((1 << bits) - 1)) + head]) for f in feats)
            expect = 1.0 / (1.0 + math.exp(-(-0.5 + 0.01 * total)))
            got = e.assess(text)["model"]["crisis" if head == 0 else "concern"]
            assert abs(got - expect) < 1e-12, text


def test_engine_model_choices():
    assert veteran.Engine(model=False).assess("I want to die")["model"] is None
    assert veteran.Engine(model=False).model_id is None
    assert veteran.Engine().model_id.startswith("en-GB-linear ")
    with pytest.raises(veteran.InvalidArgumentError):
        veteran.Engine(model=True)
    with pytest.raises(veteran.PackError):
        veteran.Engine(model='{"format": "nope"}')


def test_model_raise_is_explained_and_capped_at_high():
    e = veteran.Engine(model=_uniformish_model(bytes([127]) * (2 << 8), bias=0, scale=1,
                                               threshold=0.5))
    a = e.assess("lovely weather for the allotment")
    assert a["level"] == "high"
    assert a["model"]["raised"] is True
    assert "py-test" in a["model"]["why"]
    assert e.assess("I want to kill myself")["level"] == "critical"


def test_at_risk_names_whose_safety_it_is():
    assert veteran.assess("lovely day")["at_risk"] == "none"
    assert veteran.assess("I want to kill myself")["at_risk"] == "self"
    other = veteran.assess("my brother keeps saying he wants to die")
    assert other["at_risk"] == "other"
    assert other["level"] in ("high", "critical")
    assert other["flags"]["alert_staff"] is True


def test_conversation_view_in_a_session():
    e = veteran.Engine()
    s = veteran.Session()
    first = e.assess("I want to kill myself", s, now_ms=60_000)
    assert first["turn"] == 1 and first["trend"] == "rising"
    calm = e.assess("all good now honestly", s, now_ms=120_000)
    assert calm["message_level"] in ("none", "low")
    assert calm["conversation_level"] == "critical"
    assert calm["level"] == "critical"
    assert calm["patterns"][0] == {"name": "sudden_drop_after_crisis", "turns": [1, 2]}
    restored = veteran.Session.from_json(s.to_json())
    assert e.assess("ok", restored, now_ms=180_000)["turn"] == 3
    alone = e.assess("I want to kill myself")
    assert alone["turn"] == 0 and alone["patterns"] == []
    assert alone["message_level"] == alone["conversation_level"] == alone["level"]


def _trigger_ids(a):
    return [t["id"] for t in a["triggers"]]


def test_engine_reads_welsh_beside_english():
    assert veteran.Engine().extra_packs == []  # Welsh is opt-in
    e = veteran.Engine(extra_packs=["cy-GB"])
    assert e.extra_packs == ["cy-GB"]
    a = e.assess("Dw i am ladd fy hun heno")
    assert a["level"] == "critical"
    assert "cy-GB:intent.kill_myself" in _trigger_ids(a)
    assert e.assess("Dw i ddim eisiau marw")["level"] == "none"
    assert e.assess("dw i'n marw o eisiau paned")["level"] == "none"


def test_engine_extra_packs_by_locale_path_or_json():
    pack_path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data",
                             "packs", "cy.json")
    english = veteran.Engine(pack=None, extra_packs=[])
    assert english.extra_packs == []
    assert english.assess("dw i eisiau marw")["level"] == "none"
    for extra in ("cy-GB", pack_path, open(pack_path, encoding="utf-8").read()):
        e = veteran.Engine(extra_packs=[extra], model=False)
        a = e.assess("I want to die. does dim pwynt byw")
        assert a["level"] == "critical"  # two categories at high, across packs
        ids = _trigger_ids(a)
        assert "ideation.want_to_die" in ids
        assert "cy-GB:hopelessness.no_point_living" in ids


def test_engine_extra_packs_errors():
    with pytest.raises(veteran.InvalidArgumentError, match=r"extra_packs\[0\]"):
        veteran.Engine(extra_packs=[None])
    with pytest.raises(veteran.InvalidArgumentError, match=r"extra_packs\[1\]"):
        veteran.Engine(extra_packs=["cy-GB", "cy-GB"])
    with pytest.raises(veteran.InvalidArgumentError):
        veteran.Engine(extra_packs=["en-GB"])  # the primary's locale
    with pytest.raises(TypeError):
        veteran.Engine(extra_packs="cy-GB")  # a str, not a list of str


def test_welsh_conversation_view_and_batches():
    e = veteran.Engine(extra_packs=["cy-GB"])
    s = veteran.Session()
    e.assess("dw i eisiau marw", s, now_ms=1_000_000)
    b = e.assess("dw i'n hunanladdol", s, now_ms=1_060_000)
    assert "repeated_ideation" in [p["name"] for p in b["patterns"]]
    batch = e.assess_many(["dw i eisiau marw", "bore da"], threads=2)
    assert [r["level"] for r in batch.to_dicts()] == ["high", "none"]
