"""Which passwords are too easy to guess: pure, no Flask."""

from __future__ import annotations

from functools import cache
from pathlib import Path

COMMON_LIST = Path(__file__).with_name("common-passwords.txt")
# Words a guesser would try first here, on top of the shipped list.
LOCAL_WORDS = frozenset({"flipside", "flipside123", "company", "company123", "mentoring"})
TRAILING = "0123456789!"  # what people add to a weak password to get past a rule


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the 30,000 most common passwords, plus a few words of our own."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#")) | LOCAL_WORDS


def is_common(password: str) -> bool:
    """A listed password, also with digits or '!' added at its end ('dragon2024!')."""
    lowered = password.lower()
    return not common_passwords().isdisjoint(
        {lowered, lowered.rstrip("!"), lowered.rstrip(TRAILING)}
    )


def is_pattern(password: str) -> bool:
    """A unit repeated ('aaaaaaaa', 'abcabcabc') or a straight run ('12345678', 'hgfedcba'),
    also with digits or '!' added at its end."""
    core = password.lower().rstrip("!")
    return any(_repeated(text) or _run(text) for text in {core, core.rstrip(TRAILING)} if text)


def _repeated(text: str) -> bool:
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False


def _run(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return len(text) > 1 and len(steps) == 1 and steps <= {-1, 1}


def weakness(password: str, email: str = "") -> str | None:
    """Why this password would be guessed quickly, or None when it will do."""
    if is_common(password):
        return "This password is one of the most common ones; choose another."
    if is_pattern(password):
        return "Repeated or consecutive characters are guessed first; choose another."
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "Do not build the password from your email address."
    return None
