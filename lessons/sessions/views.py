"""Group sessions: schedule, roster, answers, attendance, notes, calendar files."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from lessons.models import Lesson, LessonStatus
from lessons.sessions import access as session_access
from lessons.sessions import calendar
from lessons.sessions import services as sessions
from lessons.sessions.forms import (
    AttendanceForm,
    InviteForm,
    NotesForm,
    RescheduleForm,
    SessionForm,
)
from lessons.sessions.models import GroupSession, ParticipantStatus
from portal.accounts import directory
from portal.accounts.mentorships import active_mentees
from portal.accounts.models import User
from portal.accounts.services import ids_from_emails, reset_calendar_link
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.hooks import localtime, viewer_zone
from portal.viewkit import Confirmation, confirm_page, confirmed, form_status, signed_in_only
from portal.widgets import options

bp = Blueprint("sessions", __name__, url_prefix="/sessions")
feed_bp = Blueprint("calendar", __name__)
signed_in_only(bp)


def _session(session_id: int, manage: bool = False) -> GroupSession:
    session = sessions.session_page(session_id)
    if not session_access.can_view(current_user, session):
        abort(404)
    if manage and not session_access.can_manage(current_user, session):
        abort(403)
    return session


def _pick(form, exclude: set[int]) -> directory.Pick:
    """The roster picker: a search among everyone (but me), the ticked ones kept."""
    mentees = {m.id for m in active_mentees(current_user.id)}
    pick = directory.pick(form.q.data, form.invitees.data, exclude=exclude | {current_user.id})
    form.invitees.choices = options(
        (u.id, f"{u.name} (you mentor them)" if u.id in mentees else u.name) for u in pick.people
    )
    return pick


def _ticked_choices(form) -> None:
    """For checking a submitted form: the ticked people who exist, not everyone."""
    people = directory.chosen(form.invitees.data, exclude={current_user.id})
    form.invitees.choices = options((u.id, u.name) for u in people)


def _invitees(form) -> list[int]:
    """Ticked people, people named by email, and (if asked) everyone I mentor."""
    ids = list(form.invitees.data or []) + ids_from_emails(form.emails.data)
    if getattr(form, "all_mentees", None) is not None and form.all_mentees.data:
        ids += [m.id for m in active_mentees(current_user.id)]
    return ids


def _utc(local: datetime) -> datetime:
    """A time typed in the viewer's time zone, as an aware datetime."""
    return local.replace(tzinfo=viewer_zone())


def _data(form, lesson_id=None) -> sessions.SessionData:
    return sessions.SessionData(
        title=form.title.data,
        starts_at=_utc(form.starts_at.data),
        duration_minutes=form.duration.data,
        place=form.place.data or "",
        capacity=form.capacity.data,
        lesson_id=lesson_id,
    )


def _form_error(form, exc: DomainError) -> None:
    field = {
        "lesson": "lesson",
        "starts_at": "starts_at",
        "duration": "duration",
        "capacity": "capacity",
        "emails": "emails",
    }.get(exc.field, "invitees")
    getattr(form, field).errors.append(exc.message)


@bp.route("/")
def session_list():
    rows = sessions.sessions_of(current_user.id)
    now = datetime.now(viewer_zone())
    feed = url_for("calendar.feed", token=_feed_token(current_user), _external=True)
    return render_template(
        "sessions/list.html",
        running=[s for s, p in rows if s.mentor_id == current_user.id],
        invited=[(s, p) for s, p in rows if p is not None],
        now=now,
        feed=feed,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = SessionForm()
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.status == LessonStatus.PUBLISHED)
        .order_by((Lesson.author_id != current_user.id), Lesson.title)
    ).all()
    form.lesson.choices = options((lesson.id, lesson.title) for lesson in lessons)
    _ticked_choices(form)
    if request.method == "GET" and request.args.get("lesson", type=int):
        form.lesson.data = request.args.get("lesson", type=int)
    if not form.find.data and form.validate_on_submit():
        try:
            created = sessions.create_session(
                current_user.id, _data(form, form.lesson.data), _invitees(form)
            )
        except DomainError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            flash("Session scheduled. Invitees see it on their dashboard.", "success")
            return redirect(url_for("sessions.detail", session_id=created.id))
    pick = _pick(form, exclude=set())
    return render_template("sessions/new.html", form=form, pick=pick), form_status(form)


