"""Feedback services: giving feedback, observations, ratings, self-assessments, queues."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, delete, func, select, true, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from feedback import access, notices
from feedback.models import (
    Acknowledgement,
    Feedback,
    GroupFeedback,
    Outcome,
    Rating,
    ReviewClaim,
    Rubric,
    Score,
    SelfAssessment,
)
from feedback.rubrics import current_rubric
from lessons.models import Assignment, Lesson, Submission, SubmissionStatus, Task
from lessons.sessions.models import GroupSession, ParticipantStatus
from portal.accounts.models import Mentorship, MentorshipStatus, User, mentorship_topics
from portal.clock import utcnow
from portal.database import writes_from_here
from portal.errors import Conflict, DomainError, NotAllowed, NotFound
from portal.extensions import db
from portal.text import MIN_WORDS, is_substantive  # noqa: E402,F401 (one rule for all)
from portal.topics import Topic


@dataclass
class FeedbackData:
    scores: dict[int, int] = field(default_factory=dict)  # criterion id -> level 1..4
    strengths: str = ""
    improvements: str = ""
    next_step: str = ""
    outcome: str | None = None


TEXT_PARTS = {
    "strengths": "Say what worked, specifically (at least a short sentence).",
    "improvements": "Say what to change, specifically (at least a short sentence).",
    "next_step": "Give one concrete next step (at least a short sentence).",
}


def check_feedback(rubric: Rubric, data: FeedbackData, outcome_required: bool) -> None:
    """Raise a DomainError naming the first field that is not right."""
    criteria = {c.id for c in rubric.criteria}
    if set(data.scores) != criteria:
        raise DomainError("Score every criterion of the rubric.", field="scores")
    if any(level not in (1, 2, 3, 4) for level in data.scores.values()):
        raise DomainError("Scores go from 1 to 4.", field="scores")
    for name, message in TEXT_PARTS.items():
        if not is_substantive(getattr(data, name)):
            raise DomainError(message, field=name)
    if outcome_required and data.outcome not in (Outcome.ACCEPT, Outcome.REVISE):
        raise DomainError("Choose accept or revise.", field="outcome")


def _feedback(author_id: int, mentee_id: int, rubric: Rubric, data: FeedbackData, **extra):
    return Feedback(
        author_id=author_id,
        mentee_id=mentee_id,
        topic_id=rubric.topic_id,
        rubric_id=rubric.id,
        strengths=data.strengths.strip(),
        improvements=data.improvements.strip(),
        next_step=data.next_step.strip(),
        outcome=data.outcome,
        scores=[Score(criterion_id=c, level=level) for c, level in data.scores.items()],
        **extra,
    )


def submission_page(submission_id: int) -> Submission:
    """A submission with its task, lesson, mentee and attempts."""
    submission = db.session.scalar(
        select(Submission)
        .where(Submission.id == submission_id)
        .options(
            joinedload(Submission.task).joinedload(Task.lesson).joinedload(Lesson.topic),
            joinedload(Submission.mentee),
            selectinload(Submission.attempts),
        )
    )
    if submission is None:
        raise NotFound("No such submission.")
    return submission


# How long opening the feedback form holds an answer for its reviewer.
CLAIM_FOR = timedelta(minutes=30)


def claim_review(reviewer: User, submission: Submission) -> None:
    """The first reviewer to open the form holds the answer for `CLAIM_FOR` (renewed while
    they come back); others are told who is writing. Atomic: an UPDATE that only takes over
    a lapsed or own claim, else an INSERT that the primary key lets only one win."""
    writes_from_here(db.session)
    now = utcnow()
    taken = db.session.execute(
        update(ReviewClaim)
        .where(
            ReviewClaim.submission_id == submission.id,
            (ReviewClaim.reviewer_id == reviewer.id) | (ReviewClaim.until < now),
        )
        .values(reviewer_id=reviewer.id, until=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        try:
            with db.session.begin_nested():
                db.session.add(
                    ReviewClaim(
                        submission_id=submission.id, reviewer_id=reviewer.id, until=now + CLAIM_FOR
                    )
                )
        except IntegrityError:
            pass  # someone else took it a moment ago
    db.session.commit()


def current_claim(submission_id: int) -> ReviewClaim | None:
    """The claim on an answer while it lasts."""
    return db.session.scalar(
        select(ReviewClaim)
        .where(ReviewClaim.submission_id == submission_id, ReviewClaim.until >= utcnow())
        .options(joinedload(ReviewClaim.reviewer))
    )


def claims_on(submission_ids: list[int], viewer_id: int) -> dict[int, str]:
    """For answers someone else is writing feedback on now: submission id -> their name."""
    if not submission_ids:
        return {}
    return dict(
        db.session.execute(
            select(ReviewClaim.submission_id, User.name)
            .join(User, User.id == ReviewClaim.reviewer_id)
            .where(
                ReviewClaim.submission_id.in_(submission_ids),
                ReviewClaim.reviewer_id != viewer_id,
                ReviewClaim.until >= utcnow(),
            )
        ).all()
    )


def thread(submission_id: int) -> list[Feedback]:
    """Feedback on a submission, oldest first, with scores and criteria."""
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.submission_id == submission_id)
            .options(
                joinedload(Feedback.author),
                selectinload(Feedback.scores),
                selectinload(Feedback.acknowledgement),
            )
            .order_by(Feedback.created_at, Feedback.id)
        )
    )


def give_feedback(author: User, submission: Submission, data: FeedbackData) -> Feedback:
    """Answer the latest attempt: scores, three text parts, accept or revise."""
    if not access.can_review(author, submission):
        raise NotAllowed("Only the mentee's mentors can give feedback on this work.")
    if submission.status != SubmissionStatus.SUBMITTED:
        raise Conflict("This answer already has feedback (see above); wait for the next attempt.")
    rubric = current_rubric(submission.task.lesson.topic_id)
    check_feedback(rubric, data, outcome_required=True)
    attempt = submission.attempts[-1]
    new_status = (
        SubmissionStatus.ACCEPTED
        if data.outcome == Outcome.ACCEPT
        else SubmissionStatus.NEEDS_REVISION
    )
    # Decide the attempt atomically: of two reviewers (or a double click) only one gets here.
    decided = db.session.execute(
        update(Submission)
        .where(
            Submission.id == submission.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.attempt_count == attempt.number,
        )
        .values(status=new_status, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if decided != 1:
        db.session.rollback()
        raise Conflict("Someone else gave feedback on this answer a moment ago.")
    feedback = _feedback(
        author.id,
        submission.mentee_id,
        rubric,
        data,
        submission_id=submission.id,
        attempt_id=attempt.id,
    )
    db.session.add(feedback)
    db.session.execute(delete(ReviewClaim).where(ReviewClaim.submission_id == submission.id))
    notices.tell_mentee_about_feedback(
        feedback, submission, accepted=new_status == SubmissionStatus.ACCEPTED
    )
    try:
        db.session.commit()
    except IntegrityError as exc:  # the unique attempt_id is the last word
        db.session.rollback()
        raise Conflict("Someone else gave feedback on this answer a moment ago.") from exc
    db.session.refresh(submission)
    return feedback


def record_observation(author: User, mentee: User, topic_id: int, data: FeedbackData) -> Feedback:
    """Feedback without a submission, e.g. on a senior mentee's leadership in a meeting."""
    if not access.can_observe(author, mentee.id, topic_id):
        raise NotAllowed(
            "Only an active mentor of this person records observations, in the mentorship's topics."
        )
    rubric = current_rubric(topic_id)
    data.outcome = None
    check_feedback(rubric, data, outcome_required=False)
    feedback = _feedback(author.id, mentee.id, rubric, data)
    db.session.add(feedback)
    notices.tell_mentee_about_observation(feedback, db.session.get(Topic, topic_id).name)
    db.session.commit()
    return feedback


