"""Which passwords are refused: the 30,000 most common, patterns, and the email's own name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.passwords import common_passwords, is_pattern, weakness


def test_the_shipped_list_has_tens_of_thousands_of_common_passwords():
    listed = common_passwords()
    assert len(listed) >= 30_000
    assert len([p for p in listed if len(p) >= 8]) >= 10_000  # long enough for our form
    assert {"password", "burunduk", "falcon01", "nightfal"} <= listed


@pytest.mark.parametrize(
    "password",
    [
        "palladin",  # deep in the list (the 11,000th of 8 characters or more)
        "Burunduk2024!",  # a listed word with digits and '!' added
        "1234567890!!",
        "aaaaaaaa",
        "AAAAAAAAAAAA1",
        "abcabcabcabc",
        "12345678",
        "abcdefgh",
        "hgfedcba",
        "98765432",
        "zyxwvutsr!",
    ],
)
def test_common_repeated_and_sequential_passwords_are_refused(password):
    assert weakness(password) is not None


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "a long enough secret", "flipside-demo", "Tr0ub4dor&3x", "abcd wxyz"],
)
def test_ordinary_good_passwords_pass(password):
    assert weakness(password) is None


def test_the_email_name_is_refused_inside_a_password():
    assert "email" in weakness("xx-margaret-xx", "margaret@example.org")


@given(st.text(max_size=40))
def test_patterns_never_raise(text):
    assert is_pattern(text) in (True, False)
