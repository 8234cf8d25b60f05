"""Program pages for check-ins and workload (routes on the programs blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.errors import DomainError
from portal.extensions import db
from portal.programs import access, care
from portal.programs import services as programs
from portal.programs.forms import CheckInForm, WorkLogForm
from portal.programs.models import Match
from portal.programs.views import _program, bp
from portal.viewkit import coordinator_required, flash_form_errors, form_status


@bp.route("/<int:program_id>/checkins/<int:match_id>", methods=["GET", "POST"])
def checkin(program_id: int, match_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    match = db.session.get(Match, match_id)
    if match is None or match.program_id != program.id:
        abort(404)
    form = CheckInForm()
    if form.validate_on_submit():
        data = care.CheckInData(
            form.held_on.data,
            form.what_works.data,
            form.what_does_not.data,
            form.actions.data,
            form.private_notes.data or "",
        )
        try:
            care.record_checkin(program, match, current_user, data)
        except DomainError as exc:
            getattr(form, exc.field or "what_works").errors.append(exc.message)
        else:
            flash("Check-in recorded.", "success")
            return redirect(url_for("programs.checkin", program_id=program.id, match_id=match.id))
    return render_template(
        "programs/checkin.html",
        program=program,
        match=match,
        form=form,
        history=care.checkins_of(match.id),
    ), form_status(form)


@bp.route("/<int:program_id>/hours", methods=["POST"])
def log_hours(program_id: int):
    program = _program(program_id)
    if not access.can_log_hours(current_user, program):
        abort(403)
    form = WorkLogForm(prefix="hours")
    if form.validate_on_submit():
        try:
            entry = care.log_hours(program, current_user.id, form.week.data, float(form.hours.data))
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            over = entry.hours > program.weekly_hours_limit
            flash(
                f"Hours logged: {entry.hours:g} h for the week of {entry.week_start:%d %b %Y}."
                + (
                    f" That is over the {program.weekly_hours_limit:g} h limit; your coordinator"
                    " sees it and can help lighten the load."
                    if over
                    else " Thank you — this keeps mentoring sustainable."
                ),
                "warning" if over else "success",
            )
    else:
        flash_form_errors(form)
    return redirect(url_for("programs.detail", program_id=program.id, _anchor="hours"))