def mark_seen(feedback: list[Feedback], viewer_id: int) -> None:
    """The mentee has read this feedback: it leaves their dashboard's 'new' list."""
    unseen = [f.id for f in feedback if f.mentee_id == viewer_id and f.seen_at is None]
    if unseen:
        db.session.execute(
            update(Feedback)
            .where(Feedback.id.in_(unseen))
            .values(seen_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


# Acknowledgements and commitments --------------------------------------------------------

COMMITMENT_LIMIT = 300


def acknowledge(mentee: User, feedback: Feedback, commitment: str = "") -> Acknowledgement:
    """ "Thanks — I'll try this": once per piece of feedback, by the person it is about, with
    an optional commitment. The giver is told."""
    if not access.can_acknowledge(mentee, feedback):
        raise NotAllowed("Only the person the feedback is about can acknowledge it.")
    commitment = " ".join((commitment or "").split())
    if len(commitment) > COMMITMENT_LIMIT:
        raise DomainError(
            f"Keep your commitment to {COMMITMENT_LIMIT} characters (it has "
            f"{len(commitment)}): one thing you will try.",
            field="commitment",
        )
    already = Conflict(
        f"You have already thanked {feedback.author.name} for this feedback; nothing changed."
    )
    if feedback.acknowledgement is not None:
        raise already
    acknowledgement = Acknowledgement(feedback_id=feedback.id, commitment=commitment)
    db.session.add(acknowledgement)
    notices.tell_author_about_acknowledgement(feedback, commitment)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a double click: the unique feedback_id decides
        db.session.rollback()
        raise already from exc
    return acknowledgement


def mark_commitment(mentee: User, acknowledgement: Acknowledgement, done: bool) -> None:
    """Tick a commitment off (telling the giver), or take the tick back."""
    feedback = acknowledgement.feedback
    if not access.can_acknowledge(mentee, feedback) or not acknowledgement.commitment:
        raise NotAllowed("Only the person who made the commitment can tick it off.")
    changed = db.session.execute(
        update(Acknowledgement)
        .where(
            Acknowledgement.id == acknowledgement.id,
            Acknowledgement.done_at.is_(None) if done else Acknowledgement.done_at.is_not(None),
        )
        .values(done_at=utcnow() if done else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise Conflict(
            "This commitment is already marked done." if done else "This commitment is open."
        )
    if done:
        notices.tell_author_commitment_done(feedback, acknowledgement.commitment)
    db.session.commit()
    db.session.refresh(acknowledgement)


def commitments_for(
    mentee_id: int, topic_ids: frozenset[int] | None = None
) -> dict[int, list[Acknowledgement]]:
    """The commitments a person made after feedback, per topic id, oldest first (one query)."""
    in_topics = true() if topic_ids is None else Feedback.topic_id.in_(topic_ids)
    rows = db.session.scalars(
        select(Acknowledgement)
        .join(Feedback, Feedback.id == Acknowledgement.feedback_id)
        .where(Feedback.mentee_id == mentee_id, Acknowledgement.commitment != "", in_topics)
        .options(joinedload(Acknowledgement.feedback).joinedload(Feedback.author))
        .order_by(Acknowledgement.created_at, Acknowledgement.id)
    )
    found: dict[int, list[Acknowledgement]] = {}
    for row in rows:
        found.setdefault(row.feedback.topic_id, []).append(row)
    return found


# Upward feedback and self-assessment -----------------------------------------------------


def rate_lesson(
    rater_id: int, lesson: Lesson, helpfulness: int, clarity: int, comment: str = ""
) -> Rating:
    """A mentee who took a lesson rates it; rating again replaces the earlier rating."""
    if rater_id == lesson.author_id:
        raise NotAllowed("Authors do not rate their own lessons.")
    took = db.session.scalar(
        select(Assignment.id).where(
            Assignment.lesson_id == lesson.id, Assignment.mentee_id == rater_id
        )
    )
    if took is None:
        raise NotAllowed("Start the lesson before rating it.")
    return _save_rating(
        rater_id, lesson.author_id, {"lesson_id": lesson.id}, helpfulness, clarity, comment
    )


def _save_rating(
    rater_id: int, mentor_id: int, target: dict, helpfulness: int, clarity: int, comment: str
) -> Rating:
    """Create or replace one person's rating of one lesson or session."""
    if not all(v in range(1, 6) for v in (helpfulness, clarity)):
        raise DomainError("Ratings go from 1 to 5.", field="helpfulness")
    ((column, value),) = target.items()
    rating = db.session.scalar(
        select(Rating).where(Rating.rater_id == rater_id, getattr(Rating, column) == value)
    ) or Rating(rater_id=rater_id, mentor_id=mentor_id, **target)
    rating.helpfulness, rating.clarity, rating.comment = helpfulness, clarity, comment.strip()
    rating.created_at = utcnow()
    db.session.add(rating)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict("Your rating was just saved from another tab.") from exc
    return rating


def my_rating(rater_id: int, lesson_id: int) -> Rating | None:
    return db.session.scalar(
        select(Rating).where(Rating.rater_id == rater_id, Rating.lesson_id == lesson_id)
    )


@dataclass
class RatingSummary:
    count: int
    helpfulness: float | None
    clarity: float | None
    recent: list[Rating]


def ratings_for(mentor_id: int) -> RatingSummary:
    """How mentees rated everything this mentor taught."""
    return _summary(Rating.mentor_id == mentor_id)


def _summary(condition) -> RatingSummary:
    count, helpfulness, clarity = db.session.execute(
        select(func.count(Rating.id), func.avg(Rating.helpfulness), func.avg(Rating.clarity)).where(
            condition
        )
    ).one()
    if not count:  # most people were never rated: no second query for comments
        return RatingSummary(0, None, None, [])
    recent = db.session.scalars(
        select(Rating)
        .where(condition, Rating.comment != "")
        .options(joinedload(Rating.lesson), joinedload(Rating.session))
        .order_by(Rating.created_at.desc())
        .limit(5)
    ).all()
    return RatingSummary(count, _float(helpfulness), _float(clarity), list(recent))


def _float(value) -> float | None:
    return None if value is None else round(float(value), 1)


def assess_self(user_id: int, topic_id: int, confidence: int, note: str = "") -> SelfAssessment:
    if confidence not in range(1, 6):
        raise DomainError("Choose a confidence from 1 to 5.", field="confidence")
    entry = SelfAssessment(
        user_id=user_id, topic_id=topic_id, confidence=confidence, note=note.strip()
    )
    db.session.add(entry)
    db.session.commit()
    return entry


# Dashboards -------------------------------------------------------------------------------


QUEUE_SHOWN = 20


def _queue(mentor_id: int):
    """Waiting answers this mentor may review now (the rules of `feedback.access`): in an
    active mentorship's topics or lessons they assigned, on lessons they wrote that are on the
    mentee's list, and on the lessons of live group sessions they run. Each part is an index
    lookup; together they are one statement."""
    waiting = Submission.status == SubmissionStatus.SUBMITTED
    answers = select(Submission.id).join(Task, Task.id == Submission.task_id)
    active = and_(
        Mentorship.mentor_id == mentor_id,
        Mentorship.mentee_id == Submission.mentee_id,
        Mentorship.status == MentorshipStatus.ACTIVE,
    )
    in_topics = (
        answers.join(Lesson, Lesson.id == Task.lesson_id)
        .join(Mentorship, active)
        .join(
            mentorship_topics,
            and_(
                mentorship_topics.c.mentorship_id == Mentorship.id,
                mentorship_topics.c.topic_id == Lesson.topic_id,
            ),
        )
        .where(waiting)
    )
    assigned = (
        answers.join(
            Assignment,
            and_(
                Assignment.lesson_id == Task.lesson_id,
                Assignment.mentee_id == Submission.mentee_id,
                Assignment.assigned_by_id == mentor_id,
            ),
        )
        .join(Mentorship, active)
        .where(waiting)
    )
    authored = (
        answers.join(Lesson, Lesson.id == Task.lesson_id)
        .join(
            Assignment,
            and_(Assignment.lesson_id == Lesson.id, Assignment.mentee_id == Submission.mentee_id),
        )
        .where(Lesson.author_id == mentor_id, waiting)
    )
    taught = answers.where(
        Task.lesson_id.in_(access.taught_lessons(mentor_id, mentee_id=Submission.mentee_id)),
        waiting,
    )
    return select(Submission).where(
        Submission.id.in_(union_all(in_topics, assigned, authored, taught)),
        Submission.mentee_id != mentor_id,
    )


@dataclass
class Queue:
    """The oldest answers waiting for a mentor's feedback, and how many wait in all."""

    oldest: list[Submission]
    size: int


def feedback_queue(mentor_id: int, shown: int = QUEUE_SHOWN) -> Queue:
    """The `shown` oldest waiting answers, so the dashboard stays fast however long the queue
    grows, and their number in all. One query: the database finds the waiting answers once,
    and counts them with a window function before the limit applies."""
    rows = db.session.execute(
        _queue(mentor_id)
        .add_columns(func.count().over())
        .options(
            joinedload(Submission.mentee),
            joinedload(Submission.task).joinedload(Task.lesson).joinedload(Lesson.topic),
        )
        .order_by(Submission.updated_at, Submission.id)
        .limit(shown)
    ).all()
    return Queue([submission for submission, _ in rows], rows[0][1] if rows else 0)


def new_feedback(mentee_id: int) -> list[Feedback]:
    """Feedback the mentee has not opened yet, newest first."""
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.mentee_id == mentee_id, Feedback.seen_at.is_(None))
            .options(
                joinedload(Feedback.author),
                joinedload(Feedback.topic),
                joinedload(Feedback.submission).joinedload(Submission.task).joinedload(Task.lesson),
            )
            .order_by(Feedback.created_at.desc())
        )
    )


def feedback_to_act_on(mentee_id: int) -> list[Feedback]:
    """The latest "revise" feedback on each answer still waiting for a revision, oldest first.

    It stays on the mentee's dashboard after it was read, until the answer is sent again.
    """
    rows = db.session.scalars(
        select(Feedback)
        .join(Submission, Submission.id == Feedback.submission_id)
        .where(
            Submission.mentee_id == mentee_id,
            Submission.status == SubmissionStatus.NEEDS_REVISION,
            Feedback.mentee_id == mentee_id,
            Feedback.outcome == "revise",
        )
        .options(
            joinedload(Feedback.author),
            joinedload(Feedback.topic),
            joinedload(Feedback.submission).joinedload(Submission.task).joinedload(Task.lesson),
        )
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
    )
    latest: dict[int, Feedback] = {}
    for feedback in rows:
        latest.setdefault(feedback.submission_id, feedback)
    return sorted(latest.values(), key=lambda f: f.created_at)


def observation_page(feedback_id: int) -> Feedback | None:
    """An observation (feedback without a submission) with its people, topic and scores."""
    return db.session.scalar(
        select(Feedback)
        .where(Feedback.id == feedback_id, Feedback.submission_id.is_(None))
        .options(
            joinedload(Feedback.author),
            joinedload(Feedback.mentee),
            joinedload(Feedback.topic),
            selectinload(Feedback.scores),
        )
    )


def observations_for(mentee_id: int, topic_ids: frozenset[int] | None = None) -> list[Feedback]:
    """Feedback without a submission, newest first (only in `topic_ids`, if given)."""
    in_topics = true() if topic_ids is None else Feedback.topic_id.in_(topic_ids)
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.mentee_id == mentee_id, Feedback.submission_id.is_(None), in_topics)
            .options(
                joinedload(Feedback.author),
                joinedload(Feedback.topic),
                selectinload(Feedback.scores),
                selectinload(Feedback.acknowledgement),
            )
            .order_by(Feedback.created_at.desc())
        )
    )


