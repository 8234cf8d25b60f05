"""A person's own data: download it, delete the account; coordinators deactivate accounts."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, session, url_for
from flask_login import current_user, logout_user

from portal.accounts import access, personal_data, privacy, sso
from portal.accounts.forms import DeleteAccountForm
from portal.accounts.models import User
from portal.downloads import attachment
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.viewkit import (
    Confirmation,
    ConfirmationForm,
    confirm_page,
    confirmed,
    signed_in_only,
)

bp = Blueprint("privacy", __name__)
signed_in_only(bp)
audit = logging.getLogger("flipside.audit")


@bp.route("/profile/my-data.zip")
def download():
    """Everything the portal holds about the signed-in person, as a zip."""
    user = current_user._get_current_object()
    body = personal_data.archive(user)
    audit.info("user %s downloaded their data", user.id)
    # AUDIT: data-downloaded
    return attachment(body, personal_data.archive_name(user), "application/zip")


@bp.route("/profile/delete", methods=["GET", "POST"])
def delete_account():
    """Ask first, say what goes and what stays, and take the password; then delete."""
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    fresh = sso.signed_in_lately()
    if fresh:  # the organisation's provider has just vouched for the person
        del form.password
    elif not user.has_password and not form.password.errors:
        form.password.errors = [privacy.NO_PASSWORD]
    if confirmed(form):
        choice = personal_data.Deletion(delete_lessons=form.lessons.data == "delete")
        password = None if fresh else form.password.data
        try:
            privacy.delete_account(user, password, choice, fresh_sso=fresh)
        except DomainError as exc:
            form.password.errors = [exc.message]
        else:
            audit.info("user %s deleted their account", user.id)
            logout_user()
            session.clear()
            flash("Your account is deleted. Thank you for taking part.", "success")
            return redirect(url_for("main.index"))
    return confirm_page(_delete_confirmation(user), form)


def _delete_confirmation(user: User) -> Confirmation:
    said = personal_data.consequences(user)
    return Confirmation(
        title="Delete your account?",
        button="Delete my account",
        back=url_for("accounts.profile", user_id=user.id),
        back_label="Keep my account",
        lost=[*said.lost, "This cannot be undone. Download your data first if you want it."],
        kept=said.kept,
    )


def _person(user_id: int) -> User:
    person = db.session.get(User, user_id) or abort(404)
    if not access.can_set_active(current_user, person):
        abort(403)
    return person


@bp.route("/people/<int:user_id>/deactivate", methods=["GET", "POST"])
def deactivate(user_id: int):
    person = _person(user_id)
    back = url_for("accounts.profile", user_id=person.id)
    if not person.is_active_account:
        flash(f"{person.name}'s account is already deactivated.", "info")
        return redirect(back)
    if not confirmed():
        return confirm_page(
            Confirmation(
                title=f"Deactivate {person.name}'s account?",
                button="Deactivate the account",
                back=back,
                back_label="Keep it active",
                lost=[
                    f"{person.name} is signed out everywhere at once and cannot sign in; "
                    "they are told the account is deactivated when they try.",
                    "Email waiting for them is not sent, and no more is.",
                ],
                kept=[
                    "Everything they wrote and everything about them: reactivate the "
                    "account and it is all there again."
                ],
            )
        )
    privacy.deactivate(person)
    flash(f"{person.name}'s account is deactivated.", "success")
    return redirect(back)


@bp.post("/people/<int:user_id>/reactivate")
def reactivate(user_id: int):
    person = _person(user_id)
    form = ConfirmationForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        privacy.reactivate(person)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash(f"{person.name}'s account is active again: they can sign in.", "success")
    return redirect(url_for("accounts.profile", user_id=person.id))
