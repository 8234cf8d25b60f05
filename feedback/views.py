"""Submissions with their feedback, observations, ratings, progress, exports and rubrics."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from feedback import access, coach, reports, rubrics, services
from feedback.forms import (
    AcknowledgeForm,
    CommitmentForm,
    GroupFeedbackForm,
    ObservationTopicForm,
    RatingForm,
    RubricForm,
    SelfAssessmentForm,
    feedback_form,
    scores_from,
)
from feedback.models import Acknowledgement, Feedback
from lessons.models import Lesson
from lessons.services import topic_by_slug
from lessons.sessions import access as session_access
from portal.accounts.models import User
from portal.downloads import attachment
from portal.errors import Conflict, DomainError, NotAllowed
from portal.extensions import db
from portal.topics import Topic, all_topics, topic_choices
from portal.viewkit import coordinator_required, flash_form_errors, form_status, signed_in_only
from portal.widgets import options

bp = Blueprint("feedback", __name__)
signed_in_only(bp)


def _attach(form, exc: DomainError) -> None:
    """Show a service's error beside its field (scores go to the first criterion)."""
    target = form.criterion_fields[0] if exc.field == "scores" else getattr(form, exc.field, None)
    (target.errors if target is not None else form.form_errors).append(exc.message)


def _feedback_data(form, rubric, outcome=None) -> services.FeedbackData:
    return services.FeedbackData(
        scores=scores_from(form, rubric),
        strengths=form.strengths.data or "",
        improvements=form.improvements.data or "",
        next_step=form.next_step.data or "",
        outcome=outcome,
    )


def _coached(form) -> list[coach.Hint]:
    """The feedback coach's hints on the text in the form (advice; never blocks)."""
    return coach.coach(
        form.strengths.data or "", form.improvements.data or "", form.next_step.data or ""
    )


def _sent(message: str, hints: list[coach.Hint]) -> None:
    flash(message, "success")
    if hints:
        many = len(hints) > 1
        flash(
            f"The feedback coach has {len(hints)} suggestion{'s' if many else ''} for next "
            f"time: {'they are' if many else 'it is'} shown with your feedback, only to you.",
            "warning",
        )


# Submissions ------------------------------------------------------------------------------


@bp.route("/submissions/<int:submission_id>", methods=["GET", "POST"])
def submission(submission_id: int):
    item = services.submission_page(submission_id)
    if not access.can_view_submission(current_user, item):
        abort(404)
    rubric = rubrics.current_rubric(item.task.lesson.topic_id)
    reviewing = access.can_review(current_user, item)
    form = feedback_form(rubric, with_outcome=True) if reviewing else None
    hints, checked = None, False
    if request.method == "POST":
        if form is None:
            abort(403)
        hints, checked = _coached(form), bool(form.check.data)
        if not checked and form.validate_on_submit():
            try:
                services.give_feedback(
                    current_user, item, _feedback_data(form, rubric, form.outcome.data)
                )
            except Conflict as exc:
                form.form_errors.append(exc.message + " Your text is kept below.")
            except DomainError as exc:
                _attach(form, exc)
            else:
                _sent(f"Feedback sent to {item.mentee.name}.", hints)
                return redirect(url_for("feedback.submission", submission_id=item.id))
    writing = form is not None and item.status == "submitted"
    claim = services.current_claim(item.id) if writing else None
    feedback = services.thread(item.id)
    if current_user.id == item.mentee_id:
        services.mark_seen(feedback, current_user.id)
    ack_forms = _ack_forms(feedback) if current_user.id == item.mentee_id else {}
    page = render_template(
        "feedback/submission.html",
        submission=item,
        feedback=feedback,
        rubric=rubric,
        claimed_by=claim.reviewer if claim and claim.reviewer_id != current_user.id else None,
        # After a conflict the form stays, with the reviewer's text and the reason.
        form=form if item.status == "submitted" or (form and form.form_errors) else None,
        hints=hints,
        checked=checked,
        ack_forms=ack_forms,
    )
    if writing and (claim is None or claim.reviewer_id == current_user.id):
        services.claim_review(current_user, item)  # after rendering: it ends the transaction
    return page, form_status(form)


# Observations -----------------------------------------------------------------------------


