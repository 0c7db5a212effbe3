"""Core of the Python binding: version, error translation, init."""

import os
import re

import pytest

import veteran
from veteran import _errors, _veteran

_HEADER = os.path.join(os.path.dirname(__file__), "..", "..", "..",
                       "include", "veteran", "version.h")


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


def test_every_code_of_the_library_has_an_exception_class():
    codes = _veteran.error_codes()
    assert (0, "ok") in [(c, n) for c, n, _ in codes]
    for code, name, description in codes:
        assert _veteran.errc_name(code) == name
        assert description
        if code:
            assert name in _errors.CLASS_FOR_NAME, name
            with pytest.raises(_errors.CLASS_FOR_NAME[name]) as info:
                _veteran._raise_for_test(code)
            assert info.value.code_name == name
    # No class for a name the library does not have.
    assert set(_errors.CLASS_FOR_NAME) == {n for c, n, _ in codes if c}


def test_value_errors_are_also_valueerror():
    with pytest.raises(ValueError):
        _veteran._raise_for_test(1)

