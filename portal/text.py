"""Small text rules shared by the areas' services."""

import re

MIN_WORDS = 3


def is_substantive(text: str) -> bool:
    """More than a word or two: something a person can act on."""
    return len(re.findall(r"\w+", text or "")) >= MIN_WORDS
