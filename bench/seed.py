"""A large data set for the benchmark, written with bulk inserts (seconds, not minutes):
2,000+ people, 500 lessons, 50,000 answers with feedback, a program with matches and surveys."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from feedback.models import Criterion, Feedback, Rubric, Score
from lessons import markdown
from lessons.models import Assignment, Attempt, Lesson, Submission, Task
from portal.accounts.models import Mentorship, User
from portal.extensions import db
from portal.programs.models import Match, Member, Program
from portal.topics import Topic

PASSWORD = "benchmark-password"
MENTORS, MENTEES, LESSONS, SUBMISSIONS, POST_TASKS = 500, 1_600, 500, 50_000, 6_000
BODY = """## Why it matters

Screen readers read **alt text** aloud. Write what the picture *means*.

| Image | Alt text |
|---|---|
| Chart | Its conclusion |

- Short
- Specific
- No "image of"
"""


def _now(days: float = 0) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def seed() -> dict:
    """Fill an empty (migrated) database; returns ids the benchmark visits."""
    rng = random.Random(42)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    topics = db.session.scalars(select(Topic.id).order_by(Topic.id)).all()
    people = [
        {
            "email": f"mentor{i}@bench.example",
            "name": f"Mentor {i}",
            "password_hash": hashed,
            "seniority": 2,
            "is_coordinator": False,
        }
        for i in range(MENTORS)
    ]
    people += [
        {
            "email": f"mentee{i}@bench.example",
            "name": f"Mentee {i}",
            "password_hash": hashed,
            "seniority": 8,
            "is_coordinator": False,
        }
        for i in range(MENTEES)
    ]
    people.append(
        {
            "email": "coordinator@bench.example",
            "name": "Coordinator",
            "password_hash": hashed,
            "seniority": 5,
            "is_coordinator": True,
        }
    )
    for row in people:
        row.update(
            job_title="", is_active_account=True, session_version=1, bio="", created_at=_now(100)
        )
    db.session.execute(insert(User), people)
    ids = dict(db.session.execute(select(User.email, User.id)).all())
    mentor_ids = [ids[f"mentor{i}@bench.example"] for i in range(MENTORS)]
    mentee_ids = [ids[f"mentee{i}@bench.example"] for i in range(MENTEES)]

    html = markdown.render(BODY)
    lessons = [
        {
            "topic_id": topics[i % len(topics)],
            "author_id": mentor_ids[i % MENTORS],
            "title": f"Lesson {i}: giving feedback on {['alt text', 'posts', 'meetings'][i % 3]}",
            "summary": "A short lesson for the benchmark.",
            "body": BODY,
            "body_html": html,
            "html_version": markdown.RENDERER_VERSION,
            "minutes": 10,
            "status": "published",
            "revision_count": 1,
            "created_at": _now(90),
            "updated_at": _now(90 - i / 10),
            "published_at": _now(90 - i / 10),
        }
        for i in range(LESSONS)
    ]
    # Single-task lessons the submission POST benchmark answers, published long ago.
    lessons += [
        {
            "topic_id": topics[0],
            "author_id": mentor_ids[0],
            "title": f"Drill {i}",
            "summary": "Drill.",
            "body": "Drill.",
            "body_html": "<p>Drill.</p>",
            "html_version": markdown.RENDERER_VERSION,
            "minutes": 1,
            "status": "published",
            "revision_count": 1,
            "created_at": _now(400),
            "updated_at": _now(400),
            "published_at": _now(400),
        }
        for i in range(POST_TASKS)
    ]
    db.session.execute(insert(Lesson), lessons)
    lesson_rows = db.session.execute(
        select(Lesson.id, Lesson.topic_id, Lesson.author_id).order_by(Lesson.id)
    ).all()
    db.session.execute(
        insert(Task),
        [
            {
                "lesson_id": lid,
                "position": p,
                "prompt": "Try it.",
                "prompt_html": "<p>Try it.</p>",
                "done_when": "",
                "done_when_html": "",
                "html_version": markdown.RENDERER_VERSION,
            }
            for lid, _t, _a in lesson_rows[:LESSONS]
            for p in (1, 2)
        ]
        + [
            {
                "lesson_id": lid,
                "position": 1,
                "prompt": "Drill.",
                "prompt_html": "<p>Drill.</p>",
                "done_when": "",
                "done_when_html": "",
                "html_version": markdown.RENDERER_VERSION,
            }
            for lid, _t, _a in lesson_rows[LESSONS:]
        ],
    )
    tasks = db.session.execute(
        select(Task.id, Task.lesson_id)
        .where(Task.lesson_id <= lesson_rows[LESSONS - 1][0])
        .order_by(Task.id)
    ).all()
    lesson_of = {lid: (topic, author) for lid, topic, author in lesson_rows}
    drill_tasks = db.session.scalars(
        select(Task.id).where(Task.lesson_id > lesson_rows[LESSONS - 1][0]).order_by(Task.id)
    ).all()

    # 50,000 answers: mentee k answers ~31 tasks, each with one piece of feedback.
    pairs, seen = [], set()
    while len(pairs) < SUBMISSIONS:
        mentee, (task, lesson) = rng.choice(mentee_ids), rng.choice(tasks)
        if (mentee, task) not in seen:
            seen.add((mentee, task))
            pairs.append((mentee, task, lesson))
    db.session.execute(
        insert(Submission),
        [
            {
                "task_id": t,
                "mentee_id": m,
                "status": "accepted" if i % 3 else "submitted",
                "attempt_count": 1,
                "created_at": _now(60 - i / 1000),
                "updated_at": _now(60 - i / 1000),
            }
            for i, (m, t, _l) in enumerate(pairs)
        ],
    )
    submissions = db.session.execute(
        select(Submission.id, Submission.mentee_id, Submission.task_id, Submission.status).order_by(
            Submission.id
        )
    ).all()
    db.session.execute(
        insert(Attempt),
        [
            {
                "submission_id": s,
                "number": 1,
                "body": "My answer.",
                "body_html": "<p>My answer.</p>",
                "link": "",
                "created_at": _now(60),
            }
            for s, _m, _t, _st in submissions
        ],
    )
    attempts = dict(db.session.execute(select(Attempt.submission_id, Attempt.id)).all())
    rubric_of = {t: (r, [c for c in crit]) for t, r, crit in _rubrics()}
    task_lesson = {t: lesson for _m, t, lesson in pairs}
    feedback_rows = []
    for i, (s, m, t, status) in enumerate(submissions):
        if status != "accepted":
            continue
        topic, author = lesson_of[task_lesson[t]]
        feedback_rows.append(
            {
                "author_id": author,
                "mentee_id": m,
                "topic_id": topic,
                "rubric_id": rubric_of[topic][0],
                "submission_id": s,
                "attempt_id": attempts[s],
                "strengths": "Clear and specific.",
                "improvements": "Add one example.",
                "next_step": "Try it on a real slide.",
                "outcome": "accept",
                "created_at": _now(50 - i / 1000),
                "seen_at": _now(49),
            }
        )
    db.session.execute(insert(Feedback), feedback_rows)
    scores = []
    for fid, topic in db.session.execute(select(Feedback.id, Feedback.topic_id)):
        for c in rubric_of[topic][1]:
            scores.append({"feedback_id": fid, "criterion_id": c, "level": rng.randint(1, 4)})
    db.session.execute(insert(Score), scores)

    # Mentorships, assignments and a program with matches.
    db.session.execute(
        insert(Mentorship),
        [
            {
                "mentor_id": mentor_ids[i % MENTORS],
                "mentee_id": m,
                "requested_by_id": m,
                "status": "active",
                "message": "",
                "created_at": _now(70),
            }
            for i, m in enumerate(mentee_ids)
        ],
    )
    db.session.execute(
        insert(Assignment),
        [
            {"lesson_id": lid, "mentee_id": m, "created_at": _now(60)}
            for (m, lid) in {(m, lesson) for m, _t, lesson in pairs}
        ],
    )
    coordinator = ids["coordinator@bench.example"]
    db.session.execute(
        insert(Program),
        [
            {
                "name": "Benchmark program",
                "focus": "leadership",
                "goal_statement": "Better feedback.",
                "goal_metric": "Survey mean",
                "goal_baseline": 3.0,
                "goal_target": 20.0,
                "target_kind": "relative",
                "goal_achievable": "",
                "goal_relevant": "",
                "starts_on": _now(90).date(),
                "ends_on": _now(-90).date(),
                "status": "active",
                "checkin_weeks": 4,
                "weekly_hours_limit": 2.0,
                "closing_reflection": "",
                "created_by_id": coordinator,
                "created_at": _now(90),
            }
        ],
    )
    program = db.session.scalar(select(Program.id))
    db.session.execute(
        insert(Member),
        [
            {
                "program_id": program,
                "user_id": u,
                "role": role,
                "status": "accepted",
                "note": "",
                "capacity": 2 if role == "mentor" else 0,
                "invited_at": _now(80),
            }
            for role, group in (("mentor", mentor_ids[:200]), ("mentee", mentee_ids[:400]))
            for u in group
        ],
    )
    db.session.execute(
        insert(Match),
        [
            {
                "program_id": program,
                "mentor_id": mentor_ids[i // 2],
                "mentee_id": m,
                "status": "confirmed",
                "mentee_rank": 1,
                "created_at": _now(70),
            }
            for i, m in enumerate(mentee_ids[:400])
        ],
    )
    db.session.commit()
    busiest_mentee = max(mentee_ids[:50], key=lambda m: sum(1 for p in pairs if p[0] == m))
    return {
        "lesson": lesson_rows[0][0],
        "mentee": busiest_mentee,
        "mentor": mentor_ids[0],
        "coordinator": coordinator,
        "program": program,
        "drill_tasks": drill_tasks,
        "emails": {v: k for k, v in ids.items()},
    }


def _rubrics():
    rows = db.session.execute(select(Rubric.topic_id, Rubric.id)).all()
    for topic, rubric in rows:
        yield (
            topic,
            rubric,
            db.session.scalars(
                select(Criterion.id)
                .where(Criterion.rubric_id == rubric)
                .order_by(Criterion.position)
            ).all(),
        )
