"""The PII commands: keygen, encrypt, decrypt, rewrap, migrate, redact, phone, index."""

import json
import os
import sqlite3
import stat
import subprocess

import pytest

from conftest import CLI


@pytest.fixture
def keys(cli, tmp_path):
    path = tmp_path / "keys.json"
    r = cli("keygen", "--out", str(path), "--id", "k1")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "k1\n"
    return str(path)


def ctx(table="users", field="phone", rid="42"):
    return ["--table", table, "--field", field, "--id", rid]


def test_keygen_writes_0600_and_refuses_to_overwrite(cli, tmp_path, keys):
    assert stat.S_IMODE(os.stat(keys).st_mode) == 0o600
    before = open(keys).read()
    r = cli("keygen", "--out", keys)
    assert r.returncode != 0
    assert "already exists" in r.stderr and "--force" in r.stderr
    assert open(keys).read() == before
    r = cli("keygen", "--out", keys, "--force", "--id", "k9")
    assert r.returncode == 0 and r.stdout == "k9\n"
    assert stat.S_IMODE(os.stat(keys).st_mode) == 0o600
    assert json.load(open(keys))["active"] == "k9"


def test_keygen_passphrase_stores_salt_not_key(cli, tmp_path):
    path = str(tmp_path / "p.json")
    env = {"MY_PASS": "correct horse battery"}
    r = cli("keygen", "--out", path, "--id", "p1", "--pass-env", "MY_PASS", env=env)
    assert r.returncode == 0, r.stderr
    doc = json.load(open(path))
    assert doc["keys"][0]["kdf"] == "argon2id13" and "key" not in doc["keys"][0]
    r2 = cli("keygen", "--out", str(tmp_path / "q.json"), "--id", "p1", "--pass-env",
             "MY_PASS", env=env)
    assert json.load(open(str(tmp_path / "q.json")))["keys"][0]["salt"] != doc["keys"][0]["salt"]
    assert r2.returncode == 0
    enc = cli("encrypt", "--keys", path, *ctx(), "x",
              env={"VETERAN_PII_PASSPHRASE": "correct horse battery"})
    assert enc.returncode == 0, enc.stderr
    no_pass = cli("decrypt", "--keys", path, *ctx(), enc.stdout.strip())
    assert no_pass.returncode == 1 and no_pass.stdout == ""
    assert "key_missing" in no_pass.stderr


def test_encrypt_decrypt_round_trip_argument_and_stdin(cli, keys):
    env = cli("encrypt", "--keys", keys, *ctx(), "07700 900123")
    assert env.returncode == 0
    assert env.stdout.startswith("vet1:k1:") and env.stdout.endswith("\n")
    assert env.stdout.count("\n") == 1
    dec = cli("decrypt", "--keys", keys, *ctx(), input=env.stdout)
    assert dec.returncode == 0 and dec.stdout == "07700 900123\n"
    env2 = cli("encrypt", "--keys", keys, *ctx(), input="07700 900123\n")
    assert env2.stdout != env.stdout  # random nonce: no two envelopes alike
    assert cli("decrypt", "--keys", keys, *ctx(), env2.stdout.strip()).stdout == "07700 900123\n"
    js = cli("encrypt", "--keys", keys, *ctx(), "--type", "json", '{"a": [1, 2]}')
    assert cli("decrypt", "--keys", keys, *ctx(), js.stdout.strip()).stdout == '{"a": [1, 2]}\n'


@pytest.mark.parametrize("change,code", [
    (ctx("admins"), "context_mismatch"),
    (ctx(field="email"), "context_mismatch"),
    (ctx(rid="43"), "context_mismatch"),
])
def test_decrypt_of_moved_ciphertext_refuses(cli, keys, change, code):
    env = cli("encrypt", "--keys", keys, *ctx(), "secret value").stdout.strip()
    r = cli("decrypt", "--keys", keys, *change, env)
    assert r.returncode == 1
    assert r.stdout == ""
    assert code in r.stderr and "secret" not in r.stderr
    assert r.stderr.count("\n") == 1


def test_decrypt_refuses_tampered_malformed_placeholder_and_wrong_keys(cli, keys, tmp_path):
    env = cli("encrypt", "--keys", keys, *ctx(), "secret value").stdout.strip()
    tampered = env[:-6] + ("A" if env[-6] != "A" else "B") + env[-5:]
    for text, code in [(tampered, "ciphertext_tampered"), (env[:30], "envelope_malformed"),
                       ("***decryption_error***", "envelope_malformed"),
                       ("vet1:hello", "envelope_malformed")]:
        r = cli("decrypt", "--keys", keys, *ctx(), text)
        assert r.returncode == 1 and r.stdout == "" and code in r.stderr, text
    other = str(tmp_path / "other.json")
    cli("keygen", "--out", other, "--id", "k1")
    r = cli("decrypt", "--keys", other, *ctx(), env)
    assert r.returncode == 1 and "key_wrong" in r.stderr and r.stdout == ""
    cli("keygen", "--out", str(tmp_path / "k2.json"), "--id", "k2")
    r = cli("decrypt", "--keys", str(tmp_path / "k2.json"), *ctx(), env)
    assert r.returncode == 1 and "key_unknown" in r.stderr


