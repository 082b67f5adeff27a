from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from koers.participants.validators import (
    bsn_is_valid,
    normalise_name,
    validate_birth_date,
    validate_bsn,
    validate_country_code,
    validate_language_codes,
)


def elfproef_sum(digits):
    return sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]


@given(st.lists(st.integers(0, 9), min_size=8, max_size=8))
def test_every_eight_digit_prefix_has_at_most_one_valid_check_digit(prefix):
    valid = [d for d in range(10) if bsn_is_valid("".join(map(str, [*prefix, d])))]
    assert len(valid) <= 1
    for d in valid:
        total = elfproef_sum([*prefix, d])
        assert total % 11 == 0 and total != 0


@given(st.text(max_size=12))
def test_anything_that_is_not_nine_digits_is_invalid(text):
    if not (len(text) == 9 and text.isascii() and text.isdigit()):
        assert not bsn_is_valid(text)


@given(st.integers(100000000, 999999999), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_of_a_valid_bsn_breaks_it(number, position, delta):
    digits = [int(c) for c in str(number)]
    if not bsn_is_valid(str(number)):
        return
    digits[position] = (digits[position] + delta) % 10
    assert not bsn_is_valid("".join(map(str, digits)))


def test_known_examples():
    assert bsn_is_valid("111222333")
    assert bsn_is_valid("123456782")
    assert not bsn_is_valid("123456789")
    assert not bsn_is_valid("000000000")
    with pytest.raises(ValidationError, match="elfproef"):
        validate_bsn("123456789")
    with pytest.raises(ValidationError, match="9 cijfers"):
        validate_bsn("12345")


def test_birth_dates():
    validate_birth_date(date(1990, 5, 1))
    with pytest.raises(ValidationError, match="toekomst"):
        validate_birth_date(date.today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="niet aannemelijk"):
        validate_birth_date(date(1880, 1, 1))
    with pytest.raises(ValidationError, match="niet aannemelijk"):
        validate_birth_date(date.today() - timedelta(days=365 * 5))


def test_codes():
    validate_country_code("SY")
    validate_language_codes(["ar", "ti", "prs"])
    with pytest.raises(ValidationError):
        validate_country_code("XX")
    with pytest.raises(ValidationError, match="Onbekende taalcode"):
        validate_language_codes(["klingon"])


def test_normalise_name():
    assert normalise_name("  Hébà AL-Ámin ") == "heba al-amin"