@bp.route("/people/<int:user_id>/observe", methods=["GET", "POST"])
def observe(user_id: int):
    mentee = db.session.get(User, user_id) or abort(404)
    allowed = access.observable_topics(current_user, mentee.id)
    if not allowed:
        abort(404)
    topics = [t for t in all_topics() if t.id in allowed]
    chooser = ObservationTopicForm(request.args, meta={"csrf": False})
    chooser.topic.choices = topic_choices(topics)
    topic_id = chooser.topic.data if chooser.topic.data in {t.id for t in topics} else topics[0].id
    rubric = rubrics.current_rubric(topic_id)
    form = feedback_form(rubric, with_outcome=False)
    hints, checked = None, False
    if form.is_submitted():
        hints, checked = _coached(form), bool(form.check.data)
    if not checked and form.validate_on_submit():
        try:
            services.record_observation(
                current_user, mentee, topic_id, _feedback_data(form, rubric)
            )
        except DomainError as exc:
            _attach(form, exc)
        else:
            _sent(f"Observation recorded for {mentee.name}.", hints)
            return redirect(url_for("feedback.progress_of", user_id=mentee.id))
    return render_template(
        "feedback/observe.html",
        mentee=mentee,
        form=form,
        chooser=chooser,
        rubric=rubric,
        topic=next(t for t in topics if t.id == topic_id),
        hints=hints,
        checked=checked,
    ), form_status(form)


@bp.route("/observations/<int:feedback_id>")
def observation(feedback_id: int):
    """One observation with its conversation: the mentee's and its author's page only."""
    item = services.observation_page(feedback_id)
    if item is None or current_user.id not in {p.id for p in access.observation_conversation(item)}:
        abort(404)
    return render_template("feedback/observation.html", f=item)


# Acknowledgements and commitments ---------------------------------------------------------


def _ack_form(feedback_id: int, **kwargs) -> AcknowledgeForm:
    return AcknowledgeForm(prefix=f"ack-{feedback_id}", **kwargs)


def _ack_forms(feedback: list) -> dict[int, AcknowledgeForm]:
    """An empty "Thanks — I'll try this" form for each piece not yet acknowledged."""
    return {
        f.id: _ack_form(f.id, formdata=None)
        for f in feedback
        if f.acknowledgement is None and f.mentee_id == current_user.id
    }


def _where_shown(feedback: Feedback) -> str:
    if feedback.submission_id:
        return url_for(
            "feedback.submission", submission_id=feedback.submission_id, _anchor=f"fb-{feedback.id}"
        )
    return url_for("feedback.my_progress", _anchor=f"fb-{feedback.id}")


def _own_feedback(feedback: Feedback) -> Feedback:
    """Feedback the signed-in person may act on as its mentee: 404 if they may not see it,
    403 if they see it as someone else (its giver, a mentor, a coordinator)."""
    if not access.can_see_feedback(current_user, feedback):
        abort(404)
    if not access.can_acknowledge(current_user, feedback):
        abort(403)
    return feedback


@bp.route("/feedback/<int:feedback_id>/acknowledge", methods=["GET", "POST"])
def acknowledge(feedback_id: int):
    feedback = _own_feedback(db.session.get(Feedback, feedback_id) or abort(404))
    form = _ack_form(feedback.id)
    if form.validate_on_submit():
        try:
            services.acknowledge(current_user, feedback, form.commitment.data or "")
        except Conflict as exc:
            flash(exc.message, "error")
            return redirect(_where_shown(feedback))
        except DomainError as exc:
            _attach(form, exc)
        else:
            flash(f"Thanks sent to {feedback.author.name}.", "success")
            return redirect(_where_shown(feedback))
    return render_template(
        "feedback/acknowledge.html",
        feedback=feedback,
        form=form if feedback.acknowledgement is None else None,
        back=_where_shown(feedback),
    ), form_status(form)


@bp.route("/commitments/<int:acknowledgement_id>", methods=["POST"])
def commitment(acknowledgement_id: int):
    acknowledgement = db.session.get(Acknowledgement, acknowledgement_id) or abort(404)
    _own_feedback(acknowledgement.feedback)
    form = CommitmentForm()
    if form.validate_on_submit():
        done = form.done.data == "1"
        try:
            services.mark_commitment(current_user, acknowledgement, done)
        except Conflict as exc:
            flash(exc.message, "error")
        else:
            flash(
                "Commitment marked done — well kept." if done else "Commitment open again.",
                "success",
            )
    return redirect(url_for("feedback.my_progress", _anchor=f"commitment-{acknowledgement.id}"))