def test_missing_key_file_or_env_never_yields_plaintext(cli, tmp_path):
    r = cli("encrypt", "--keys", str(tmp_path / "nope.json"), *ctx(), "07700 900123")
    assert r.returncode != 0 and r.stdout == ""
    assert "07700" not in r.stderr
    r = cli("encrypt", "--keys-env", "VETERAN_UNSET_KEYS_VAR", *ctx(), "07700 900123",
            env={"VETERAN_UNSET_KEYS_VAR": ""})
    assert r.returncode == 1 and r.stdout == "" and "key_missing" in r.stderr


def test_keys_from_environment(cli):
    env = {"MY_KEYS": "e1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
    e = cli("encrypt", "--keys-env", "MY_KEYS", *ctx(), "hello", env=env)
    assert e.returncode == 0 and e.stdout.startswith("vet1:e1:")
    d = cli("decrypt", "--keys-env", "MY_KEYS", *ctx(), e.stdout.strip(), env=env)
    assert d.stdout == "hello\n"


def test_rewrap_after_rotation(cli, keys):
    old = cli("encrypt", "--keys", keys, *ctx(), "v").stdout.strip()
    assert cli("keygen", "--out", keys, "--rotate", "--id", "k2").returncode == 0
    new = cli("rewrap", "--keys", keys, *ctx(), old)
    assert new.returncode == 0 and new.stdout.startswith("vet1:k2:")
    assert cli("decrypt", "--keys", keys, *ctx(), new.stdout.strip()).stdout == "v\n"
    bad = cli("rewrap", "--keys", keys, *ctx(rid="7"), old)
    assert bad.returncode == 1 and bad.stdout == ""


def test_usage_errors(cli, keys):
    assert cli("encrypt", "--keys", keys, "--table", "t", "x").returncode == 2
    assert cli("encrypt", "--keys", keys, *ctx(), "--type", "xml", "x").returncode == 2
    assert cli("keygen").returncode == 2


def test_phone(cli):
    for raw in ["07700 900123", "+44 (0)7700-900123", "0044 7700 900123"]:
        r = cli("phone", raw)
        assert r.returncode == 0 and r.stdout == "+447700900123\n"
    assert cli("phone", "(020) 7946 0018").stdout == "+442079460018\n"
    r = cli("phone", "0770090012")
    assert r.returncode == 1 and r.stdout == ""
    assert "phone" in r.stderr and "0770090012" not in r.stderr
    r = cli("phone", "--field", "next_of_kin", "abc")
    assert "next_of_kin" in r.stderr


def test_index_finds_variants_of_one_number(cli, keys):
    a = cli("index", "--keys", keys, "--field", "phone", "07700 900123")
    b = cli("index", "--keys", keys, "--field", "phone", "+44 (0)7700-900123")
    assert a.returncode == 0 and len(a.stdout.strip()) == 32
    assert a.stdout == b.stdout
    e1 = cli("index", "--keys", keys, "--field", "email", " Jo@Example.COM")
    e2 = cli("index", "--keys", keys, "--field", "email", "jo@example.com")
    assert e1.stdout == e2.stdout
    bad = cli("index", "--keys", keys, "--field", "phone", "not a phone")
    assert bad.returncode == 1 and bad.stdout == "" and "not a phone" not in bad.stderr


def test_redact_text_and_json(cli, keys):
    r = cli("redact", "call 07700 900123 or jo@example.com")
    assert r.returncode == 0 and r.stdout == "call [PHONE] or [EMAIL]\n"
    j = json.loads(cli("redact", "--json", "NHS 943 476 5919, NI AB123456C").stdout)
    assert j["text"] == "NHS [NHS], NI [NI]"
    assert j["found"] == [{"type": "nhs_number", "start": 4, "end": 16},
                          {"type": "ni_number", "start": 21, "end": 30}]
    s = cli("redact", input="line one 07700 900123\nline two\n")
    assert s.stdout == "line one [PHONE]\nline two\n"
    p = cli("redact", "--pseudonym", "--keys", keys, "a 07700 900123 b +447700900123")
    words = p.stdout.split()
    assert words[1] == words[3] and words[1].startswith("[PHONE-")


def _make_db(path, rows):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE vets (id INTEGER PRIMARY KEY, phone TEXT, email TEXT)")
    db.executemany("INSERT INTO vets VALUES (?, ?, ?)", rows)
    db.commit()
    db.close()


def _rows(path):
    db = sqlite3.connect(path)
    out = db.execute("SELECT id, phone, email FROM vets ORDER BY id").fetchall()
    db.close()
    return out


def test_migrate_counts_dry_run_and_resume(cli, keys, tmp_path):
    db = str(tmp_path / "v.db")
    rows = [(i, f"07700 9{10000 + i}", f"v{i}@example.com") for i in range(1, 11)]
    _make_db(db, rows)
    args = ["migrate", "--db", db, "--keys", keys, "--table", "vets", "--id-column", "id",
            "--columns", "phone,email", "--batch", "3"]
    dry = cli(*args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["encrypted"] == 20
    assert _rows(db) == rows  # dry run changed nothing
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    counts = json.loads(r.stdout)
    assert counts["encrypted"] == 20 and counts["failed"] == 0 and counts["complete"]
    for rid, phone, _ in _rows(db):
        assert phone.startswith("vet1:k1:")
        d = cli("decrypt", "--keys", keys, "--table", "vets", "--field", "phone", "--id",
                str(rid), phone)
        assert d.stdout == f"07700 9{10000 + rid}\n"
    again = json.loads(cli(*args).stdout)
    assert again["already_current"] == 20 and again["encrypted"] == 0


def test_migrate_exits_nonzero_when_anything_fails(cli, keys, tmp_path):
    db = str(tmp_path / "f.db")
    other = str(tmp_path / "other.json")
    cli("keygen", "--out", other, "--id", "gone")
    foreign = cli("encrypt", "--keys", other, "--table", "vets", "--field", "phone", "--id", "2",
                  "x").stdout.strip()
    _make_db(db, [(1, "07700 900001", None), (2, foreign, None), (3, "07700 900003", None)])
    r = cli("migrate", "--db", db, "--keys", keys, "--table", "vets", "--id-column", "id",
            "--columns", "phone")
    assert r.returncode == 1
    counts = json.loads(r.stdout)
    assert counts["failed"] == 1 and counts["encrypted"] == 2
    assert "could not be migrated" in r.stderr
    assert _rows(db)[1][1] == foreign  # left unchanged, no placeholder


def test_migrate_bad_input_changes_nothing(cli, keys, tmp_path):
    db = str(tmp_path / "b.db")
    rows = [(1, "07700 900001", "a@example.com")]
    _make_db(db, rows)
    base = ["migrate", "--db", db, "--keys", keys, "--table", "vets", "--id-column", "id"]
    r = cli(*base, "--columns", "phone,nosuch")
    assert r.returncode == 1 and "nosuch" in r.stderr
    r = cli(*base, "--columns", "phone", "--batch", "0")
    assert r.returncode == 2
    r = cli("migrate", "--db", str(tmp_path / "missing.db"), "--keys", keys, "--table", "vets",
            "--id-column", "id", "--columns", "phone")
    assert r.returncode == 4
    assert _rows(db) == rows


# ---- hardening: passphrase check, id column, stdout failures, locking, perms ----

PASS = "correct horse battery"


def _pass_keys(cli, tmp_path):
    path = str(tmp_path / "p.json")
    r = cli("keygen", "--out", path, "--id", "p1", "--pass-env", "MY_PASS",
            env={"MY_PASS": PASS})
    assert r.returncode == 0, r.stderr
    return path


def test_mistyped_passphrase_is_refused_by_every_command_and_changes_nothing(cli, tmp_path):
    path = _pass_keys(cli, tmp_path)
    assert "check" in json.load(open(path))["keys"][0]
    before = open(path).read()
    typo = {"VETERAN_PII_PASSPHRASE": "correct horse batterx"}
    good = {"VETERAN_PII_PASSPHRASE": PASS}
    env = cli("encrypt", "--keys", path, *ctx(), "x", env=good).stdout.strip()
    assert env.startswith("vet1:p1:")
    db = str(tmp_path / "t.db")
    _make_db(db, [(1, "07700 900001", None)])
    runs = [
        cli("encrypt", "--keys", path, *ctx(), "07700 900123", env=typo),
        cli("rewrap", "--keys", path, *ctx(), env, env=typo),
        cli("migrate", "--db", db, "--keys", path, "--table", "vets", "--id-column", "id",
            "--columns", "phone", env=typo),
        cli("keygen", "--out", path, "--rotate", "--id", "k2", env=typo),
    ]
    for r in runs:
        assert r.returncode == 1, r.stderr
        assert r.stdout == ""
        assert "key_wrong" in r.stderr and "'p1'" in r.stderr
        assert "batter" not in r.stderr
    assert open(path).read() == before
    assert _rows(db) == [(1, "07700 900001", None)]
    ok = cli("keygen", "--out", path, "--rotate", "--id", "k2", env=good)
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("rows,what", [
    ([(1, "07700 900001"), (None, "07700 900002"), (2, "07700 900003")], "NULL"),
    ([(1, "07700 900001"), (2, "07700 900002"), (2, "07700 900003"), (3, "07700 900004")],
     "duplicate"),
])
def test_migrate_refuses_an_id_column_that_is_not_unique_and_non_null(cli, keys, tmp_path,
                                                                       rows, what):
    db = str(tmp_path / "ids.db")
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE people (ref INTEGER, phone TEXT)")
    con.executemany("INSERT INTO people VALUES (?, ?)", rows)
    con.commit()
    con.close()
    r = cli("migrate", "--db", db, "--keys", keys, "--table", "people", "--id-column", "ref",
            "--columns", "phone", "--batch", "2")
    assert r.returncode == 1 and r.stdout == ""
    assert "table 'people'" in r.stderr and "column 'ref'" in r.stderr and what in r.stderr
    assert "07700" not in r.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT ref, phone FROM people ORDER BY rowid").fetchall() == rows
    con.close()


def test_migrate_column_listed_twice_in_any_case_is_a_usage_error(cli, keys, tmp_path):
    db = str(tmp_path / "c.db")
    rows = [(1, "07700 900001", "a@example.com")]
    _make_db(db, rows)
    for cols in ("phone,phone", "phone,PHONE", "Email,phone,email"):
        r = cli("migrate", "--db", db, "--keys", keys, "--table", "vets", "--id-column", "id",
                "--columns", cols)
        assert r.returncode == 2, (cols, r.stderr)
        assert "twice" in r.stderr
    assert _rows(db) == rows


def _run_bad_stdout(args, how, input=None):
    """Runs the CLI with stdout on /dev/full or closed."""
    if how == "full":
        with open("/dev/full", "w") as full:
            return subprocess.run([CLI, *args], stdout=full, stderr=subprocess.PIPE,
                                  input=input, text=True, timeout=120)
    return subprocess.run([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          input=input, text=True, timeout=120,
                          preexec_fn=lambda: os.close(1))


@pytest.mark.parametrize("how", ["full", "closed"])
def test_encrypt_redact_migrate_report_a_failed_stdout(keys, tmp_path, how):
    for args in (["encrypt", "--keys", keys, *ctx(), "07700 900123"],
                 ["redact", "call 07700 900123"],
                 ["redact", "--json", "call 07700 900123"]):
        r = _run_bad_stdout(args, how)
        assert r.returncode != 0, args
        assert "standard output" in r.stderr and "io_error" in r.stderr, args
        assert "07700" not in r.stderr
    db = str(tmp_path / f"{how}.db")
    _make_db(db, [(1, "07700 900001", None)])
    r = _run_bad_stdout(["migrate", "--db", db, "--keys", keys, "--table", "vets",
                         "--id-column", "id", "--columns", "phone"], how)
    assert r.returncode != 0
    assert "standard output" in r.stderr and "migration ran" in r.stderr
    assert _rows(db)[0][1].startswith("vet1:k1:")  # it did run; only the report failed


def test_concurrent_rotations_keep_every_key(cli, keys):
    procs = [subprocess.Popen([CLI, "keygen", "--out", keys, "--rotate", "--id", f"r{i}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(12)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    ok = {f"r{i}" for i, (rc, _) in enumerate(results) if rc == 0}
    for rc, err in results:  # a run may fail, but only clearly
        assert rc == 0 or "veteran keygen:" in err
    ids = {k["id"] for k in json.load(open(keys))["keys"]}
    assert "k1" in ids
    assert ok <= ids, f"lost keys: {sorted(ok - ids)}"
    assert len(ok) == 12


def test_key_file_permissions_warn_and_strict_refuses(cli, keys):
    os.chmod(keys, 0o644)
    secret = json.load(open(keys))["keys"][0]["key"]
    r = cli("encrypt", "--keys", keys, *ctx(), "x")
    assert r.returncode == 0 and r.stdout.startswith("vet1:k1:")
    assert "warning" in r.stderr and keys in r.stderr and "0644" in r.stderr
    assert secret not in r.stderr
    s = cli("encrypt", "--keys", keys, "--strict-perms", *ctx(), "x")
    assert s.returncode == 1 and s.stdout == ""
    assert "permission_denied" in s.stderr and keys in s.stderr and secret not in s.stderr
    os.chmod(keys, 0o600)
    q = cli("encrypt", "--keys", keys, "--strict-perms", *ctx(), "x")
    assert q.returncode == 0 and q.stderr == ""


def test_fifo_key_file_fails_instead_of_hanging(cli, tmp_path):
    fifo = str(tmp_path / "keys.fifo")
    os.mkfifo(fifo)
    r = cli("encrypt", "--keys", fifo, *ctx(), "x")
    assert r.returncode == 1 and "not a regular file" in r.stderr and "io_error" in r.stderr
