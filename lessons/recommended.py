"""A program's recommended lessons: the coordinator picks them, the program's matched pairs
see them on their dashboards, and the next cohort copies the list (portal.programs)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import joinedload
from wtforms import SubmitField

from lessons import practice
from lessons.models import Assignment, Lesson, LessonStatus
from lessons.services import LIST_COLUMNS
from portal.extensions import db
from portal.programs import services as programs
from portal.programs.models import Match, Program, ProgramStatus, program_lessons
from portal.viewkit import coordinator_required, form_status, signed_in_only
from portal.widgets import CheckboxListField, options

bp = Blueprint("program_lessons", __name__, url_prefix="/programs")
signed_in_only(bp)

SHOWN = 6


class RecommendedForm(FlaskForm):
    lessons = CheckboxListField("Lessons to start with")
    submit = SubmitField("Save the list")


def recommended_ids(program_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(program_lessons.c.lesson_id).where(program_lessons.c.program_id == program_id)
        )
    )


def set_recommended(program: Program, lesson_ids: list[int]) -> None:
    published = set(
        db.session.scalars(
            select(Lesson.id).where(
                Lesson.id.in_(lesson_ids), Lesson.status == LessonStatus.PUBLISHED
            )
        )
    )
    db.session.execute(delete(program_lessons).where(program_lessons.c.program_id == program.id))
    if published:
        db.session.execute(
            insert(program_lessons),
            [{"program_id": program.id, "lesson_id": i} for i in sorted(published)],
        )
    db.session.commit()


def for_pair_member(user_id: int, limit: int = SHOWN) -> list[tuple[Program, list[Lesson]]]:
    """The recommended lessons of every active program in which this person is in a confirmed
    pair (two queries, however many programs)."""
    running = db.session.scalars(
        select(Program)
        .join(Match, Match.program_id == Program.id)
        .where(
            Match.status == "confirmed",
            (Match.mentor_id == user_id) | (Match.mentee_id == user_id),
            Program.status == ProgramStatus.ACTIVE,
            Program.archived_at.is_(None),
        )
        .distinct()
        .order_by(Program.starts_on)
    ).all()
    if not running:
        return []
    rows = db.session.execute(
        select(program_lessons.c.program_id, Lesson)
        .join(Lesson, Lesson.id == program_lessons.c.lesson_id)
        .where(
            program_lessons.c.program_id.in_([p.id for p in running]),
            Lesson.status == LessonStatus.PUBLISHED,
        )
        .options(joinedload(Lesson.topic), joinedload(Lesson.author), *LIST_COLUMNS)
        .order_by(Lesson.title)
    ).all()
    finished = finished_by(user_id, list({lesson.id for _program, lesson in rows}))
    by_program: dict[int, list[Lesson]] = {}
    for program_id, lesson in rows:
        if lesson.id not in finished:  # what the person completed is no longer a suggestion
            by_program.setdefault(program_id, []).append(lesson)
    return [(p, by_program[p.id][:limit]) for p in running if p.id in by_program]


def finished_by(user_id: int, lesson_ids: list[int]) -> set[int]:
    """Which of these lessons the person has completed (one query, counted by the database)."""
    if not lesson_ids:
        return set()
    standings = practice._standings(
        Assignment.mentee_id == user_id, Assignment.lesson_id.in_(lesson_ids)
    )
    rows = db.session.execute(
        select(standings, Assignment.lesson_id).join(
            Assignment, Assignment.id == standings.c.assignment_id
        )
    ).all()
    return {r.lesson_id for r in rows if practice.standing_status(r) == practice.COMPLETED}


def mentors_in(user_id: int, program_ids: list[int]) -> set[int]:
    """The programs among these where the person mentors (one query)."""
    return set(
        db.session.scalars(
            select(Match.program_id).where(
                Match.program_id.in_(program_ids),
                Match.mentor_id == user_id,
                Match.status == "confirmed",
            )
        )
    )


@bp.route("/<int:program_id>/lessons", methods=["GET", "POST"])
def recommended(program_id: int):
    coordinator_required()
    program = programs.program_page(program_id)
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.status == LessonStatus.PUBLISHED)
        .options(joinedload(Lesson.topic), *LIST_COLUMNS)
        .order_by(Lesson.title)
    ).all()
    form = RecommendedForm()
    form.lessons.choices = options(
        (lesson.id, f"{lesson.title} ({lesson.topic.name}, {lesson.minutes} min)")
        for lesson in sorted(lessons, key=lambda lesson: (lesson.topic.name, lesson.title))
    )
    if not form.is_submitted():
        form.lessons.data = recommended_ids(program.id)
    if form.validate_on_submit():
        set_recommended(program, form.lessons.data or [])
        flash(
            "The recommended lessons are saved; matched pairs see them on their dashboard.",
            "success",
        )
        return redirect(url_for("programs.detail", program_id=program.id))
    return render_template(
        "programs/recommended.html", program=program, form=form, count=len(lessons)
    ), form_status(form)