# Ratings ----------------------------------------------------------------------------------


@bp.route("/lessons/<int:lesson_id>/rate", methods=["POST"])
def rate(lesson_id: int):
    lesson = db.session.get(Lesson, lesson_id) or abort(404)
    if not lesson.is_published:
        abort(404)
    form = RatingForm(prefix="rating")
    if not form.validate_on_submit():
        flash("Choose a rating from 1 to 5 for both questions.", "error")
    else:
        services.rate_lesson(
            current_user.id,
            lesson,
            form.helpfulness.data,
            form.clarity.data,
            form.comment.data or "",
        )
        flash("Thank you — your rating helps the author.", "success")
    return redirect(url_for("lessons.detail", lesson_id=lesson.id, _anchor="rate"))


# Progress ---------------------------------------------------------------------------------


def _progress_page(person: User, assess_form=None):
    shown = access.visible_topics(current_user, person.id)
    observations = services.observations_for(person.id, shown)
    return render_template(
        "feedback/progress.html",
        person=person,
        topics=reports.charted_progress(person.id, shown),
        assess_form=assess_form,
        observations=observations,
        discussed=access.discussed_observations(current_user, person.id, observations),
        ack_forms=_ack_forms(observations),
        commitments=services.commitments_for(person.id, shown),
        can_observe=access.can_observe(current_user, person.id),
        partial=shown is not None,
        viewers=access.who_can_see(person.id) if person.id == current_user.id else None,
    ), form_status(assess_form)


@bp.route("/progress/", methods=["GET", "POST"])
def my_progress():
    form = SelfAssessmentForm(prefix="self")
    form.topic.choices = options(
        (t.id, t.name) for t in db.session.scalars(db.select(Topic).order_by(Topic.name))
    )
    if form.validate_on_submit():
        services.assess_self(
            current_user.id, form.topic.data, form.confidence.data, form.note.data or ""
        )
        flash("Self-assessment recorded.", "success")
        return redirect(url_for("feedback.my_progress"))
    return _progress_page(current_user, form)


def _person_for_progress(user_id: int, export: bool = False) -> User:
    """The person whose record is asked for, if the viewer may see it; else 404."""
    person = db.session.get(User, user_id) or abort(404)
    allowed = access.can_export if export else access.can_view_progress
    if not allowed(current_user, person.id):
        abort(404)
    return person


@bp.route("/progress/<int:user_id>")
def progress_of(user_id: int):
    person = _person_for_progress(user_id)
    if person.id == current_user.id:
        return redirect(url_for("feedback.my_progress"))
    return _progress_page(person)


@bp.route("/progress/<int:user_id>/<any(feedback, progress):kind>.csv")
def export(user_id: int, kind: str):
    person = _person_for_progress(user_id, export=True)
    body = (
        reports.feedback_csv(person.id) if kind == "feedback" else reports.progress_csv(person.id)
    )
    filename = f"flipside-{kind}-{person.name.lower().replace(' ', '-')}.csv"
    return attachment(body, filename, "text/csv")


# Rubrics ----------------------------------------------------------------------------------


@bp.route("/topics/<slug>/rubric", methods=["GET", "POST"])
def edit_rubric(slug: str):
    coordinator_required()
    topic = topic_by_slug(slug)
    rubric = rubrics.current_rubric(topic.id)
    form = RubricForm()
    if not form.is_submitted():
        for entry, criterion in zip(form.criteria.entries, rubric.criteria, strict=False):
            entry.form.name.data, entry.form.description.data = (
                criterion.name,
                criterion.description,
            )
            for level in criterion.levels:
                entry.form[f"level_{level.level}"].data = level.descriptor
    if form.validate_on_submit():
        data = [
            rubrics.CriterionData(
                e.form.name.data,
                e.form.description.data or "",
                tuple(e.form[f"level_{n}"].data for n in (1, 2, 3, 4)),
            )
            for e in form.criteria.entries
            if (e.form.name.data or "").strip()
        ]
        new = rubrics.save_rubric(topic.id, current_user.id, data)
        flash(
            f"Rubric saved as version {new.version}. Feedback already given keeps its version.",
            "success",
        )
        return redirect(url_for("topics.topic_detail", slug=topic.slug))
    return render_template(
        "feedback/rubric_edit.html", topic=topic, rubric=rubric, form=form
    ), form_status(form)