# Group sessions --------------------------------------------------------------------------


def give_group_feedback(author: User, session: GroupSession, went_well: str, work_on: str):
    """One piece of feedback for the whole group, visible to every participant."""
    if author.id != session.mentor_id:
        raise NotAllowed("Only the session's mentor gives group feedback.")
    if not is_substantive(went_well):
        raise DomainError(
            "Say what the group did well (at least a short sentence).", field="went_well"
        )
    if not is_substantive(work_on):
        raise DomainError(
            "Say what the group should work on (at least a short sentence).", field="work_on"
        )
    entry = GroupFeedback(
        session_id=session.id,
        author_id=author.id,
        went_well=went_well.strip(),
        work_on=work_on.strip(),
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def group_feedback(session_id: int) -> list[GroupFeedback]:
    return list(
        db.session.scalars(
            select(GroupFeedback)
            .where(GroupFeedback.session_id == session_id)
            .options(joinedload(GroupFeedback.author))
            .order_by(GroupFeedback.created_at)
        )
    )


def rate_session(
    rater_id: int, session: GroupSession, helpfulness: int, clarity: int, comment: str = ""
) -> Rating:
    """A participant who accepted rates the session once it has started (again replaces)."""
    took_part = any(
        p.mentee_id == rater_id and p.status == ParticipantStatus.ACCEPTED
        for p in session.participants
    )
    if not took_part:
        raise NotAllowed("Only participants rate a session.")
    if session.starts_at > utcnow():
        raise DomainError("You can rate the session once it has started.", field="helpfulness")
    return _save_rating(
        rater_id, session.mentor_id, {"session_id": session.id}, helpfulness, clarity, comment
    )


def session_ratings(session_id: int) -> RatingSummary:
    return _summary(Rating.session_id == session_id)


@dataclass
class GridCell:
    task: Task
    submission: Submission | None
    score: float | None  # mean of the latest feedback's scores


@dataclass
class GridRow:
    mentee: User
    attended: bool | None
    cells: list[GridCell]


def feedback_grid(session: GroupSession) -> list[GridRow]:
    """Every participant × every task: status, latest score, where to give feedback.
    Three queries whatever the number of participants and tasks."""
    coming = [p for p in session.participants if p.status == ParticipantStatus.ACCEPTED]
    tasks = session.lesson.tasks
    people = [p.mentee_id for p in coming]
    submissions = (
        {
            (s.mentee_id, s.task_id): s
            for s in db.session.scalars(
                select(Submission).where(
                    Submission.task_id.in_([t.id for t in tasks]), Submission.mentee_id.in_(people)
                )
            )
        }
        if people and tasks
        else {}
    )
    latest: dict[int, Feedback] = {}
    if submissions:
        for f in db.session.scalars(
            select(Feedback)
            .where(Feedback.submission_id.in_([s.id for s in submissions.values()]))
            .options(selectinload(Feedback.scores))
            .order_by(Feedback.created_at, Feedback.id)
        ):
            latest[f.submission_id] = f
    return [
        GridRow(
            p.mentee,
            p.attended,
            [
                GridCell(
                    t,
                    (sub := submissions.get((p.mentee_id, t.id))),
                    latest[sub.id].mean_score if sub and sub.id in latest else None,
                )
                for t in tasks
            ],
        )
        for p in coming
    ]
