"""Where a meeting is: a room, or a video-call link. Pure: no Flask."""

from __future__ import annotations

from urllib.parse import urlsplit

LINK_SCHEMES = ("http", "https")


def looks_like_link(place: str) -> bool:
    """One word with a scheme or a www. in front: a link. Words around it make it a room
    description ("Room 4.12, or https://…"), shown as plain text."""
    text = place.strip().lower()
    return (
        bool(text)
        and not any(c.isspace() for c in text)
        and ("://" in text or text.startswith("www."))
    )


def link_problem(place: str) -> str | None:
    """Why a place that looks like a link is not one a browser can open safely, or None."""
    if not looks_like_link(place):
        return None
    text = place.strip()
    parts = urlsplit(text if "://" in text else "https://" + text)
    if parts.scheme.lower() not in LINK_SCHEMES:
        return "Use a link starting with https:// (or http://)."
    if not parts.hostname or "." not in parts.hostname:
        return "This link has no site in it, e.g. https://meet.example.com/abc."
    return None


def link_of(place: str) -> str | None:
    """The address to open for a place that is a valid link, else None (a room)."""
    if not looks_like_link(place) or link_problem(place):
        return None
    text = place.strip()
    return text if "://" in text else "https://" + text