# Group sessions ---------------------------------------------------------------------------


def _group_session(session_id: int):
    from lessons.sessions import services as sessions

    session = sessions.session_page(session_id)
    if not session_access.can_view(current_user, session):
        abort(404)
    return session


@bp.route("/sessions/<int:session_id>/group-feedback", methods=["POST"])
def group_feedback(session_id: int):
    session = _group_session(session_id)
    if current_user.id != session.mentor_id:
        abort(403)
    form = GroupFeedbackForm(prefix="group")
    if form.validate_on_submit():
        services.give_group_feedback(current_user, session, form.went_well.data, form.work_on.data)
        flash("Group feedback shared with every participant.", "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("sessions.detail", session_id=session.id, _anchor="group-feedback"))


@bp.route("/sessions/<int:session_id>/rate", methods=["POST"])
def rate_session(session_id: int):
    session = _group_session(session_id)
    form = RatingForm(prefix="rating")
    if not form.validate_on_submit():
        flash("Choose a rating from 1 to 5 for both questions.", "error")
    else:
        try:
            services.rate_session(
                current_user.id,
                session,
                form.helpfulness.data,
                form.clarity.data,
                form.comment.data or "",
            )
        except DomainError as exc:
            if isinstance(exc, NotAllowed):
                raise
            flash(exc.message, "error")
        else:
            flash("Thank you — your rating helps the mentor.", "success")
    return redirect(url_for("sessions.detail", session_id=session.id, _anchor="rate"))


# Program evaluation -----------------------------------------------------------------------


@bp.route("/programs/<int:program_id>/report", methods=["GET", "POST"])
def program_report(program_id: int):
    from feedback import program_report as evaluation
    from portal.programs.forms import ReflectionForm
    from portal.programs.services import program_or_404, save_reflection

    coordinator_required()
    program = program_or_404(program_id)
    form = ReflectionForm(prefix="reflection", reflection=program.closing_reflection)
    if form.validate_on_submit():
        save_reflection(program, form.reflection.data or "")
        flash("Closing reflection saved.", "success")
        return redirect(
            url_for("feedback.program_report", program_id=program.id, _anchor="reflection")
        )
    computed_at, report = evaluation.cached_report(program)
    goal_chart, progress_chart = evaluation.report_charts(program, report)
    return render_template(
        "feedback/program_report.html",
        program=program,
        report=report,
        computed_at=computed_at,
        form=form,
        goal_chart=goal_chart,
        progress_chart=progress_chart,
    ), form_status(form)


@bp.route("/programs/<int:program_id>/report/<any(matches, participation, goal):kind>.csv")
def program_csv(program_id: int, kind: str):
    from feedback import program_report as evaluation
    from portal.programs.services import program_page

    coordinator_required()
    program = program_page(program_id)
    return attachment(
        evaluation.csv_for(program, kind), f"program-{program.id}-{kind}.csv", "text/csv"
    )


@bp.route("/programs/overview")
def programs_overview():
    """Programs side by side, for coordinators: filter by focus and year; CSV with ?csv=1."""
    from feedback import charts, overview
    from portal.downloads import csv_text
    from portal.programs.models import FOCUS_LABELS, Program

    coordinator_required()
    focus = request.args.get("focus") or None
    if focus not in FOCUS_LABELS:
        focus = None
    year = request.args.get("year", type=int)
    rows, changes = overview.overview(focus, year)
    if request.args.get("format") == "csv":
        return attachment(csv_text(overview.csv_rows(rows)), "programs-overview.csv", "text/csv")
    years = sorted({d.year for d in db.session.scalars(select(Program.starts_on))}, reverse=True)
    chart = charts.bar_chart(
        "overview-adherence",
        "Check-ins held of those expected, per program",
        "Each program's check-in adherence in percent; the programs are listed in the table "
        "below with every figure.",
        [(_short(r.program.name), r.adherence) for r in rows if r.adherence is not None],
        100,
    )
    return render_template(
        "feedback/programs_overview.html",
        rows=rows,
        changes=changes,
        chart=chart,
        focus=focus,
        year=year,
        years=years,
        labels=FOCUS_LABELS,
    )


def _short(name: str, width: int = 22) -> str:
    """A chart label that fits beside its bar (the table below gives the whole name)."""
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"
