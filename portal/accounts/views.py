"""Profiles and mentorships: who someone is, and who mentors whom."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user

from portal.accounts import access, kudos, mentorships
from portal.accounts import services as users
from portal.accounts.forms import KudosForm, MentorshipRequestForm, PasswordForm, ProfileForm
from portal.accounts.models import Mentorship, User
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.topics import all_topics, topic_choices
from portal.viewkit import coordinator_required, flash_form_errors, form_status, signed_in_only

bp = Blueprint("accounts", __name__)
signed_in_only(bp)


def _request_form(person: User) -> MentorshipRequestForm:
    form = MentorshipRequestForm(prefix="m")
    form.topics.choices = topic_choices()
    return form


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def profile(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    form = _request_form(person)
    if person.id != current_user.id and form.validate_on_submit():
        try:
            mentorships.request_mentorship(
                current_user, person, form.role.data, form.topics.data, form.message.data or ""
            )
        except DomainError as exc:
            (getattr(form, exc.field) if exc.field else form.role).errors.append(exc.message)
        else:
            flash(f"Request sent. {person.name} will see it on their dashboard.", "success")
            return redirect(url_for("accounts.mentorship_list"))
    existing = (
        None
        if person.id == current_user.id
        else mentorships.open_between(current_user.id, person.id)
    )
    return render_template(
        "accounts/profile.html",
        person=person,
        form=form,
        existing=existing,
        kudos=kudos.kudos_for(person.id),
        kudos_form=(
            KudosForm(prefix="kudos") if access.can_send_kudos(current_user, person.id) else None
        ),
    ), form_status(form)


@bp.route("/profile/edit", methods=["GET", "POST"])
def edit_profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    topics = all_topics()
    form.expertise.choices = form.interests.choices = topic_choices(topics)
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


@bp.route("/mentorships/")
def mentorship_list():
    return render_template(
        "accounts/mentorships.html", mentorships=mentorships.mentorships_of(current_user.id)
    )


@bp.route("/mentorships/<int:mentorship_id>/<any(accept, decline, end):action>", methods=["POST"])
def mentorship_action(mentorship_id: int, action: str):
    mentorship = db.session.get(Mentorship, mentorship_id) or abort(404)
    if not access.is_party(current_user, mentorship):
        abort(404)
    other = mentorship.other(current_user.id).name
    try:
        if action == "end":
            mentorships.end(mentorship, current_user)
        else:
            mentorships.respond(mentorship, current_user, accept=action == "accept")
    except Conflict as exc:  # e.g. answered twice: say so, change nothing
        flash(exc.message, "error")
        return redirect(url_for("accounts.mentorship_list"))
    flash(
        {
            "accept": f"You and {other} are now in a mentorship.",
            "decline": f"You declined {other}'s request.",
            "end": f"Your mentorship with {other} has ended.",
        }[action],
        "success",
    )
    return redirect(request.referrer if _same_site(request.referrer) else url_for("main.index"))


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


@bp.route("/profile/password", methods=["GET", "POST"])
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            users.change_password(
                user,
                form.current.data,
                form.password.data,
                current_app.config["PASSWORD_HASH_METHOD"],
            )
        except DomainError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            login_user(user)  # this session goes on under the new version; all others end
            flash("Password changed. You were signed out everywhere else.", "success")
            return redirect(url_for("accounts.profile", user_id=user.id))
    return render_template("accounts/password.html", form=form), form_status(form)


kudos_bp = Blueprint("kudos", __name__)


@kudos_bp.route("/people/<int:user_id>/kudos", methods=["POST"])
@login_required
def send_kudos(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    coordinator_required()
    form = KudosForm(prefix="kudos")
    if form.validate_on_submit():
        try:
            kudos.give_kudos(current_user, person, form.message.data)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Kudos sent; it shows on {person.name}'s profile.", "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("accounts.profile", user_id=person.id, _anchor="kudos"))
