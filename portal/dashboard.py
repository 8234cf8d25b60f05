"""Dashboard panels: each area contributes its own, so `portal` needs no import of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION_KEY = "flipside_dashboard_panels"


@dataclass(frozen=True)
class Panel:
    """A dashboard section: `load(user)` returns the template's context, or None to hide it."""

    template: str
    load: Callable
    order: int = 50


def register_panel(app: Flask, panel: Panel) -> None:
    """Add a panel to the signed-in dashboard."""
    app.extensions.setdefault(EXTENSION_KEY, []).append(panel)
    app.extensions[EXTENSION_KEY].sort(key=lambda p: p.order)


def panels_for(user) -> list[tuple[str, dict]]:
    """The (template, context) pairs to show this user, in order."""
    shown = []
    for panel in current_app.extensions.get(EXTENSION_KEY, []):
        context = panel.load(user)
        if context is not None:
            shown.append((panel.template, context))
    return shown
