"""Practice services: starting and assigning lessons, submitting answers, lesson status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from lessons import markdown
from lessons.models import (
    Assignment,
    Attempt,
    Lesson,
    LessonStatus,
    Submission,
    SubmissionStatus,
    Task,
)
from lessons.services import LIST_COLUMNS, signals
from portal.accounts.mentorships import is_active_mentor
from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import Conflict, DomainError, NotAllowed
from portal.extensions import db
from portal.notifications.services import notify, recipient_time

# Sent in the transaction that stores an answer (first or revised), before its commit: whoever
# listens (feedback tells the mentors who may review it) writes in that same transaction.
answer_submitted = signals.signal("answer-submitted")


@dataclass
class Answer:
    body: str = ""
    link: str = ""


# Lesson status for a mentee -----------------------------------------------------------------

NOT_STARTED, IN_PROGRESS, AWAITING, REVISE, COMPLETED = (
    "not started",
    "in progress",
    "awaiting feedback",
    "needs revision",
    "completed",
)
NEXT_STEP = {
    NOT_STARTED: "Read the lesson and try the first task.",
    IN_PROGRESS: "Submit the remaining tasks.",
    AWAITING: "Your mentor will give feedback soon.",
    REVISE: "Read the feedback and revise your answer.",
    COMPLETED: "Done — rate the lesson and pick the next one.",
}


def lesson_status(task_ids: list[int], statuses: dict[int, str], marked_done: bool) -> str:
    """The status of one lesson for one mentee, from the statuses of their submissions."""
    mine = [statuses[t] for t in task_ids if t in statuses]
    return status_from_counts(
        len(task_ids),
        len(mine),
        accepted=mine.count(SubmissionStatus.ACCEPTED),
        revise=mine.count(SubmissionStatus.NEEDS_REVISION),
        submitted=mine.count(SubmissionStatus.SUBMITTED),
        marked_done=marked_done,
    )


def status_from_counts(
    tasks: int, answered: int, *, accepted: int, revise: int, submitted: int, marked_done: bool
) -> str:
    """The same status from counts, as `assignment_counts` gets them from the database."""
    if not tasks:
        return COMPLETED if marked_done else NOT_STARTED
    if not answered:
        return NOT_STARTED
    if revise:
        return REVISE
    if answered == tasks and accepted == tasks:
        return COMPLETED
    if submitted and answered == tasks:
        return AWAITING
    return IN_PROGRESS


@dataclass
class StatusCounts:
    """Assignments in one topic that stand the same way: how many tasks their lesson has, how
    many the mentee answered, and how those answers stand."""

    topic_id: int
    tasks: int
    answered: int
    accepted: int
    revise: int
    submitted: int
    marked_done: bool
    assignments: int  # how many assignments stand like this

    @property
    def status(self) -> str:
        return standing_status(self)


def standing_status(row) -> str:
    """The status of a row of `_standings` (or anything with its counts)."""
    return status_from_counts(
        row.tasks,
        row.answered,
        accepted=row.accepted,
        revise=row.revise,
        submitted=row.submitted,
        marked_done=bool(row.marked_done),
    )


def _standings(*conditions, answers=None):
    """One row per assignment matching `conditions`: its id and how the mentee stands on it,
    counted by the database (no lesson, task or submission objects are loaded). `answers`
    narrows which submissions count (e.g. those of a period) without dropping assignments."""

    def count(status: str):
        return func.count(Submission.id).filter(Submission.status == status)

    return (
        select(
            Assignment.id.label("assignment_id"),
            Lesson.topic_id.label("topic_id"),
            func.count(Task.id.distinct()).label("tasks"),  # one submission per task at most
            func.count(Submission.id).label("answered"),
            count(SubmissionStatus.ACCEPTED).label("accepted"),
            count(SubmissionStatus.NEEDS_REVISION).label("revise"),
            count(SubmissionStatus.SUBMITTED).label("submitted"),
            func.max(Assignment.completed_at).is_not(None).label("marked_done"),
        )
        .join(Lesson, Lesson.id == Assignment.lesson_id)
        .outerjoin(Task, Task.lesson_id == Assignment.lesson_id)
        .outerjoin(
            Submission,
            (Submission.task_id == Task.id)
            & (Submission.mentee_id == Assignment.mentee_id)
            & (true() if answers is None else answers),
        )
        .where(*conditions)
        .group_by(Assignment.id, Lesson.topic_id)
        .subquery()
    )


def status_counts(*conditions, answers=None) -> list[StatusCounts]:
    """The assignments matching `conditions`, counted by topic and standing in one query:
    the database does the counting, so thousands of assignments come back as a few rows."""
    per_assignment = _standings(*conditions, answers=answers)
    columns = [c for c in per_assignment.c if c.name != "assignment_id"]
    rows = db.session.execute(select(*columns, func.count()).group_by(*columns))
    return [StatusCounts(*row) for row in rows]


@dataclass
class LessonProgress:
    assignment: Assignment
    status: str

    @property
    def next_step(self) -> str:
        return NEXT_STEP[self.status]


# What needs the mentee first: answers to revise, lessons under way, then waiting and unread.
URGENCY = {REVISE: 0, IN_PROGRESS: 1, NOT_STARTED: 2, AWAITING: 3, COMPLETED: 4}
LEARNING_SHOWN = 8


@dataclass
class Learning:
    shown: list[LessonProgress]  # the most urgent first
    total: int
    completed: int

    @property
    def hidden(self) -> int:
        return self.total - len(self.shown)


def learning(mentee_id: int, limit: int | None = LEARNING_SHOWN) -> Learning:
    """The `limit` lessons that need this mentee most (None: all of them), with how many
    there are in all, in three queries and `limit` rows of objects however long the history."""
    standings = _standings(Assignment.mentee_id == mentee_id)
    rows = db.session.execute(
        select(standings, Assignment.due_at, Assignment.created_at).join(
            Assignment, Assignment.id == standings.c.assignment_id
        )
    ).all()
    never = datetime.max.replace(tzinfo=UTC)
    ranked = sorted(
        ((standing_status(r), r) for r in rows),
        key=lambda sr: (URGENCY[sr[0]], sr[1].due_at or never, -sr[1].created_at.timestamp()),
    )
    chosen = {r.assignment_id: st for st, r in ranked[:limit]}
    assignments = db.session.scalars(
        select(Assignment)
        .where(Assignment.id.in_(chosen))
        .options(
            joinedload(Assignment.lesson).options(*LIST_COLUMNS),
            joinedload(Assignment.assigned_by),
        )
    ).all()
    by_id = {a.id: a for a in assignments}
    return Learning(
        shown=[LessonProgress(by_id[i], st) for i, st in chosen.items()],
        total=len(rows),
        completed=sum(st == COMPLETED for st, _r in ranked),
    )


# Starting and assigning ----------------------------------------------------------------------


def _require_published(lesson: Lesson) -> None:
    if lesson.status != LessonStatus.PUBLISHED:
        raise DomainError("This lesson is not published, so it cannot be started or submitted to.")


def start_lesson(mentee_id: int, lesson: Lesson) -> Assignment:
    """Put a published lesson on the mentee's own list (once)."""
    assignment = _on_list(mentee_id, lesson)
    db.session.commit()
    return assignment


