"""Page panels: each area contributes sections to shared pages (the dashboard, a topic page,
a lesson page), so the area a page lives in needs no import of the areas built on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

EXTENSION_KEY = "flipside_panels"


@dataclass(frozen=True)
class Panel:
    """A section of a page: `load(*args)` returns the template's context, or None to hide it."""

    template: str
    load: Callable
    order: int = 50
    slot: str = "dashboard"


def register_panel(app: Flask, panel: Panel) -> None:
    """Add a panel to the page its slot names."""
    panels = app.extensions.setdefault(EXTENSION_KEY, [])
    panels.append(panel)
    panels.sort(key=lambda p: p.order)


def panels_for(slot: str, *args) -> list[tuple[str, dict]]:
    """The (template, context) pairs to show in `slot`, in order."""
    shown = []
    for panel in current_app.extensions.get(EXTENSION_KEY, []):
        if panel.slot == slot:
            context = panel.load(*args)
            if context is not None:
                shown.append((panel.template, context))
    return shown


def init_app(app: Flask) -> None:
    app.add_template_global(panels_for)
