"""Program pages for check-ins, workload, kudos and surveys (routes on the programs blueprint),
and the public survey page that needs no account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from portal.errors import DomainError
from portal.extensions import db
from portal.programs import services as programs
from portal.programs import surveys
from portal.programs.forms import EmailLinksForm, LinksForm, SurveyForm
from portal.programs.models import Survey
from portal.programs.views import bp
from portal.viewkit import coordinator_required, form_status
from portal.widgets import options

public = Blueprint("surveys", __name__, url_prefix="/surveys")


@bp.route("/<int:program_id>/surveys", methods=["GET", "POST"])
def survey_list(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    form = SurveyForm(prefix="survey")
    form.subject.choices = options(
        (m.user_id, m.user.name) for m in program.members if m.role == "mentee"
    )
    if not form.is_submitted():  # the previous cohort's questions, so that cohorts compare
        reused = surveys.questions_to_reuse(program)
        form.questions.data = "\n".join(reused or surveys.LEADERSHIP_TEMPLATE)
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
    ), form_status(form)


def _survey(program_id: int, survey_id: int) -> tuple:
    coordinator_required()
    program = programs.program_page(program_id)
    survey = db.session.get(Survey, survey_id)
    if survey is None or survey.program_id != program.id:
        abort(404)
    return program, survey


@bp.route("/<int:program_id>/surveys/<int:survey_id>", methods=["GET", "POST"])
def survey_detail(program_id: int, survey_id: int):
    program, survey = _survey(program_id, survey_id)
    form, links = LinksForm(prefix="links"), None
    email_form = EmailLinksForm(prefix="email")
    emailing = "email-addresses" in request.form  # which of the page's two forms was sent
    if emailing and email_form.validate_on_submit():
        sent = surveys.email_links(survey, program.name, email_form.addresses.addresses)
        flash(
            f"{sent} link{'s are' if sent != 1 else ' is'} on the way, one per address. "
            "The addresses are not kept.",
            "success",
        )
        return redirect(
            url_for("programs.survey_detail", program_id=program.id, survey_id=survey.id)
        )
    if not emailing and form.validate_on_submit():
        tokens = surveys.issue_links(survey, form.count.data)
        links = [url_for("surveys.respond", token=t, _external=True) for t in tokens]
    return render_template(
        "programs/survey.html",
        program=program,
        survey=survey,
        form=form,
        email_form=email_form,
        links=links,
        results=surveys.results(survey),
        minimum=surveys.MIN_RESPONSES,
        batch=surveys.BATCH,
    ), form_status(form, email_form)


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
            return render_template("surveys/thanks.html")
    return render_template(
        "surveys/answer.html", survey=survey, errors=errors, given=request.form
    ), 422 if errors else 200
