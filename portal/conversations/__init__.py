"""Conversations: threads of comments under a subject (an answer, an observation, a pair).

Cross-cutting, like notifications: the areas register their kinds of subject (who takes part,
which page shows the thread) and the lessons area hands over the one Markdown renderer, so
nothing here imports the areas built on it.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the comment routes and the template helper that shows a thread."""
    from portal.conversations import views

    app.register_blueprint(views.bp)
    app.add_template_global(views.conversation)
