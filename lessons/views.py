"""Topics, the lesson library, the lesson editor, revisions and practice tasks."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from limits import parse
from sqlalchemy.orm.attributes import set_committed_value

from lessons import access, diff, markdown, practice, services
from lessons.access import can_edit_lesson, can_manage_topics, can_view_lesson
from lessons.authoring import lint
from lessons.forms import AssignForm, ConfirmForm, LessonForm, SubmissionForm, TaskForm, TopicForm
from lessons.models import Lesson, LessonStatus, Task
from portal.accounts.mentorships import active_mentees
from portal.clock import utcnow
from portal.errors import Conflict, DomainError
from portal.extensions import db, limiter
from portal.topics import Topic, all_topics, topic_choices
from portal.viewkit import (
    Confirmation,
    confirm_page,
    confirmed,
    flash_form_errors,
    form_status,
    signed_in_only,
)
from portal.widgets import options

topics_bp = Blueprint("topics", __name__, url_prefix="/topics")
lessons_bp = Blueprint("lessons", __name__, url_prefix="/lessons")
tasks_bp = Blueprint("tasks", __name__, url_prefix="/tasks")

signed_in_only(topics_bp, lessons_bp, tasks_bp)


def _lesson(lesson_id: int, edit: bool = False) -> Lesson:
    """The lesson if the viewer may see it (else 404), and edit it when asked (else 403)."""
    lesson = services.lesson_for_page(lesson_id)
    if not can_view_lesson(current_user, lesson):
        abort(404)
    if edit and not can_edit_lesson(current_user, lesson):
        abort(403)
    return lesson


def _task(task_id: int, edit: bool = False) -> Task:
    task = db.session.get(Task, task_id) or abort(404)
    # The lesson as its page loads it, kept on the task: `task.lesson` needs no second query.
    set_committed_value(task, "lesson", _lesson(task.lesson_id, edit=edit))
    return task


def _topic_choices() -> list[tuple[int, str]]:
    return topic_choices()


# Topics -----------------------------------------------------------------------------------


@topics_bp.route("/")
def topic_list():
    topics = all_topics()
    return render_template(
        "topics/list.html", topics=topics, can_manage=can_manage_topics(current_user)
    )


@topics_bp.route("/<slug>")
def topic_detail(slug: str):
    topic = services.topic_by_slug(slug)
    return render_template(
        "topics/detail.html",
        topic=topic,
        lessons=services.topic_lessons(topic),
        can_manage=can_manage_topics(current_user),
    )


@topics_bp.route("/new", methods=["GET", "POST"], defaults={"slug": None})
@topics_bp.route("/<slug>/edit", methods=["GET", "POST"])
def topic_edit(slug: str | None):
    if not can_manage_topics(current_user):
        abort(403)
    topic = services.topic_by_slug(slug) if slug else None
    form = TopicForm(obj=topic)
    if form.validate_on_submit():
        try:
            topic = services.save_topic(
                topic, form.slug.data, form.name.data, form.description.data
            )
        except DomainError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(f"Topic “{topic.name}” saved.", "success")
            return redirect(url_for("topics.topic_detail", slug=topic.slug))
    return render_template("topics/edit.html", form=form, topic=topic), form_status(form)


# Lessons ----------------------------------------------------------------------------------


@lessons_bp.route("/")
def library():
    topic = request.args.get("topic") or None
    query = (request.args.get("q") or "").strip()[:200]
    page = request.args.get("page", 1, type=int)
    result = services.library(topic, query, page, current_app.config["LESSONS_PER_PAGE"])
    topics = all_topics()
    return render_template("lessons/library.html", page=result, topics=topics, topic=topic, q=query)


@lessons_bp.route("/mine")
def mine():
    """Every lesson on the signed-in person's list, the most urgent first."""
    items = practice.learning(current_user.id, limit=None).shown
    return render_template("lessons/mine.html", items=items)


def _lesson_data(form: LessonForm) -> services.LessonData:
    return services.LessonData(
        title=form.title.data,
        topic_id=form.topic_id.data,
        summary=form.summary.data,
        body=form.body.data,
        minutes=form.minutes.data,
    )


# Each preview renders up to 30,000 characters of Markdown (within the work budget);
# saving is not limited.
PREVIEW_LIMIT = parse("30 per minute")
PREVIEW_LIMITED = (
    "You have previewed 30 times in the last minute. Wait a minute and preview again; "
    "saving the draft still works."
)


def _may_preview() -> bool:
    """Count one preview against the signed-in person's limit; False once they are over it."""
    return not limiter.enabled or limiter.limiter.hit(
        PREVIEW_LIMIT, "lesson-preview", str(current_user.id)
    )


