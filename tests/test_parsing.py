"""Integers from request input: ASCII digits only, bounded."""

from caunoi.core.parsing import parse_int


def test_only_ascii_digits_are_integers() -> None:
    assert parse_int("0") == 0 and parse_int("42") == 42 and parse_int("123456789") == 123456789
    for bad in ("²", "³", "١٢", "1²", "", " 1", "1\n", "-1", "+1", "1.0", "1234567890", None, 3):
        assert parse_int(bad) is None, bad
