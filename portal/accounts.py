"""Profiles: who someone is, and what they can teach and want to learn."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal import users
from portal.extensions import db
from portal.forms import ProfileForm
from portal.models import User

bp = Blueprint("accounts", __name__)


@bp.route("/people/<int:user_id>")
@login_required
def profile(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    return render_template("accounts/profile.html", person=person)


@bp.route("/profile/edit", methods=["GET", "POST"])
@login_required
def edit_profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    topics = users.all_topics()
    choices = [(t.id, t.name) for t in topics]
    form.expertise.choices = form.interests.choices = choices
    if not form.is_submitted():
        form.expertise.data = [t.id for t in user.expertise]
        form.interests.data = [t.id for t in user.interests]
        form.timezone.data = user.timezone or ""
    if form.validate_on_submit():
        data = users.ProfileData(
            name=form.name.data,
            job_title=form.job_title.data or "",
            seniority=form.seniority.data,
            bio=form.bio.data or "",
            timezone=form.timezone.data,
            expertise_ids=form.expertise.data,
            interest_ids=form.interests.data,
        )
        users.update_profile(user, data, topics)
        flash("Your profile is saved.", "success")
        return redirect(url_for("accounts.profile", user_id=user.id))
    return render_template("accounts/edit.html", form=form), 200 if not form.errors else 422
