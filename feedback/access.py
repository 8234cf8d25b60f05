"""Who may see and do what with a mentee's record: the one place these rules live.

A person's record (answers, feedback, observations, progress, history) is theirs. Others reach
a part of it only through a relationship that is live *now*:

- a mentor in an **active** mentorship sees and reviews the mentee's work in that mentorship's
  topics, and in the lessons they assigned to the mentee, and sees the progress page for those
  topics; a pending, declined or ended mentorship grants nothing;
- a lesson's author sees and reviews the answers to that lesson only, while the mentee has the
  lesson on their list;
- the mentor of a group session sees and reviews the answers of its accepted participants to
  the session's lesson, until the session is cancelled or `SESSION_REACH` after it began;
- a coordinator sees the whole record of the people in the programs they run (and reviews none);
- the mentee's history export is theirs and their program coordinators'.

Conversations are narrower than the record: a submission's thread is the mentee's and the
mentors who may review it now (`can_review`); an observation's is the mentee's and its
author's, while the author may still observe in its topic. Coordinators, who see the record,
never read these threads.

Anyone else is told the record does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from lessons.models import Assignment, Lesson, Submission
from lessons.sessions.models import GroupSession, Participant, ParticipantStatus, SessionStatus
from portal.accounts.models import Mentorship, MentorshipStatus, User, mentorship_topics
from portal.clock import utcnow
from portal.extensions import db
from portal.programs.models import Member, MemberStatus, Program

# How long after a group session begins its mentor may still review what participants hand in.
SESSION_REACH = timedelta(days=14)


@dataclass(frozen=True)
class Reach:
    """What one person may see of one mentee's record, and why."""

    whole: bool = False  # the mentee themself, or a coordinator of their program
    topic_ids: frozenset[int] = frozenset()  # an active mentorship's topics
    lesson_ids: frozenset[int] = frozenset()  # assigned, authored or taught lessons

    @property
    def any(self) -> bool:
        return self.whole or bool(self.topic_ids or self.lesson_ids)

    def covers(self, topic_id: int, lesson_id: int | None = None) -> bool:
        return self.whole or topic_id in self.topic_ids or lesson_id in self.lesson_ids


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _active_mentorship(mentor_id: int, mentee_id: int):
    return select(Mentorship.id).where(
        Mentorship.mentor_id == mentor_id,
        Mentorship.mentee_id == mentee_id,
        Mentorship.status == MentorshipStatus.ACTIVE,
    )


def _mentor_lessons(viewer_id: int, mentee_id: int) -> list[tuple[int, str]]:
    """(lesson id, why) for each lesson that gives the viewer reach into the mentee's answers."""
    found = []
    if db.session.scalar(_active_mentorship(viewer_id, mentee_id).limit(1)):
        found += [
            (lesson_id, "assigned")
            for lesson_id in db.session.scalars(
                select(Assignment.lesson_id).where(
                    Assignment.mentee_id == mentee_id, Assignment.assigned_by_id == viewer_id
                )
            )
        ]
    found += [
        (lesson_id, "author")
        for lesson_id in db.session.scalars(
            select(Assignment.lesson_id)
            .join(Lesson, Lesson.id == Assignment.lesson_id)
            .where(Assignment.mentee_id == mentee_id, Lesson.author_id == viewer_id)
        )
    ]
    found += [
        (lesson_id, "session")
        for lesson_id in db.session.scalars(taught_lessons(viewer_id, mentee_id=mentee_id))
    ]
    return found


def taught_lessons(mentor_id: int, mentee_id=None):
    """The lessons of the live group sessions a mentor runs (with this mentee accepted, when
    `mentee_id` is a value, or with the participant column it names, in a larger query)."""
    return (
        select(GroupSession.lesson_id)
        .join(Participant, Participant.session_id == GroupSession.id)
        .where(
            GroupSession.mentor_id == mentor_id,
            GroupSession.status == SessionStatus.SCHEDULED,
            GroupSession.starts_at >= utcnow() - SESSION_REACH,
            Participant.mentee_id == mentee_id,
            Participant.status == ParticipantStatus.ACCEPTED,
        )
    )


