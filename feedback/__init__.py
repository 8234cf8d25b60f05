"""Structured constructive feedback, ratings and progress (built on `lessons` and `portal`)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet: feedback arrives with the practice-and-feedback work."""
