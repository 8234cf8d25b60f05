"""What every area's views share: the status of a re-shown form, flashing errors, guards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import Blueprint, abort, flash, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField


def form_status(*forms) -> int:
    """Re-shown forms with errors answer 422, so tests and tools can tell them apart."""
    return 422 if any(form is not None and form.errors for form in forms) else 200


def flash_form_errors(form) -> None:
    """Flash a form's errors, for forms posted from a page that redirects back."""
    flash(" ".join(e for errors in form.errors.values() for e in errors), "error")


def signed_in_only(*blueprints: Blueprint) -> None:
    """Every page of these blueprints asks for a signed-in person."""
    for blueprint in blueprints:
        blueprint.before_request(login_required(lambda: None))


def coordinator_required() -> None:
    """403 unless the signed-in person is a coordinator."""
    if not current_user.is_coordinator:
        abort(403)


# Destructive actions ask first ------------------------------------------------------------


class ConfirmationForm(FlaskForm):
    """The confirmation page's form: the CSRF token and the field that makes the POST act."""

    confirm = HiddenField(default="yes")


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation page says: the question, what will be lost and what stays."""

    title: str  # the page's heading, a question: "End your mentorship with Leo?"
    button: str  # the destructive button: "End mentorship"
    back: str  # where "Keep it" goes, changing nothing
    lost: Sequence[str] = ()
    kept: Sequence[str] = ()
    back_label: str = "Cancel"
    extra: dict = field(default_factory=dict)


def confirmed(form: FlaskForm | None = None) -> bool:
    """True only for the POST sent from a confirmation page (a valid form with `confirm`).

    Every other request — the GET of the page, a one-click POST from an older page, a form
    with errors — changes nothing and shows the confirmation page instead.
    """
    form = form if form is not None else ConfirmationForm()
    return (
        request.method == "POST"
        and request.form.get("confirm") == "yes"
        and form.validate_on_submit()
    )


def confirm_page(confirmation: Confirmation, form: FlaskForm | None = None):
    """The one confirmation page every destructive action shows before it acts."""
    form = form if form is not None else ConfirmationForm()
    return render_template(
        "_confirm.html", c=confirmation, form=form, **confirmation.extra
    ), form_status(form)