def _editor(form: LessonForm, lesson: Lesson | None):
    """Preview or save the lesson editor's form; shared by 'new' and 'edit'."""
    form.topic_id.choices = _topic_choices()
    preview = None
    if form.validate_on_submit():
        if form.preview.data and not _may_preview():
            form.body.errors.append(PREVIEW_LIMITED)
            return render_template("lessons/edit.html", form=form, lesson=lesson), 429
        if form.preview.data:
            html = markdown.render(form.body.data)
            preview = {"html": html, "warnings": lint(html)}
        else:
            try:
                saved = _save(form, lesson)
            except DomainError as exc:
                getattr(form, exc.field).errors.append(exc.message)
            else:
                return redirect(url_for("lessons.detail", lesson_id=saved.id))
    return render_template(
        "lessons/edit.html", form=form, lesson=lesson, preview=preview
    ), form_status(form)


def _save(form: LessonForm, lesson: Lesson | None) -> Lesson:
    data, publish = _lesson_data(form), bool(form.publish.data)
    if lesson is None:
        saved = services.create_lesson(current_user.id, data, publish=publish)
    else:
        saved = services.update_lesson(lesson.id, current_user.id, data, publish=publish)
    warnings = lint(saved.body_html)
    message = "Lesson published." if saved.is_published else "Draft saved."
    if warnings:
        message += f" {len(warnings)} accessibility warning(s) to look at below."
    flash(message, "warning" if warnings else "success")
    return saved


@lessons_bp.route("/new", methods=["GET", "POST"])
def new():
    form = LessonForm()
    if request.method == "GET" and request.args.get("topic"):
        topic = db.session.scalar(db.select(Topic).filter_by(slug=request.args["topic"]))
        form.topic_id.data = topic.id if topic else None
    return _editor(form, None)


@lessons_bp.route("/<int:lesson_id>/edit", methods=["GET", "POST"])
def edit(lesson_id: int):
    lesson = _lesson(lesson_id, edit=True)
    return _editor(LessonForm(obj=lesson), lesson)


@lessons_bp.route("/<int:lesson_id>")
def detail(lesson_id: int):
    lesson = _lesson(lesson_id)
    services.ensure_rendered(lesson)
    editable = can_edit_lesson(current_user, lesson)
    mine = practice.learner_view(current_user.id, lesson)
    return render_template(
        "lessons/detail.html",
        lesson=lesson,
        editable=editable,
        warnings=lint(lesson.body_html) if editable else [],
        mine=mine,
        assign_form=_assign_form(lesson),
    )


def _assign_form(lesson: Lesson) -> AssignForm | None:
    """The 'assign to a mentee' form, for mentors with mentees, on published lessons."""
    mentees = active_mentees(current_user.id) if lesson.is_published else []
    if not mentees:
        return None
    form = AssignForm(prefix="assign")
    form.mentee.choices = options((m.id, m.name) for m in mentees)
    return form


@lessons_bp.route("/<int:lesson_id>/start", methods=["POST"])
def start(lesson_id: int):
    lesson = _lesson(lesson_id)
    practice.start_lesson(current_user.id, lesson)
    flash("The lesson is on your list. Try the practice tasks when you have read it.", "success")
    return redirect(url_for("lessons.detail", lesson_id=lesson.id))


@lessons_bp.route("/<int:lesson_id>/done", methods=["POST"])
def mark_done(lesson_id: int):
    lesson = _lesson(lesson_id)
    practice.mark_done(current_user.id, lesson)
    flash("Marked as done. How was it? Rate the lesson below.", "success")
    return redirect(url_for("lessons.detail", lesson_id=lesson.id, _anchor="rate"))


