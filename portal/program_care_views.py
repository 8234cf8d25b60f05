"""Program pages for check-ins, workload, kudos and surveys (routes on the programs blueprint),
and the public survey page that needs no account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal import program_care, programs, surveys
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import options
from portal.models import User
from portal.program_forms import CheckInForm, KudosForm, LinksForm, SurveyForm, WorkLogForm
from portal.program_models import Match, MemberStatus, Survey
from portal.program_views import _coordinator, _program, _status, bp

public = Blueprint("surveys", __name__, url_prefix="/surveys")
kudos_bp = Blueprint("kudos", __name__)


@bp.route("/<int:program_id>/checkins/<int:match_id>", methods=["GET", "POST"])
def checkin(program_id: int, match_id: int):
    _coordinator()
    program = programs.program_page(program_id)
    match = db.session.get(Match, match_id)
    if match is None or match.program_id != program.id:
        abort(404)
    form = CheckInForm()
    if form.validate_on_submit():
        data = program_care.CheckInData(
            form.held_on.data,
            form.what_works.data,
            form.what_does_not.data,
            form.actions.data,
            form.private_notes.data or "",
        )
        try:
            program_care.record_checkin(program, match, current_user, data)
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
        history=program_care.checkins_of(match.id),
    ), _status(form)


@bp.route("/<int:program_id>/hours", methods=["POST"])
def log_hours(program_id: int):
    program = _program(program_id)
    member = programs.member_of(program, current_user.id)
    if member is None or member.role != "mentor" or member.status != MemberStatus.ACCEPTED:
        abort(403)
    form = WorkLogForm(prefix="hours")
    if form.validate_on_submit():
        try:
            program_care.log_hours(program, current_user.id, form.week.data, float(form.hours.data))
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash("Hours logged. Thank you — this keeps mentoring sustainable.", "success")
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("programs.detail", program_id=program.id, _anchor="hours"))


@bp.route("/<int:program_id>/surveys", methods=["GET", "POST"])
def survey_list(program_id: int):
    _coordinator()
    program = programs.program_page(program_id)
    form = SurveyForm(prefix="survey")
    form.subject.choices = options(
        (m.user_id, m.user.name) for m in program.members if m.role == "mentee"
    )
    if not form.is_submitted():
        form.questions.data = "\n".join(surveys.LEADERSHIP_TEMPLATE)
    if form.validate_on_submit():
        try:
            survey = surveys.create_survey(
                program,
                form.subject.data,
                form.title.data,
                form.phase.data,
                form.questions.data.splitlines(),
            )
        except DomainError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash("Survey created. Make single-use links to hand out.", "success")
            return redirect(
                url_for("programs.survey_detail", program_id=program.id, survey_id=survey.id)
            )
    listed = [(s, surveys.results(s)) for s in surveys.surveys_of(program.id)]
    return render_template(
        "programs/surveys.html",
        program=program,
        form=form,
        listed=listed,
        minimum=surveys.MIN_RESPONSES,
    ), _status(form)


def _survey(program_id: int, survey_id: int) -> tuple:
    _coordinator()
    program = programs.program_page(program_id)
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.program_id != program.id:
        abort(404)
    return program, survey


@bp.route("/<int:program_id>/surveys/<int:survey_id>", methods=["GET", "POST"])
def survey_detail(program_id: int, survey_id: int):
    program, survey = _survey(program_id, survey_id)
    form, links = LinksForm(prefix="links"), None
    if form.validate_on_submit():
        tokens = surveys.issue_links(survey, form.count.data)
        links = [url_for("surveys.respond", token=t, _external=True) for t in tokens]
    return render_template(
        "programs/survey.html",
        program=program,
        survey=survey,
        form=form,
        links=links,
        results=surveys.results(survey),
        minimum=surveys.MIN_RESPONSES,
    ), _status(form)


@bp.route("/<int:program_id>/surveys/<int:survey_id>/named", methods=["POST"])
def survey_named(program_id: int, survey_id: int):
    program, survey = _survey(program_id, survey_id)
    try:
        surveys.set_named(survey, request.form.get("named") == "1")
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(
            "Respondents now give their name." if survey.named else "The survey is anonymous.",
            "success",
        )
    return redirect(url_for("programs.survey_detail", program_id=program.id, survey_id=survey.id))


@public.route("/r/<token>", methods=["GET", "POST"])
def respond(token: str):
    """Answer a survey from a single-use link; no account, nothing that identifies you."""
    survey = surveys.survey_for_token(token)  # 404 unknown, 410 used: a clear page either way
    errors = []
    if request.method == "POST":
        values = {}
        for q in survey.questions:
            raw = request.form.get(f"q{q.id}", "")
            if raw not in {"1", "2", "3", "4", "5"}:
                errors.append(q.id)
            else:
                values[q.id] = int(raw)
        if not errors:
            surveys.answer(token, values, request.form.get("name") if survey.named else None)
            return render_template("programs/survey_thanks.html")
    return render_template(
        "programs/survey_answer.html", survey=survey, errors=errors, given=request.form
    ), 422 if errors else 200


@kudos_bp.route("/people/<int:user_id>/kudos", methods=["POST"])
@login_required
def send_kudos(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    if not current_user.is_coordinator:
        abort(403)
    form = KudosForm(prefix="kudos")
    if form.validate_on_submit():
        try:
            program_care.give_kudos(current_user, person, form.message.data)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Kudos sent; it shows on {person.name}'s profile.", "success")
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("accounts.profile", user_id=person.id, _anchor="kudos"))
