"""Telling people: notifications in the portal, email through an outbox, and the worker.

Cross-cutting infrastructure: each area calls `services.notify` in the transaction of its own
event; nothing here knows about lessons, feedback or programs.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the notifications page, the header's unread count and the worker command."""
    from portal.notifications import services, views, worker

    app.register_blueprint(views.bp)
    app.context_processor(services.header_context)
    app.cli.add_command(worker.worker_command)