def _on_list(mentee_id: int, lesson: Lesson) -> Assignment:
    """The mentee's assignment of a published lesson, added to the current transaction when
    new; the caller commits it together with whatever it does next."""
    _require_published(lesson)
    existing = _assignment(lesson.id, mentee_id)
    if existing:
        return existing
    assignment = Assignment(lesson_id=lesson.id, mentee_id=mentee_id)
    try:
        with db.session.begin_nested():  # a savepoint: a clash undoes this insert alone
            db.session.add(assignment)
    except IntegrityError:  # started twice at once: the first one stands
        return _assignment(lesson.id, mentee_id)
    return assignment


def assign_lesson(
    mentor_id: int, mentee_id: int, lesson: Lesson, due_at: datetime | None
) -> Assignment:
    """A mentor gives one of their mentees a published lesson, optionally with a due date."""
    _require_published(lesson)
    if not is_active_mentor(mentor_id, mentee_id):
        raise NotAllowed("You can assign lessons only to people you mentor.", field="mentee")
    if due_at is not None and due_at < utcnow():
        raise DomainError("Choose a due date in the future.", field="due")
    assignment = _on_list(mentee_id, lesson)
    if assignment.assigned_by_id not in (None, mentor_id):
        raise Conflict("Another mentor has already assigned this lesson.", field="mentee")
    assignment.assigned_by_id, assignment.due_at = mentor_id, due_at
    mentor, mentee = db.session.get(User, mentor_id), db.session.get(User, mentee_id)
    due = f", due {recipient_time(mentee, due_at)}" if due_at else ""
    notify(
        mentee,
        "lesson_assigned",
        f"{mentor.name} assigned you the lesson “{lesson.title}”{due}.",
        f"/lessons/{lesson.id}",
    )
    db.session.commit()
    return assignment


def mark_done(mentee_id: int, lesson: Lesson) -> Assignment:
    """A lesson without tasks is completed by saying so."""
    if lesson.tasks:
        raise DomainError("This lesson is completed by its practice tasks.")
    assignment = _on_list(mentee_id, lesson)
    assignment.completed_at = assignment.completed_at or utcnow()
    db.session.commit()
    return assignment


def _assignment(lesson_id: int, mentee_id: int) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).where(
            Assignment.lesson_id == lesson_id, Assignment.mentee_id == mentee_id
        )
    )


