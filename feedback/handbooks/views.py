"""/resources/: the handbooks, open to everyone (they hold advice, nobody's data)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from feedback import handbooks

bp = Blueprint("resources", __name__, url_prefix="/resources")


@bp.route("/")
def index():
    return render_template(
        "resources/index.html",
        books=[handbooks.handbook(about.slug) for about in handbooks.CATALOGUE],
    )


@bp.route("/<slug>")
def handbook(slug: str):
    book = handbooks.handbook(slug) or abort(404)
    others = [about for about in handbooks.CATALOGUE if about.slug != slug]
    return render_template("resources/handbook.html", book=book, others=others)
