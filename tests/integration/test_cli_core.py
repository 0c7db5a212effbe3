"""The CLI's contract: help, version, dispatch and exit codes."""

import re


def _header_version(source_dir):
    text = open(f"{source_dir}/include/veteran/version.h", encoding="utf-8").read()
    return ".".join(re.search(rf"#define VETERAN_VERSION_{p} (\d+)", text).group(1)
                    for p in ("MAJOR", "MINOR", "PATCH"))


def test_version_prints_header_version(cli, source_dir):
    r = cli("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"veteran {_header_version(source_dir)}"


def test_help_lists_every_command(cli):
    r = cli("--help")
    assert r.returncode == 0
    for name in ("assess", "pack", "keygen", "encrypt", "decrypt", "redact", "phone",
                 "migrate", "signal", "chat", "callback", "alert", "outbox", "demo"):
        assert re.search(rf"^  {name}\b", r.stdout, re.M), name
    assert "Exit codes" in r.stdout


def test_unknown_command_is_a_usage_error_with_hint(cli):
    r = cli("nosuchcmd")
    assert r.returncode == 2
    assert r.stdout == ""
    assert "unknown command" in r.stderr
    assert "veteran --help" in r.stderr


def test_no_arguments_is_a_usage_error(cli):
    r = cli()
    assert r.returncode == 2
    assert "usage:" in r.stderr


def test_every_command_has_help(cli):
    listing = cli("--help").stdout
    names = re.findall(r"^  (\w+)\s", listing, re.M)
    assert len(names) >= 14
    for name in names:
        r = cli(name, "--help")
        assert r.returncode == 0, name
        assert r.stdout.startswith(f"usage: veteran {name}"), name


def test_commands_not_in_this_release_refuse_clearly(cli):
    listing = cli("--help").stdout
    pending = re.findall(r"^  (\w+)\s.*\(not in this release yet\)$", listing, re.M)
    for name in pending:
        r = cli(name)
        assert r.returncode == 1, name
        assert r.stdout == "", name
        assert "not in this release yet" in r.stderr, name
        assert len(r.stderr.strip().splitlines()) == 1, name


def test_unknown_option_is_a_usage_error(cli):
    listing = cli("--help").stdout
    available = [n for n in re.findall(r"^  (\w+)\s(.*)$", listing, re.M)
                 if "not in this release yet" not in n[1]]
    for name, _ in available:
        r = cli(name, "--no-such-option")
        assert r.returncode == 2, name
        assert "unknown option --no-such-option" in r.stderr, name