# Submitting ---------------------------------------------------------------------------------


def submission_for(task_id: int, mentee_id: int) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.task_id == task_id, Submission.mentee_id == mentee_id)
        .options(selectinload(Submission.attempts))
    )


def submit(task: Task, mentee_id: int, answer: Answer) -> Submission:
    """Submit a first answer, or a revised one after feedback asked for it."""
    _require_published(task.lesson)
    if not answer.body.strip() and not answer.link.strip():
        raise DomainError("Write an answer or give a link (or both).", field="body")
    _on_list(mentee_id, task.lesson)  # committed with the answer
    existing = submission_for(task.id, mentee_id)
    if existing is None:
        return _first_attempt(task, mentee_id, answer)
    return _revised_attempt(existing, answer)


def _attempt(number: int, answer: Answer) -> Attempt:
    return Attempt(
        number=number,
        body=answer.body,
        body_html=markdown.render(answer.body),
        link=answer.link.strip(),
    )


def _first_attempt(task: Task, mentee_id: int, answer: Answer) -> Submission:
    submission = Submission(task_id=task.id, mentee_id=mentee_id, attempt_count=1)
    submission.attempts.append(_attempt(1, answer))
    db.session.add(submission)
    try:
        db.session.flush()
        answer_submitted.send(submission, revised=False)
        db.session.commit()
    except IntegrityError as exc:  # a double-click: the first submit stands
        db.session.rollback()
        raise Conflict("This answer was already submitted.") from exc
    return submission


def _revised_attempt(submission: Submission, answer: Answer) -> Submission:
    if submission.status == SubmissionStatus.ACCEPTED:
        raise Conflict("This task is already accepted; there is nothing to resubmit.")
    # Only a submission that feedback sent back may take a new attempt; the WHERE makes a
    # double-click or a second tab change it once.
    number = db.session.scalar(
        update(Submission)
        .where(Submission.id == submission.id, Submission.status == SubmissionStatus.NEEDS_REVISION)
        .values(
            status=SubmissionStatus.SUBMITTED,
            attempt_count=Submission.attempt_count + 1,
            updated_at=utcnow(),
        )
        .returning(Submission.attempt_count)
        .execution_options(synchronize_session=False)
    )
    if number is None:
        db.session.rollback()
        raise Conflict("Your answer is waiting for feedback; you can revise it once feedback asks.")
    attempt = _attempt(number, answer)
    attempt.submission_id = submission.id
    db.session.add(attempt)
    answer_submitted.send(submission, revised=True)
    db.session.commit()
    db.session.refresh(submission)
    return submission


@dataclass
class LearnerView:
    """What the lesson page shows the viewer about their own progress in it."""

    assignment: Assignment | None
    task_status: dict[int, str]
    status: str


def learner_view(user_id: int, lesson: Lesson) -> LearnerView:
    """The viewer's assignment and submission statuses for one lesson (two queries)."""
    assignment = _assignment(lesson.id, user_id)
    task_ids = [t.id for t in lesson.tasks]
    statuses = (
        dict(
            db.session.execute(
                select(Submission.task_id, Submission.status).where(
                    Submission.mentee_id == user_id, Submission.task_id.in_(task_ids)
                )
            ).all()
        )
        if task_ids
        else {}
    )
    done = assignment is not None and assignment.completed_at is not None
    return LearnerView(assignment, statuses, lesson_status(task_ids, statuses, done))


def due_reminders(now: datetime):
    """Assigned lessons due within a day and not finished: the mentee, once per due date."""
    from datetime import timedelta

    from portal.notifications.reminders import Reminder

    due = db.session.scalars(
        select(Assignment)
        .where(
            Assignment.due_at > now,
            Assignment.due_at <= now + timedelta(hours=24),
            Assignment.completed_at.is_(None),
        )
        .options(joinedload(Assignment.lesson), joinedload(Assignment.mentee))
    ).all()
    for assignment in due:
        if lesson_finished(assignment):
            continue
        mentee = assignment.mentee
        yield Reminder(
            f"assignment-due:{assignment.id}:{assignment.due_at.isoformat()}",
            mentee,
            f"“{assignment.lesson.title}” is due {recipient_time(mentee, assignment.due_at)}.",
            f"/lessons/{assignment.lesson_id}",
        )


def lesson_finished(assignment: Assignment) -> bool:
    """Every task of the lesson accepted (or a lesson without tasks marked done)."""
    task_ids = [task.id for task in assignment.lesson.tasks]
    if not task_ids:
        return assignment.completed_at is not None
    accepted = db.session.scalar(
        select(func.count(Submission.id)).where(
            Submission.task_id.in_(task_ids),
            Submission.mentee_id == assignment.mentee_id,
            Submission.status == SubmissionStatus.ACCEPTED,
        )
    )
    return accepted == len(task_ids)