@lessons_bp.route("/<int:lesson_id>/assign", methods=["POST"])
def assign(lesson_id: int):
    lesson = _lesson(lesson_id)
    form = _assign_form(lesson)
    if form is None:
        abort(403)
    if form.validate_on_submit():
        due = _end_of_day(form.due.data) if form.due.data else None
        try:
            assignment = practice.assign_lesson(current_user.id, form.mentee.data, lesson, due)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(f"Assigned to {assignment.mentee.name}.", "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("lessons.detail", lesson_id=lesson.id, _anchor="assign"))


def _end_of_day(day):
    """A due date means the end of that day in the viewer's time zone, stored in UTC."""
    from datetime import datetime, time

    from portal.hooks import viewer_zone

    return datetime.combine(day, time(23, 59), tzinfo=viewer_zone()).astimezone(utcnow().tzinfo)


@lessons_bp.route("/<int:lesson_id>/status", methods=["POST"])
def change_status(lesson_id: int):
    _lesson(lesson_id, edit=True)
    form = ConfirmForm()
    try:
        status = LessonStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    if not form.validate_on_submit():
        abort(400)
    services.change_status(lesson_id, status)
    flash(
        {
            "published": "Lesson published.",
            "archived": "Lesson archived: only you and coordinators can see it now.",
            "draft": "Lesson moved back to drafts.",
        }[status],
        "success",
    )
    return redirect(url_for("lessons.detail", lesson_id=lesson_id))


@lessons_bp.route("/<int:lesson_id>/revisions")
def revisions(lesson_id: int):
    lesson = _lesson(lesson_id, edit=True)
    history = services.revisions_of(lesson.id)
    numbers = [r.number for r in history]
    new_no = request.args.get("to", numbers[-1] if numbers else 0, type=int)
    old_no = request.args.get("from", max(new_no - 1, numbers[0] if numbers else 0), type=int)
    by_number = {r.number: r for r in history}
    if history and (old_no not in by_number or new_no not in by_number):
        abort(404)
    lines = (
        diff.line_diff(_as_text(by_number[old_no]), _as_text(by_number[new_no])) if history else []
    )
    return render_template(
        "lessons/revisions.html",
        lesson=lesson,
        history=history,
        lines=lines,
        counts=diff.summary(lines),
        old=by_number.get(old_no),
        new=by_number.get(new_no),
    )


def _as_text(revision) -> str:
    return f"Title: {revision.title}\nSummary: {revision.summary}\n\n{revision.body}"


# Tasks ------------------------------------------------------------------------------------


def _task_form(form: TaskForm, lesson: Lesson, task: Task | None):
    if form.validate_on_submit():
        data = services.TaskData(prompt=form.prompt.data, done_when=form.done_when.data or "")
        if task is None:
            services.add_task(lesson.id, data)
            flash("Practice task added.", "success")
        else:
            services.update_task(task, data)
            flash("Practice task saved.", "success")
        return redirect(url_for("lessons.detail", lesson_id=lesson.id, _anchor="tasks"))
    return render_template("tasks/edit.html", form=form, lesson=lesson, task=task), form_status(
        form
    )


@lessons_bp.route("/<int:lesson_id>/tasks/new", methods=["GET", "POST"])
def new_task(lesson_id: int):
    return _task_form(TaskForm(), _lesson(lesson_id, edit=True), None)


@tasks_bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
def edit_task(task_id: int):
    task = _task(task_id, edit=True)
    return _task_form(TaskForm(obj=task), task.lesson, task)


@tasks_bp.route("/<int:task_id>", methods=["GET", "POST"])
def task_detail(task_id: int):
    task = _task(task_id)
    lesson = task.lesson
    editable = can_edit_lesson(current_user, lesson)
    submission = practice.submission_for(task.id, current_user.id)
    can_submit = access.can_submit(current_user, lesson, submission)
    form = SubmissionForm()
    if request.method == "POST":
        if not access.may_answer(current_user, lesson):
            abort(403)
        if form.validate_on_submit():
            answer = practice.Answer(body=form.body.data or "", link=form.link.data or "")
            try:
                submission = practice.submit(task, current_user.id, answer)
            except Conflict:
                raise  # already submitted or accepted: the error page says which
            except DomainError as exc:
                form.body.errors.append(exc.message)
            else:
                flash("Answer submitted. Your mentor will give feedback.", "success")
                return redirect(url_for("feedback.submission", submission_id=submission.id))
    services.ensure_rendered(lesson)
    number = next(i for i, t in enumerate(lesson.tasks, start=1) if t.id == task.id)
    return render_template(
        "tasks/detail.html",
        task=task,
        lesson=lesson,
        number=number,
        editable=editable,
        submission=submission,
        form=form if can_submit else None,
    ), form_status(form)


@tasks_bp.route("/<int:task_id>/move", methods=["POST"])
def move_task(task_id: int):
    task = _task(task_id, edit=True)
    direction = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if direction is None or not ConfirmForm().validate_on_submit():
        abort(400)
    services.move_task(task, direction)
    return redirect(url_for("lessons.detail", lesson_id=task.lesson_id, _anchor="tasks"))


@tasks_bp.route("/<int:task_id>/delete", methods=["GET", "POST"])
def delete_task(task_id: int):
    task = _task(task_id, edit=True)
    lesson_id = task.lesson_id
    if not confirmed():
        return confirm_page(_delete_task_confirmation(task))
    services.delete_task(task)
    flash("Practice task removed.", "success")
    return redirect(url_for("lessons.detail", lesson_id=lesson_id, _anchor="tasks"))


def _delete_task_confirmation(task: Task) -> Confirmation:
    number = next(i for i, t in enumerate(task.lesson.tasks, start=1) if t.id == task.id)
    answers = services.answers_to(task.id)
    lost = [f"Task {number} of “{task.lesson.title}”: its prompt and what “done” looks like."]
    if answers:
        whose = "1 mentee's answer" if answers == 1 else f"{answers} mentees' answers"
        lost.append(f"{whose} to it, every attempt, and the feedback written on them.")
    return Confirmation(
        title=f"Remove task {number}?",
        button="Remove the task",
        back=url_for("lessons.detail", lesson_id=task.lesson_id, _anchor="tasks"),
        back_label="Keep it",
        lost=lost,
        kept=["The lesson and its other tasks."],
    )
