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
from portal.accounts.forms import (
    EndMentorshipForm,
    KudosForm,
    MentorshipRequestForm,
    PasswordForm,
    ProfileForm,
)
from portal.accounts.models import Mentorship, User
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.topics import all_topics, topic_choices
from portal.viewkit import (
    Confirmation,
    confirm_page,
    confirmed,
    coordinator_required,
    flash_form_errors,
    form_status,
    signed_in_only,
)

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
        manage_account=access.can_set_active(current_user, person),
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


def _party_mentorship(mentorship_id: int) -> Mentorship:
    mentorship = db.session.get(Mentorship, mentorship_id) or abort(404)
    if not access.is_party(current_user, mentorship):
        abort(404)
    return mentorship


@bp.route("/mentorships/<int:mentorship_id>")
def mentorship_page(mentorship_id: int):
    """The pair's own page: who, what, since when (meetings and the conversation live here)."""
    mentorship = _party_mentorship(mentorship_id)
    return render_template("accounts/mentorship.html", m=mentorship)


@bp.route("/mentorships/<int:mentorship_id>/<any(accept, decline):action>", methods=["POST"])
def mentorship_action(mentorship_id: int, action: str):
    mentorship = _party_mentorship(mentorship_id)
    other = mentorship.other(current_user.id).name
    try:
        mentorships.respond(mentorship, current_user, accept=action == "accept")
    except Conflict as exc:  # e.g. answered twice: say so, change nothing
        flash(exc.message, "error")
        return redirect(url_for("accounts.mentorship_list"))
    flash(
        f"You and {other} are now in a mentorship."
        if action == "accept"
        else f"You declined {other}'s request.",
        "success",
    )
    return redirect(request.referrer if _same_site(request.referrer) else url_for("main.index"))


@bp.route("/mentorships/<int:mentorship_id>/end", methods=["GET", "POST"])
def end_mentorship(mentorship_id: int):
    """Ask first (with an optional reason); only the confirmed POST ends it."""
    mentorship = _party_mentorship(mentorship_id)
    if mentorship.status != "active":
        flash("This mentorship is not active.", "error")
        return redirect(url_for("accounts.mentorship_list"))
    form = EndMentorshipForm()
    if not confirmed(form):
        return confirm_page(_end_confirmation(mentorship), form)
    try:
        mentorships.end(mentorship, current_user, form.reason.data or "")
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash(
            f"Your mentorship with {mentorship.other(current_user.id).name} has ended.", "success"
        )
    return redirect(url_for("accounts.mentorship_list"))


def _end_confirmation(mentorship: Mentorship) -> Confirmation:
    other = mentorship.other(current_user.id)
    topics = ", ".join(t.name for t in mentorship.topics)
    access_lost = (
        f"Your access to {other.name}'s answers and progress through this mentorship"
        if mentorship.mentor_id == current_user.id
        else f"{other.name}'s access to your answers and progress through this mentorship"
    )
    return Confirmation(
        title=f"End your mentorship with {other.name}?",
        button="End mentorship",
        back=url_for("accounts.mentorship_list"),
        back_label="Keep the mentorship",
        lost=[
            f"The active mentorship in {topics}: it cannot be restarted, only asked for anew.",
            f"{access_lost} — it ends at once.",
        ],
        kept=[
            "Feedback already given, answers and progress stay in the mentee's record.",
            f"{other.name} sees that it ended, and your reason if you give one.",
        ],
    )


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
