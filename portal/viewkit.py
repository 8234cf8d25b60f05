"""What every area's views share: the status of a re-shown form, flashing errors, guards."""

from __future__ import annotations

from flask import Blueprint, abort, flash
from flask_login import current_user, login_required


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