@bp.route("/<int:session_id>")
def detail(session_id: int):
    session = _session(session_id)
    manage = session_access.can_manage(current_user, session)
    mine = next((p for p in session.participants if p.mentee_id == current_user.id), None)
    forms = _manage_forms(session) if manage else {}
    return render_template(
        "sessions/detail.html", session=session, manage=manage, mine=mine, **forms
    )


def _manage_forms(session: GroupSession, **given) -> dict:
    invited = {p.mentee_id for p in session.participants if p.status in sessions.OPEN}
    invite = given.get("invite_form") or InviteForm(prefix="invite")
    pick = _pick(invite, exclude=invited)
    coming = [p for p in session.participants if p.status == ParticipantStatus.ACCEPTED]
    attendance = AttendanceForm(prefix="attendance")
    attendance.attended.choices = options((p.mentee_id, p.mentee.name) for p in coming)
    if not attendance.is_submitted():
        attendance.attended.data = [p.mentee_id for p in coming if p.attended]
    notes = given.get("notes_form") or NotesForm(prefix="notes", notes=session.notes)
    local = session.starts_at.astimezone(viewer_zone()).replace(tzinfo=None)
    reschedule = given.get("reschedule_form") or RescheduleForm(
        prefix="edit",
        title=session.title,
        starts_at=local,
        duration=session.duration_minutes,
        place=session.place,
        capacity=session.capacity,
    )
    return {
        "invite_form": invite,
        "pick": pick,
        "attendance_form": attendance,
        "notes_form": notes,
        "reschedule_form": reschedule,
    }


def _back(session: GroupSession, anchor: str | None = None):
    return redirect(url_for("sessions.detail", session_id=session.id, _anchor=anchor))


def _rerender(session: GroupSession, status: int = 422, **given):
    forms = _manage_forms(session, **given)
    return render_template(
        "sessions/detail.html", session=session, manage=True, mine=None, **forms
    ), status


@bp.route("/<int:session_id>/<any(accept, decline):answer>", methods=["POST"])
def respond(session_id: int, answer: str):
    session = _session(session_id)
    try:
        sessions.respond(session, current_user.id, accept=answer == "accept")
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash(
            "See you there! The lesson's tasks are on your list."
            if answer == "accept"
            else "You declined. The mentor can see that you are not coming.",
            "success",
        )
    return _back(session)


@bp.route("/<int:session_id>/invite", methods=["POST"])
def invite(session_id: int):
    session = _session(session_id, manage=True)
    form = InviteForm(prefix="invite")
    if form.find.data:  # the picker's search: show the matches, invite nobody yet
        return _rerender(session, 200, invite_form=form)
    _ticked_choices(form)
    if form.validate_on_submit():
        try:
            sessions.invite(session, _invitees(form))
        except DomainError as exc:
            db.session.rollback()
            (form.emails if exc.field == "emails" else form.invitees).errors.append(exc.message)
        else:
            flash("Invitations sent.", "success")
            return _back(session, "roster")
    return _rerender(sessions.session_page(session_id), invite_form=form)


@bp.route("/<int:session_id>/remove/<int:mentee_id>", methods=["GET", "POST"])
def remove(session_id: int, mentee_id: int):
    session = _session(session_id, manage=True)
    participant = next(
        (p for p in session.participants if p.mentee_id == mentee_id and p.status != "removed"),
        None,
    ) or abort(404)
    if not confirmed():
        return confirm_page(_remove_confirmation(session, participant))
    sessions.remove(session, mentee_id)
    flash(f"{participant.mentee.name} was removed from the session.", "success")
    return _back(session, "roster")


def _remove_confirmation(session: GroupSession, participant) -> Confirmation:
    name = participant.mentee.name
    lost = [f"{name}'s place on the roster of “{session.title}”."]
    if participant.status == ParticipantStatus.ACCEPTED:
        lost.append(f"{name}'s seat: it goes back to the pool for someone else.")
    return Confirmation(
        title=f"Remove {name} from this session?",
        button=f"Remove {name}",
        back=url_for("sessions.detail", session_id=session.id, _anchor="roster"),
        back_label="Keep them",
        lost=lost,
        kept=[f"{name}'s answers to the lesson's tasks and any feedback on them."],
    )