def _runs_program_of(coordinator_id: int, mentee_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(Member.id)
            .join(Program, Program.id == Member.program_id)
            .where(
                Program.created_by_id == coordinator_id,
                Member.user_id == mentee_id,
                Member.status != MemberStatus.DECLINED,
            )
            .limit(1)
        )
    )


def reach(user, mentee_id: int) -> Reach:
    """What `user` may see of `mentee_id`'s record."""
    if not _signed_in(user):
        return Reach()
    if user.id == mentee_id:
        return Reach(whole=True)
    if user.is_coordinator and _runs_program_of(user.id, mentee_id):
        return Reach(whole=True)
    topics = frozenset(
        db.session.scalars(
            select(mentorship_topics.c.topic_id)
            .join(Mentorship, Mentorship.id == mentorship_topics.c.mentorship_id)
            .where(
                Mentorship.mentor_id == user.id,
                Mentorship.mentee_id == mentee_id,
                Mentorship.status == MentorshipStatus.ACTIVE,
            )
        )
    )
    lessons = _mentor_lessons(user.id, mentee_id)
    return Reach(
        topic_ids=topics,
        lesson_ids=frozenset(lesson_id for lesson_id, _why in lessons),
    )


def can_view_progress(user, mentee_id: int) -> bool:
    """The progress page: the person, their active mentors (their topics), their coordinators."""
    r = reach(user, mentee_id)
    return r.whole or bool(r.topic_ids)


def visible_topics(user, mentee_id: int) -> frozenset[int] | None:
    """The topics of the record `user` may see; None means all of them."""
    r = reach(user, mentee_id)
    return None if r.whole else r.topic_ids


def can_export(user, mentee_id: int) -> bool:
    """The whole history as CSV: the person and the coordinators of their programs."""
    return reach(user, mentee_id).whole


def can_view_submission(user, submission: Submission) -> bool:
    lesson = submission.task.lesson
    return reach(user, submission.mentee_id).covers(lesson.topic_id, lesson.id)


def can_review(user, submission: Submission) -> bool:
    """Giving feedback on an answer: a mentor whose reach covers it; never the mentee, and
    never a coordinator by office alone."""
    if not _signed_in(user) or user.id == submission.mentee_id:
        return False
    r = reach(user, submission.mentee_id)
    lesson = submission.task.lesson
    return lesson.topic_id in r.topic_ids or lesson.id in r.lesson_ids


def observable_topics(user, mentee_id: int) -> frozenset[int]:
    """Observations without a submission: an active mentor, in the mentorship's topics."""
    if not _signed_in(user) or user.id == mentee_id:
        return frozenset()
    return reach(user, mentee_id).topic_ids


def can_observe(user, mentee_id: int, topic_id: int | None = None) -> bool:
    topics = observable_topics(user, mentee_id)
    return bool(topics) if topic_id is None else topic_id in topics


def can_see_feedback(user, feedback) -> bool:
    """One piece of feedback or observation: whoever's reach covers its topic (or lesson)."""
    lesson_id = feedback.submission.task.lesson_id if feedback.submission_id else None
    return reach(user, feedback.mentee_id).covers(feedback.topic_id, lesson_id)


def can_acknowledge(user, feedback) -> bool:
    """Thanking for feedback, committing to a change and ticking it off: only the person the
    feedback is about (the giver, mentors and coordinators see it, and do none of it)."""
    return _signed_in(user) and user.id == feedback.mentee_id


@dataclass(frozen=True)
class Viewer:
    """One person who can see part of a mentee's record, and the rule that lets them."""

    name: str
    why: str


WHY = {
    "mentor": "mentors you now (an active mentorship), in {topics}",
    "assigned": "assigned you lessons in your active mentorship: answers to those lessons",
    "author": "wrote lessons on your list: your answers to those lessons only",
    "session": "runs a group session you joined: your answers to its lesson, for two weeks "
    "from its start",
    "coordinator": "coordinates a program you are in: your whole record",
}


