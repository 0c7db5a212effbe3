"""Fixtures for black-box tests of the `veteran` CLI."""

import os
import subprocess

import pytest

CLI = os.environ.get("VETERAN_CLI", "veteran")
SOURCE_DIR = os.environ.get(
    "VETERAN_SOURCE_DIR",
    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))


def run_cli(*args, input=None, env=None):
    """Runs the CLI; returns CompletedProcess with text stdout/stderr."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([CLI, *args], input=input, capture_output=True,
                          text=True, env=full_env, timeout=120)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def source_dir():
    return SOURCE_DIR
