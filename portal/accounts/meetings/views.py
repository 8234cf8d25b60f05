"""A pair's meetings: schedule, the meeting's page, move, cancel, notes, action items, .ics."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.accounts import access
from portal.accounts.meetings import agendas, calendar, places
from portal.accounts.meetings import services as meetings
from portal.accounts.meetings.forms import (
    ActionItemForm,
    MeetingForm,
    NotesForm,
    PrivateNoteForm,
    RescheduleForm,
)
from portal.accounts.meetings.models import Meeting
from portal.accounts.models import Mentorship
from portal.downloads import attachment
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.hooks import viewer_zone
from portal.viewkit import Confirmation, confirm_page, confirmed, form_status, signed_in_only
from portal.widgets import options

bp = Blueprint("meetings", __name__)
signed_in_only(bp)


def _mentorship(mentorship_id: int) -> Mentorship:
    mentorship = db.session.get(Mentorship, mentorship_id) or abort(404)
    if not access.is_party(current_user, mentorship):
        abort(404)
    return mentorship


def _meeting(meeting_id: int) -> Meeting:
    """The meeting, to the two people in its mentorship; to anyone else it does not exist."""
    meeting = meetings.meeting_page(meeting_id) or abort(404)
    if not access.can_view_meeting(current_user, meeting):
        abort(404)
    return meeting


def _local(moment: datetime) -> datetime:
    return moment.astimezone(viewer_zone()).replace(tzinfo=None)


def _data(form) -> meetings.MeetingData:
    return meetings.MeetingData(
        starts_at=form.starts_at.data.replace(tzinfo=viewer_zone()),
        duration_minutes=form.duration_minutes.data,
        place=form.place.data or "",
        agenda=form.agenda.data or "",
    )


def _field_error(form, exc: DomainError, default: str) -> None:
    name = exc.field if exc.field and exc.field in form else default
    form[name].errors.append(exc.message)


@bp.route("/mentorships/<int:mentorship_id>/meetings/new", methods=["GET", "POST"])
def new(mentorship_id: int):
    mentorship = _mentorship(mentorship_id)
    if not access.can_schedule_meeting(current_user, mentorship):
        flash("Meetings are for active mentorships.", "error")
        return redirect(url_for("accounts.mentorship_page", mentorship_id=mentorship.id))
    form = MeetingForm()
    held = len(meetings.meetings_of(mentorship.id))
    chosen = request.args.get("agenda") or agendas.default_key(held)
    if not form.is_submitted():
        form.agenda.data = agendas.agenda_text(chosen, held)
    if form.validate_on_submit():
        try:
            meeting = meetings.schedule(current_user, mentorship, _data(form))
        except DomainError as exc:
            db.session.rollback()
            _field_error(form, exc, "starts_at")
        else:
            other = mentorship.other(current_user.id).name
            flash(f"Meeting scheduled. {other} is invited, with a calendar file.", "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template(
        "meetings/new.html", m=mentorship, form=form, agendas=agendas.AGENDAS, chosen=chosen
    ), form_status(form)


def _action_form(meeting: Meeting, form: ActionItemForm | None = None) -> ActionItemForm:
    form = form or ActionItemForm(prefix="action")
    m = meeting.mentorship
    form.owner.choices = options(
        (p.id, "You" if p.id == current_user.id else p.name) for p in (m.mentee, m.mentor)
    )
    return form


def _detail(meeting: Meeting, **given):
    note = meetings.private_note(meeting.id, current_user)
    forms = {
        "notes_form": given.get("notes_form") or NotesForm(prefix="notes", notes=meeting.notes),
        "private_form": given.get("private_form")
        or PrivateNoteForm(prefix="private", body=note.body if note else ""),
        "action_form": _action_form(meeting, given.get("action_form")),
    }
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        m=meeting.mentorship,
        note=note,
        link=places.link_of(meeting.place),
        can_change=access.can_change_meeting(current_user, meeting),
        can_write=access.can_write_notes(current_user, meeting),
        today=datetime.now(viewer_zone()).date(),
        **forms,
    ), form_status(*forms.values())


@bp.route("/meetings/<int:meeting_id>")
def detail(meeting_id: int):
    return _detail(_meeting(meeting_id))


def _changeable(meeting_id: int) -> Meeting:
    meeting = _meeting(meeting_id)
    if not access.can_change_meeting(current_user, meeting):
        abort(403)
    return meeting


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting = _changeable(meeting_id)
    form = RescheduleForm(
        starts_at=_local(meeting.starts_at),
        duration_minutes=meeting.duration_minutes,
        place=meeting.place,
        agenda=meeting.agenda,
    )
    if form.validate_on_submit():
        try:
            moved = meetings.reschedule(current_user, meeting, _data(form))
        except DomainError as exc:
            db.session.rollback()
            _field_error(form, exc, "starts_at")
        else:
            other = meeting.mentorship.other(current_user.id).name
            flash(
                f"Meeting moved. {other} is told, with an updated calendar file."
                if moved
                else "Agenda saved.",
                "success",
            )
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/edit.html", meeting=meeting, form=form), form_status(form)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id: int):
    """Ask first, saying what goes; only the confirmed POST cancels."""
    meeting = _changeable(meeting_id)
    if not confirmed():
        return confirm_page(_cancel_confirmation(meeting))
    try:
        meetings.cancel(current_user, meeting)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash("Meeting cancelled.", "success")
    return redirect(url_for("accounts.mentorship_page", mentorship_id=meeting.mentorship_id))


def _cancel_confirmation(meeting: Meeting) -> Confirmation:
    other = meeting.mentorship.other(current_user.id).name
    lost = [
        "The meeting in both calendars: the calendar file and the email to "
        f"{other} mark it cancelled.",
        "Notes and action items can no longer be added to it.",
    ]
    if meeting.took_place:
        lost.append("It no longer counts as a check-in for your program.")
    return Confirmation(
        title=f"Cancel your meeting with {other}?",
        button="Cancel meeting",
        back=url_for("meetings.detail", meeting_id=meeting.id),
        back_label="Keep the meeting",
        lost=lost,
        kept=["The agenda, shared notes, action items and your private notes stay readable."],
    )


@bp.route("/meetings/<int:meeting_id>.ics")
def ics(meeting_id: int):
    meeting = _meeting(meeting_id)
    url = url_for("meetings.detail", meeting_id=meeting.id, _external=True)
    return attachment(
        calendar.ics(meeting, current_user, url), f"meeting-{meeting.id}.ics", "text/calendar"
    )


def _writable(meeting_id: int) -> Meeting:
    meeting = _meeting(meeting_id)
    if not access.can_write_notes(current_user, meeting):
        abort(403)
    return meeting


def _back(meeting: Meeting, anchor: str):
    return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor=anchor))


@bp.route("/meetings/<int:meeting_id>/notes", methods=["POST"])
def save_notes(meeting_id: int):
    meeting = _writable(meeting_id)
    form = NotesForm(prefix="notes")
    if not form.validate_on_submit():
        return _detail(meeting, notes_form=form)
    meetings.save_notes(current_user, meeting, form.notes.data or "")
    flash("Shared notes saved.", "success")
    return _back(meeting, "notes")


@bp.route("/meetings/<int:meeting_id>/private", methods=["POST"])
def save_private(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = PrivateNoteForm(prefix="private")
    if not form.validate_on_submit():
        return _detail(meeting, private_form=form)
    meetings.save_private_note(current_user, meeting, form.body.data or "")
    flash("Your private notes are saved. Only you can read them.", "success")
    return _back(meeting, "private")


@bp.route("/meetings/<int:meeting_id>/actions", methods=["POST"])
def add_action(meeting_id: int):
    meeting = _writable(meeting_id)
    form = _action_form(meeting, ActionItemForm(prefix="action"))
    if form.validate_on_submit():
        try:
            meetings.add_action_item(
                current_user, meeting, form.owner.data, form.text.data, form.due_on.data
            )
        except DomainError as exc:
            db.session.rollback()
            _field_error(form, exc, "text")
        else:
            flash("Action item added.", "success")
            return _back(meeting, "actions")
    return _detail(meeting, action_form=form)


@bp.route(
    "/meetings/<int:meeting_id>/actions/<int:item_id>/<any(done, undo):action>", methods=["POST"]
)
def tick(meeting_id: int, item_id: int, action: str):
    meeting = _meeting(meeting_id)
    item = meetings.item_of(meeting, item_id) or abort(404)
    meetings.set_done(current_user, item, done=action == "done")
    flash("Ticked off." if action == "done" else "Marked as not done yet.", "success")
    return _back(meeting, "actions")