def who_can_see(mentee_id: int) -> list[Viewer]:
    """Everyone who can see part of this person's record now, in words, for the mentee.
    A fixed number of queries, one per rule, however many people there are."""
    from portal.topics import Topic

    mentors: dict[str, set[str]] = {}
    for name, topic in db.session.execute(
        select(User.name, Topic.name)
        .join(Mentorship, Mentorship.mentor_id == User.id)
        .join(mentorship_topics, mentorship_topics.c.mentorship_id == Mentorship.id)
        .join(Topic, Topic.id == mentorship_topics.c.topic_id)
        .where(Mentorship.mentee_id == mentee_id, Mentorship.status == MentorshipStatus.ACTIVE)
    ):
        mentors.setdefault(name, set()).add(topic)
    viewers = [
        Viewer(name, WHY["mentor"].format(topics=", ".join(sorted(topics))))
        for name, topics in mentors.items()
    ]
    assigners = (
        select(User.name)
        .join(Assignment, Assignment.assigned_by_id == User.id)
        .join(
            Mentorship,
            (Mentorship.mentor_id == User.id)
            & (Mentorship.mentee_id == mentee_id)
            & (Mentorship.status == MentorshipStatus.ACTIVE),
        )
        .where(Assignment.mentee_id == mentee_id)
    )
    authors = (
        select(User.name)
        .join(Lesson, Lesson.author_id == User.id)
        .join(Assignment, Assignment.lesson_id == Lesson.id)
        .where(Assignment.mentee_id == mentee_id, User.id != mentee_id)
    )
    hosts = (
        select(User.name)
        .join(GroupSession, GroupSession.mentor_id == User.id)
        .join(Participant, Participant.session_id == GroupSession.id)
        .where(
            GroupSession.status == SessionStatus.SCHEDULED,
            GroupSession.starts_at >= utcnow() - SESSION_REACH,
            Participant.mentee_id == mentee_id,
            Participant.status == ParticipantStatus.ACCEPTED,
        )
    )
    coordinators = (
        select(User.name)
        .join(Program, Program.created_by_id == User.id)
        .join(Member, Member.program_id == Program.id)
        .where(
            Member.user_id == mentee_id,
            Member.status != MemberStatus.DECLINED,
            User.is_coordinator.is_(True),
        )
    )
    for why, query in (
        ("assigned", assigners),
        ("author", authors),
        ("session", hosts),
        ("coordinator", coordinators),
    ):
        viewers += [Viewer(name, WHY[why]) for name in db.session.scalars(query.distinct())]
    return sorted(viewers, key=lambda v: (v.name, v.why))


def reviewers(submission: Submission) -> list[User]:
    """Everyone who may give feedback on this answer now (`can_review`), by name: told when it
    arrives. Candidates are the mentee's active mentors, the lesson's author and the mentors
    of group sessions on the lesson; the rule itself decides."""
    mentee_id, lesson = submission.mentee_id, submission.task.lesson
    candidates = set(
        db.session.scalars(
            select(Mentorship.mentor_id).where(
                Mentorship.mentee_id == mentee_id, Mentorship.status == MentorshipStatus.ACTIVE
            )
        )
    )
    candidates |= set(
        db.session.scalars(
            select(GroupSession.mentor_id)
            .join(Participant, Participant.session_id == GroupSession.id)
            .where(Participant.mentee_id == mentee_id, GroupSession.lesson_id == lesson.id)
        )
    )
    candidates.add(lesson.author_id)
    candidates.discard(mentee_id)
    people = db.session.scalars(select(User).where(User.id.in_(candidates)).order_by(User.name))
    return [person for person in people if can_review(person, submission)]


def submission_conversation(submission: Submission) -> list[User]:
    """Who talks under an answer (all its attempts): the mentee and everyone who may review
    it now. Never a coordinator by office alone."""
    return [submission.mentee, *reviewers(submission)]


def observation_conversation(observation) -> list[User]:
    """Who talks under an observation: the mentee, and its author while they may still
    observe the mentee in its topic (an active mentorship in it)."""
    people = [observation.mentee]
    if can_observe(observation.author, observation.mentee_id, observation.topic_id):
        people.append(observation.author)
    return people


def discussed_observations(user, mentee_id: int, observations) -> set[int]:
    """The observations (of one mentee) whose conversation `user` takes part in, in one query
    at most: all of them for the mentee, a mentor's own in the topics they may observe."""
    if not _signed_in(user):
        return set()
    if user.id == mentee_id:
        return {o.id for o in observations}
    own = [o for o in observations if o.author_id == user.id]
    topics = observable_topics(user, mentee_id) if own else frozenset()
    return {o.id for o in own if o.topic_id in topics}
