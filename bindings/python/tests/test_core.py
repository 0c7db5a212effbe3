"""Core of the Python binding: version, error translation, init."""

import os
import re

import pytest

import veteran
from veteran import _errors, _veteran

_HEADER = os.path.join(os.path.dirname(__file__), "..", "..", "..",
                       "include", "veteran", "version.hpp")


def test_version_matches_header():
    header = open(_HEADER, encoding="utf-8").read()
    parts = [re.search(rf"#define VETERAN_VERSION_{p} (\d+)", header).group(1)
             for p in ("MAJOR", "MINOR", "PATCH")]
    assert veteran.__version__ == ".".join(parts)
    assert veteran.version() == veteran.__version__


def test_global_init_is_idempotent():
    veteran.global_init()
    veteran.global_init()


@pytest.mark.parametrize("code,cls", [
    (1, veteran.InvalidArgumentError),
    (3, veteran.ParseError),
    (4, veteran.NotFoundError),
    (5, veteran.ConflictError),
    (15, veteran.StateError),
    (20, veteran.PackError),
    (30, veteran.KeyMissingError),
    (33, veteran.TamperedError),
    (35, veteran.ContextMismatchError),
    (9, veteran.InternalError),
])
def test_sdk_errors_become_typed_exceptions(code, cls):
    with pytest.raises(cls) as info:
        _veteran._raise_for_test(code)
    assert isinstance(info.value, veteran.VeteranError)
    assert info.value.code == code
    assert info.value.code_name == _veteran.errc_name(code)
    assert "raised for test" in str(info.value)


def test_every_pinned_code_has_a_name_matching_the_library():
    for code, (name, _cls) in _errors._CODES.items():
        assert _veteran.errc_name(code) == name, code


def test_value_errors_are_also_valueerror():
    with pytest.raises(ValueError):
        _veteran._raise_for_test(1)

