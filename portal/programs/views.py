"""Programs: the coordinator's admin pages, and each participant's own view."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.accounts import directory
from portal.accounts.services import ids_from_emails
from portal.errors import Conflict, DomainError
from portal.extensions import db
from portal.programs import access, surveys
from portal.programs import care as program_care
from portal.programs import services as programs
from portal.programs.forms import (
    AnswerForm,
    InviteForm,
    NextCohortForm,
    PreferenceForm,
    ProgramForm,
    SwapForm,
    WorkLogForm,
)
from portal.programs.models import FOCUS_LABELS, Member, MemberStatus, Program, ProgramStatus
from portal.topics import topic_choices
from portal.viewkit import (
    Confirmation,
    confirm_page,
    confirmed,
    coordinator_required,
    form_status,
    signed_in_only,
)
from portal.widgets import options

bp = Blueprint("programs", __name__, url_prefix="/programs")
signed_in_only(bp)


def _program(program_id: int) -> Program:
    program = programs.program_page(program_id)
    if not access.can_view(current_user, program):
        abort(404)
    return program


STATES = {
    "active": "Active",
    "planning": "Planning",
    "closed": "Closed",
    "archived": "Archived",
}


@bp.route("/")
def program_list():
    """Programs by state (tabs); archived ones only for coordinators."""
    query = select(Program).order_by(Program.starts_on.desc())
    if not current_user.is_coordinator:
        query = query.join(Member).where(
            Member.user_id == current_user.id, Program.archived_at.is_(None)
        )
    everything = db.session.scalars(query).all()
    states = {k: v for k, v in STATES.items() if k != "archived" or current_user.is_coordinator}
    counts = {state: sum(1 for p in everything if p.state == state) for state in states}
    state = request.args.get("state")
    if state not in states:
        state = next((s for s in states if counts[s]), "active")
    return render_template(
        "programs/list.html",
        programs=[p for p in everything if p.state == state],
        state=state,
        states=states,
        counts=counts,
        labels=FOCUS_LABELS,
    )


@bp.route("/<int:program_id>/next", methods=["GET", "POST"])
def next_cohort(program_id: int):
    """Start the next cohort: the program again, in planning, with new dates."""
    coordinator_required()
    previous = programs.program_page(program_id)
    measured = surveys.latest_measurement(previous)
    form = NextCohortForm()
    form.invite.choices = options(programs.INVITE_CHOICES.items())
    if not form.is_submitted():
        form.name.data = f"{previous.name} (next cohort)"
        form.goal_baseline.data = measured if measured is not None else previous.goal_baseline
    if form.validate_on_submit():
        data = programs.NextCohort(
            name=form.name.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            goal_baseline=float(form.goal_baseline.data)
            if form.goal_baseline.data is not None
            else None,
            invite=form.invite.data,
        )
        try:
            program = programs.start_next_cohort(previous, current_user, data)
        except DomainError as exc:
            getattr(form, exc.field or "name").errors.append(exc.message)
        else:
            flash(f"“{program.name}” is in planning. Check its goal and dates.", "success")
            return redirect(url_for("programs.detail", program_id=program.id))
    return render_template(
        "programs/next_cohort.html", form=form, previous=previous, measured=measured
    ), form_status(form)


@bp.post("/<int:program_id>/<any(archive, restore):action>")
def archive(program_id: int, action: str):
    coordinator_required()
    program = programs.program_page(program_id)
    try:
        programs.set_archived(program, action == "archive")
    except Conflict as exc:
        flash(exc.message, "error")
        return redirect(url_for("programs.detail", program_id=program.id))
    flash(
        f"“{program.name}” is archived: only coordinators see it now."
        if action == "archive"
        else f"“{program.name}” is restored.",
        "success",
    )
    return redirect(url_for("programs.detail", program_id=program.id))


def _data(form: ProgramForm) -> programs.ProgramData:
    number = lambda d: float(d) if d is not None else None  # noqa: E731
    return programs.ProgramData(
        name=form.name.data,
        focus=form.focus.data,
        goal_statement=form.goal_statement.data,
        goal_metric=form.goal_metric.data or "",
        goal_baseline=number(form.goal_baseline.data),
        goal_target=number(form.goal_target.data),
        target_kind=form.target_kind.data,
        goal_achievable=form.goal_achievable.data or "",
        goal_relevant=form.goal_relevant.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        checkin_weeks=form.checkin_weeks.data,
        weekly_hours_limit=float(form.weekly_hours_limit.data),
        evaluation_coverage=form.evaluation_coverage.data or 50,
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"program_id": None})
@bp.route("/<int:program_id>/edit", methods=["GET", "POST"])
def edit(program_id: int | None):
    coordinator_required()
    program = programs.program_page(program_id) if program_id else None
    form = ProgramForm(obj=program)
    if form.validate_on_submit():
        try:
            program = programs.save_program(program, _data(form), current_user.id)
        except DomainError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash("Program saved.", "success")
            return redirect(url_for("programs.detail", program_id=program.id))
    return render_template("programs/edit.html", form=form, program=program), form_status(form)


@bp.route("/<int:program_id>")
def detail(program_id: int):
    program = _program(program_id)
    if current_user.is_coordinator:
        return _admin_page(program)
    return _participant_page(program)


def _admin_page(program: Program, invite_form: InviteForm | None = None):
    invite_form = invite_form or InviteForm(prefix="invite", q=request.args.get("invite-q"))
    invited = {m.user_id for m in program.members} | programs.excluded_from_invitations(program)
    # A search among everyone, not a checkbox per person: the ticked ones stay ticked.
    pick = directory.pick(invite_form.q.data, invite_form.people.data, exclude=invited)
    invite_form.people.choices = options(
        (u.id, f"{u.name} — {u.job_title or 'no title'}, level {u.seniority}") for u in pick.people
    )
    return render_template(
        "programs/admin.html",
        program=program,
        invite_form=invite_form,
        pick=pick,
        waiting=[m for m in program.members if m.status == MemberStatus.INVITED],
        checkins=program_care.checkin_status(program),
        workloads=program_care.workloads(
            program,
            [m.user for m in programs.accepted_mentors(program)],
        ),
    ), form_status(invite_form)


def _participant_page(program: Program, answer_form=None, preference_form=None):
    member = programs.member_of(program, current_user.id)
    answer_form = answer_form or AnswerForm(prefix="answer")
    answer_form.topics.choices = topic_choices()
    answer_form.topics.label.text = (
        "Topics I can teach" if member.role == "mentor" else "Topics I want to learn"
    )
    preference_form = preference_form or PreferenceForm(prefix="rank")
    choices = programs.candidates(program, member)
    for field in (preference_form.rank_1, preference_form.rank_2, preference_form.rank_3):
        field.choices = options([(0, "— nobody —")] + [(m.user_id, m.user.name) for m in choices])
    if not preference_form.is_submitted():
        for pref in programs.preferences_of(program.id, current_user.id):
            preference_form[f"rank_{pref.rank}"].data = pref.chosen_id
    can_log = access.can_log_hours(current_user, program)
    my_pairs = [
        c
        for c in program_care.checkin_status(program)
        if current_user.id in (c.match.mentor_id, c.match.mentee_id)
    ]
    return render_template(
        "programs/participant.html",
        program=program,
        member=member,
        answer_form=answer_form,
        preference_form=preference_form,
        my_pairs=my_pairs,
        # Once a pair is confirmed, ranking is over (the service refuses it too).
        ranking_open=not programs.is_matched(program.id, current_user.id),
        hours_form=WorkLogForm(prefix="hours") if can_log else None,
        my_hours=program_care.workloads(program, [current_user])[0].weeks if can_log else [],
        choices=choices,
    ), form_status(answer_form, preference_form)


@bp.route("/<int:program_id>/status", methods=["POST"])
def advance(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    if program.status == ProgramStatus.ACTIVE:  # closing cannot be undone: ask first
        return redirect(url_for("programs.close", program_id=program_id))
    program = programs.advance(program)
    flash(f"The program is now {program.status}.", "success")
    return redirect(url_for("programs.detail", program_id=program_id))


@bp.route("/<int:program_id>/close", methods=["GET", "POST"])
def close(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    if program.status != ProgramStatus.ACTIVE:
        flash("Only a running program can be closed.", "error")
        return redirect(url_for("programs.detail", program_id=program_id))
    if not confirmed():
        return confirm_page(
            Confirmation(
                title=f"Close “{program.name}”?",
                button="Close the program",
                back=url_for("programs.detail", program_id=program_id),
                back_label="Keep it running",
                lost=[
                    "Closing is final: the program cannot be reopened.",
                    "Check-ins and weekly hours can no longer be recorded, and overdue "
                    "check-ins stop showing on your dashboard.",
                ],
                kept=[
                    "Its mentorships go on; the people in them end them when they are done.",
                    "The evaluation report, surveys and everything recorded so far.",
                ],
            )
        )
    program = programs.advance(program)
    flash("The program is closed. Its evaluation report stays available.", "success")
    return redirect(url_for("programs.detail", program_id=program_id))


@bp.route("/<int:program_id>/invite", methods=["POST"])
def invite(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    form = InviteForm(prefix="invite")
    if form.find.data:  # the picker's search: show the matches, invite nobody yet
        return _admin_page(program, form)
    form.people.choices = options((u.id, u.name) for u in directory.chosen(form.people.data))
    if form.validate_on_submit():
        try:
            invited = programs.invite(
                program,
                (form.people.data or []) + ids_from_emails(form.emails.data),
                form.role.data,
            )
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field if exc.field in ("role", "emails") else "people").errors.append(
                exc.message
            )
        else:
            flash(f"Invited {len(invited)} {form.role.data}(s).", "success")
            return redirect(url_for("programs.detail", program_id=program.id, _anchor="members"))
    return _admin_page(programs.program_page(program_id), form)


@bp.route("/<int:program_id>/answer", methods=["POST"])
def answer(program_id: int):
    program = _program(program_id)
    if programs.member_of(program, current_user.id) is None:
        abort(403)  # a coordinator who was not invited has nothing to answer
    form = AnswerForm(prefix="answer")
    form.topics.choices = topic_choices()
    if form.validate_on_submit():
        try:
            programs.respond(
                program,
                current_user,
                form.answer.data == "accept",
                form.note.data or "",
                form.capacity.data or 1,
                form.topics.data,
            )
        except Conflict as exc:  # answered before: say so on the program page
            flash(exc.message, "error")
            return redirect(url_for("programs.detail", program_id=program.id))
        except DomainError as exc:
            getattr(form, exc.field or "answer").errors.append(exc.message)
        else:
            flash("Thank you — the coordinator can see your answer.", "success")
            return redirect(url_for("programs.detail", program_id=program.id))
    return _participant_page(programs.program_page(program_id), answer_form=form)


@bp.route("/<int:program_id>/preferences", methods=["POST"])
def preferences(program_id: int):
    program = _program(program_id)
    form = PreferenceForm(prefix="rank")
    member = programs.member_of(program, current_user.id)
    if member is None:
        abort(403)
    if programs.is_matched(program.id, current_user.id):
        flash("Your pair is confirmed, so ranking is closed.", "error")
        return redirect(url_for("programs.detail", program_id=program.id))
    people = [0] + [m.user_id for m in programs.candidates(program, member)]
    for field in (form.rank_1, form.rank_2, form.rank_3):
        field.choices = options((i, str(i)) for i in people)
    if form.validate_on_submit():
        try:
            programs.set_preferences(
                program, current_user, [form.rank_1.data, form.rank_2.data, form.rank_3.data]
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            form.rank_1.errors.append(exc.message)
        else:
            flash("Your choices are saved.", "success")
            return redirect(url_for("programs.detail", program_id=program.id, _anchor="ranking"))
    return _participant_page(programs.program_page(program_id), preference_form=form)


@bp.route("/<int:program_id>/matching", methods=["GET", "POST"])
def matching(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    if request.method == "POST":
        if programs.has_draft(program.id):  # a new run replaces the coordinator's changes
            return redirect(url_for("programs.rerun_matching", program_id=program.id))
        return _run_matching(program)
    matches = programs.matches_of(program.id)
    members = {m.user_id: m for m in program.members}
    mentors = programs.accepted_mentors(program)
    swap = SwapForm(prefix="swap")
    swap.mentor.choices = options((m.user_id, m.user.name) for m in mentors)
    return render_template(
        "programs/matching.html",
        program=program,
        matches=matches,
        members=members,
        swap=swap,
        unmatched=programs.unmatched_reasons(program, matches),
        mentors=mentors,
        counts={r: sum(1 for m in matches if m.mentee_rank == r) for r in (1, 2, 3)},
    )


def _run_matching(program: Program):
    result = programs.run_matching(program)
    pairs = "1 pair" if len(result.pairs) == 1 else f"{len(result.pairs)} pairs"
    flash(f"Draft ready: {pairs}. Review, change and confirm below.", "success")
    return redirect(url_for("programs.matching", program_id=program.id))


@bp.route("/<int:program_id>/matching/rerun", methods=["GET", "POST"])
def rerun_matching(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    if programs.has_draft(program.id) and not confirmed():
        return confirm_page(_rerun_confirmation(program))
    return _run_matching(program)


def _rerun_confirmation(program: Program) -> Confirmation:
    drafts = sum(1 for m in programs.matches_of(program.id) if m.status == "draft")
    removed = programs.removed_count(program.id)
    lost = []
    if drafts:
        lost.append(
            f"The {drafts} draft pair{'s' if drafts != 1 else ''}, with every mentor you "
            "changed by hand."
        )
    if removed:
        lost.append(
            f"The {removed} pair{'s' if removed != 1 else ''} you removed: the matcher may "
            "pair them again."
        )
    return Confirmation(
        title="Replace the draft with a new run?",
        button="Run the matcher again",
        back=url_for("programs.matching", program_id=program.id),
        back_label="Keep this draft",
        lost=lost,
        kept=["Confirmed pairs and their mentorships; everyone's rankings."],
    )


@bp.route("/<int:program_id>/matching/<int:match_id>/swap", methods=["POST"])
def change_pair(program_id: int, match_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    form = SwapForm(prefix="swap")
    form.mentor.choices = options((m.user_id, m.user.name) for m in program.members)
    if not form.validate_on_submit():
        abort(400)
    try:
        programs.swap(program, match_id, form.mentor.data)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    else:
        flash("Mentor changed.", "success")
    return redirect(url_for("programs.matching", program_id=program.id))


@bp.route("/<int:program_id>/matching/<int:match_id>/remove", methods=["GET", "POST"])
def remove_pair(program_id: int, match_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    try:
        match = programs.draft_pair(program, match_id)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        return redirect(url_for("programs.matching", program_id=program.id))
    if not confirmed():
        return confirm_page(
            Confirmation(
                title=f"Remove {match.mentee.name} and {match.mentor.name} from the draft?",
                button="Remove the pair",
                back=url_for("programs.matching", program_id=program.id),
                back_label="Keep the pair",
                lost=[
                    f"The draft pair: {match.mentee.name} will not be matched when you "
                    f"confirm, and {match.mentor.name} gets the place back.",
                ],
                kept=["Both people's rankings; a new run of the matcher may pair them again."],
            )
        )
    programs.remove_pair(program, match_id)
    flash("Pair removed from the draft.", "success")
    return redirect(url_for("programs.matching", program_id=program.id))


@bp.route("/<int:program_id>/matching/confirm", methods=["POST"])
def confirm(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    count = programs.confirm(program, current_user)
    flash(
        "1 pair confirmed; it is now an active mentorship."
        if count == 1
        else f"{count} pairs confirmed; they are now active mentorships.",
        "success",
    )
    return redirect(url_for("programs.matching", program_id=program.id))