@bp.route("/<int:session_id>/attendance", methods=["POST"])
def attendance(session_id: int):
    session = _session(session_id, manage=True)
    form = AttendanceForm(prefix="attendance")
    form.attended.choices = options((p.mentee_id, p.mentee.name) for p in session.participants)
    if form.validate_on_submit():
        try:
            sessions.record_attendance(session, set(form.attended.data or []))
        except Conflict as exc:
            flash(exc.message, "error")
        else:
            flash("Attendance saved.", "success")
    return _back(session, "attendance")


@bp.route("/<int:session_id>/notes", methods=["POST"])
def notes(session_id: int):
    session = _session(session_id, manage=True)
    form = NotesForm(prefix="notes")
    if not form.validate_on_submit():
        return _rerender(session, notes_form=form)
    sessions.save_notes(session, form.notes.data or "")
    flash("Notes saved and shared with the group.", "success")
    return _back(session, "notes")


@bp.route("/<int:session_id>/edit", methods=["POST"])
def reschedule(session_id: int):
    session = _session(session_id, manage=True)
    form = RescheduleForm(prefix="edit")
    if form.validate_on_submit():
        try:
            sessions.reschedule(session, _data(form))
        except DomainError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            flash("Session updated. Participants see the change; calendars update too.", "success")
            return _back(session)
    return _rerender(sessions.session_page(session_id), reschedule_form=form)


@bp.route("/<int:session_id>/cancel", methods=["GET", "POST"])
def cancel(session_id: int):
    session = _session(session_id, manage=True)
    if session.is_cancelled:
        flash("This session is already cancelled.", "error")
        return _back(session)
    if not confirmed():
        return confirm_page(_cancel_confirmation(session))
    sessions.cancel(session)
    flash("Session cancelled. Participants see it on their dashboard.", "success")
    return _back(session)


def _cancel_confirmation(session: GroupSession) -> Confirmation:
    coming = [p for p in session.participants if p.status == ParticipantStatus.ACCEPTED]
    invited = [p for p in session.participants if p.status == ParticipantStatus.INVITED]
    return Confirmation(
        title=f"Cancel “{session.title}”?",
        button="Cancel the session",
        back=url_for("sessions.detail", session_id=session.id),
        back_label="Keep the session",
        lost=[
            f"The session on {localtime(session.starts_at, '%A %d %B %Y, %H:%M')}: "
            "it cannot be rescheduled once cancelled.",
            f"{len(coming)} accepted seat{'s' if len(coming) != 1 else ''} and "
            f"{len(invited)} open invitation{'s' if len(invited) != 1 else ''}; everyone sees "
            "“Cancelled” on their dashboard and in their calendar.",
        ],
        kept=["The lesson, its tasks and everyone's answers and feedback."],
    )


def _session_url(session: GroupSession) -> str:
    return url_for("sessions.detail", session_id=session.id, _external=True)


@bp.route("/<int:session_id>.ics")
def ics(session_id: int):
    session = _session(session_id)
    body = calendar.calendar([session], _session_url, name=session.title)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="session-{session.id}.ics"'},
    )


def _feed_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="calendar-feed")


def _feed_token(user: User) -> str:
    """The feed's address names the person and their calendar version (raised by a reset)."""
    return _feed_serializer().dumps([user.id, user.calendar_version])


def _feed_owner(token: str) -> User | None:
    try:
        data = _feed_serializer().loads(token)
    except BadSignature:
        return None
    if isinstance(data, int):  # addresses made before resets existed: version 1
        data = [data, 1]
    if not (isinstance(data, list) and len(data) == 2 and all(type(x) is int for x in data)):
        return None
    person = db.session.get(User, data[0])
    if person is None or not person.is_active or person.calendar_version != data[1]:
        return None
    return person


@bp.route("/calendar-link", methods=["GET", "POST"])
def reset_feed():
    """Ask first, then give the person a new feed address (the old one answers 404)."""
    if request.method == "GET":
        return render_template("sessions/reset_feed.html")
    reset_calendar_link(current_user._get_current_object())
    flash("Your calendar address is new. Subscribe to it again in your calendar app.", "success")
    return redirect(url_for("sessions.session_list") + "#feed-h")


@feed_bp.route("/calendar/<token>.ics")
def feed(token: str):
    """A person's upcoming sessions as one feed; the signed token stands in for a sign-in."""
    person = _feed_owner(token) or abort(404)
    body = calendar.calendar(
        sessions.upcoming_for(person.id), _session_url, name=f"Flipside — {person.name}"
    )
    return Response(body, mimetype="text/calendar")
