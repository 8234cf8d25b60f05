"""Anonymous team surveys: single-use links, answers with no way back to who gave them,
and results only as per-question means of whole batches of three answers.

Nothing in the database links an answer to its link, system columns included:

- An answer enters a *ballot box*. Its transaction rewrites every link of the survey (so on
  PostgreSQL they all carry its `xmin`, not just the one spent) and the whole box, in an order
  that depends on the answers alone (ids, physical order and `xmin` say nothing of arrival).
- When the box holds a batch of `BATCH` answers, a transaction of its own moves them into the
  results, again in an order of their content; none of these rows has a time.
- Results count whole batches only, so comparing them before and after reveals the mean of a
  batch, never one person's answers; the pages say how many links were issued and answered,
  so a coordinator who answers with links of their own cannot pass unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload

from portal.errors import Conflict, DomainError, NotFound
from portal.extensions import db
from portal.programs.models import (
    Program,
    Survey,
    SurveyAnswer,
    SurveyBallot,
    SurveyQuestion,
    SurveyResponse,
    SurveyToken,
)

MIN_RESPONSES = 3
BATCH = MIN_RESPONSES  # answers count in whole batches: a difference shows a batch's mean
PHASES = ("baseline", "follow-up")
LEADERSHIP_TEMPLATE = (
    "My manager gives me feedback I can act on.",
    "My manager listens to my views before deciding.",
    "My manager recognises good work.",
    "My manager explains the reasons behind decisions.",
    "I would recommend my manager to a colleague.",
)


class TokenUsed(Conflict):
    status = 410


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_survey(
    program: Program, subject_id: int, title: str, phase: str, questions: list[str]
) -> Survey:
    if phase not in PHASES:
        raise DomainError("Choose baseline or follow-up.", field="phase")
    texts = [q.strip() for q in questions if q.strip()]
    if not 1 <= len(texts) <= 12:
        raise DomainError("Ask 1 to 12 questions, one per line.", field="questions")
    if subject_id not in {m.user_id for m in program.members}:
        raise DomainError("Choose a person in this program.", field="subject")
    survey = Survey(
        program_id=program.id,
        subject_id=subject_id,
        title=title.strip(),
        phase=phase,
        questions=[SurveyQuestion(position=i, text=t) for i, t in enumerate(texts, 1)],
    )
    db.session.add(survey)
    db.session.commit()
    return survey


def issue_links(survey: Survey, count: int, commit: bool = True) -> list[str]:
    """Make `count` single-use tokens; only their hashes are stored, so show them now."""
    if not 1 <= count <= 200:
        raise DomainError("Make 1 to 200 links at a time.", field="count")
    tokens = [secrets.token_urlsafe(18) for _ in range(count)]
    db.session.add_all(SurveyToken(survey_id=survey.id, token_hash=_hash(t)) for t in tokens)
    if commit:
        db.session.commit()
    return tokens


def email_links(survey: Survey, program_name: str, addresses: list[str]) -> int:
    """Email each address a single-use link of its own, in one transaction with the links.

    Nothing keeps which address got which link: the outbox forgets each message once it is
    sent, and the survey keeps only the count. The coordinator never sees the links.
    """
    from portal.notifications import mail
    from portal.notifications.services import absolute_url

    unique = list(dict.fromkeys(a.strip().lower() for a in addresses if a.strip()))
    if not unique:
        raise DomainError("Enter at least one email address.", field="addresses")
    tokens = issue_links(survey, len(unique), commit=False)
    secrets.SystemRandom().shuffle(tokens)  # the order of the addresses says nothing either
    for address, token in zip(unique, tokens, strict=True):
        db.session.add(
            mail.message_to(
                address,
                f"A short {'' if survey.named else 'anonymous '}survey: {survey.title}",
                "survey_link",
                link=absolute_url(f"/surveys/r/{token}"),
                program=program_name,
                survey=survey,
                questions=len(survey.questions),
            )
        )
    survey.links_emailed += len(unique)
    db.session.commit()
    return len(unique)


def survey_for_token(token: str) -> Survey:
    """The survey a link opens; NotFound for an unknown link, TokenUsed for a used one."""
    row = db.session.scalar(select(SurveyToken).where(SurveyToken.token_hash == _hash(token)))
    if row is None:
        raise NotFound("This survey link is not valid. Check that you copied all of it.")
    if row.used:
        raise TokenUsed("This survey link has already been used. Each link works once.")
    return db.session.scalar(
        select(Survey).where(Survey.id == row.survey_id).options(selectinload(Survey.questions))
    )


def answer(token: str, values: dict[int, int], name: str | None = None) -> None:
    """Spend the token and put the answers in the ballot box, atomically; nothing links the
    two. A full box is then counted, in a transaction of its own."""
    survey = survey_for_token(token)
    if set(values) != {q.id for q in survey.questions}:
        raise DomainError("Answer every question.", field="answers")
    if any(v not in range(1, 6) for v in values.values()):
        raise DomainError("Answers go from 1 to 5.", field="answers")
    _lock(survey.id)
    _spend(survey.id, token)
    named = (name or "").strip() or None if survey.named else None
    _into_the_box(survey.id, (named, json.dumps(sorted(values.items()))))
    db.session.commit()
    count_full_batches(survey.id)


def _spend(survey_id: int, token: str) -> None:
    """Mark the link used with one statement that rewrites every link of the survey: each row
    gets a new version in this transaction, so neither xmin nor position tells which one."""
    used = db.session.scalar(select(SurveyToken.used).where(SurveyToken.token_hash == _hash(token)))
    if used is not False:
        db.session.rollback()
        raise TokenUsed("This survey link has already been used. Each link works once.")
    db.session.execute(
        update(SurveyToken)
        .where(SurveyToken.survey_id == survey_id)
        .values(used=SurveyToken.used | (SurveyToken.token_hash == _hash(token)))
        .execution_options(synchronize_session=False)
    )


def _into_the_box(survey_id: int, ballot: tuple[str | None, str]) -> None:
    """Rewrite the whole ballot box with the new answer in it, in content order."""
    waiting = [(b.respondent_name, b.answers) for b in _box(survey_id)]
    db.session.execute(delete(SurveyBallot).where(SurveyBallot.survey_id == survey_id))
    for name, answers in _content_order([*waiting, ballot]):
        db.session.add(SurveyBallot(survey_id=survey_id, respondent_name=name, answers=answers))
        db.session.flush()  # one at a time: ids follow the content order


def count_full_batches(survey_id: int) -> int:
    """Move whole batches from the ballot box into the results; how many answers moved."""
    _lock(survey_id)
    box = _box(survey_id)
    ready = len(box) - len(box) % BATCH
    if not ready:
        db.session.rollback()
        return 0
    chosen = secrets.SystemRandom().sample(box, ready)
    db.session.execute(delete(SurveyBallot).where(SurveyBallot.id.in_([b.id for b in chosen])))
    for name, answers in _content_order((b.respondent_name, b.answers) for b in chosen):
        response = SurveyResponse(survey_id=survey_id, respondent_name=name)
        db.session.add(response)
        db.session.flush()  # one at a time: ids follow the content order
        db.session.add_all(
            SurveyAnswer(response_id=response.id, question_id=q, value=v)
            for q, v in json.loads(answers)
        )
    db.session.commit()
    return ready


def _content_order(ballots):
    """Answers sorted by what they say: an order that cannot carry when they arrived."""
    return sorted(ballots, key=lambda b: (json.loads(b[1]), b[0] or ""))


def _box(survey_id: int) -> list:
    return db.session.execute(
        select(SurveyBallot.id, SurveyBallot.respondent_name, SurveyBallot.answers).where(
            SurveyBallot.survey_id == survey_id
        )
    ).all()


def _lock(survey_id: int) -> None:
    """Answers to one survey take turns (PostgreSQL: the survey row; SQLite: the write lock,
    which a request that may write takes when it begins)."""
    db.session.execute(select(Survey.id).where(Survey.id == survey_id).with_for_update())


def set_named(survey: Survey, named: bool) -> None:
    """Named or anonymous; once answers exist an anonymous survey stays anonymous."""
    if named and not survey.named and links_answered(survey.id):
        raise Conflict("People answered this survey anonymously; it cannot become named.")
    if named and not survey.named and survey.links_emailed:
        raise Conflict("Its links went out by email as anonymous; it cannot become named.")
    survey.named = named
    db.session.commit()


def links_answered(survey_id: int) -> int:
    return db.session.scalar(
        select(func.count(SurveyToken.id)).where(
            SurveyToken.survey_id == survey_id, SurveyToken.used
        )
    )


def response_count(survey_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey_id)
    )


@dataclass
class Results:
    responses: int  # counted: whole batches only
    means: list[tuple[str, float]] | None  # None until MIN_RESPONSES counted
    links_issued: int
    links_used: int

    @property
    def waiting(self) -> int:
        """Answers in the ballot box, waiting for a full batch."""
        return self.links_used - self.responses

    @property
    def overall(self) -> float | None:
        return round(sum(m for _q, m in self.means) / len(self.means), 2) if self.means else None


def results(survey: Survey) -> Results:
    responses = response_count(survey.id)
    issued, used = db.session.execute(
        select(
            func.count(SurveyToken.id), func.count(SurveyToken.id).filter(SurveyToken.used)
        ).where(SurveyToken.survey_id == survey.id)
    ).one()
    means = None
    if responses >= MIN_RESPONSES:
        by_question = dict(
            db.session.execute(
                select(SurveyAnswer.question_id, func.avg(SurveyAnswer.value))
                .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
                .where(SurveyQuestion.survey_id == survey.id)
                .group_by(SurveyAnswer.question_id)
            ).all()
        )
        means = [(q.text, round(float(by_question.get(q.id, 0)), 2)) for q in survey.questions]
    return Results(responses, means, issued, used)


def surveys_of(program_id: int) -> list[Survey]:
    return list(
        db.session.scalars(
            select(Survey)
            .where(Survey.program_id == program_id)
            .options(selectinload(Survey.questions))
            .order_by(Survey.created_at, Survey.id)
        )
    )


def latest_measurement(program: Program) -> float | None:
    """The program's latest measured goal value: the mean of its latest phase's survey means
    (follow-ups if any have results, else baselines); None before any survey has results."""
    by_phase: dict[str, list[float]] = {}
    for survey in surveys_of(program.id):
        overall = results(survey).overall
        if overall is not None:
            by_phase.setdefault(survey.phase, []).append(overall)
    for phase in ("follow-up", "baseline"):
        if by_phase.get(phase):
            return round(sum(by_phase[phase]) / len(by_phase[phase]), 2)
    return None


def questions_to_reuse(program: Program) -> list[str]:
    """The questions of the previous cohort's latest survey, offered to this one's surveys."""
    if program.previous_id is None:
        return []
    latest = db.session.scalar(
        select(Survey)
        .where(Survey.program_id == program.previous_id)
        .order_by(Survey.created_at.desc(), Survey.id.desc())
        .options(selectinload(Survey.questions))
        .limit(1)
    )
    return [q.text for q in latest.questions] if latest else []


def results_of_programs(program_ids: list[int]) -> dict[int, list[tuple[Survey, Results]]]:
    """`results` for every survey of these programs, oldest first, in four queries whatever
    their number (the programs overview): the same figures, the same floor."""
    if not program_ids:
        return {}
    all_surveys = db.session.scalars(
        select(Survey)
        .where(Survey.program_id.in_(program_ids))
        .options(selectinload(Survey.questions))
        .order_by(Survey.created_at, Survey.id)
    ).all()
    ids = [s.id for s in all_surveys]
    responses = dict(
        db.session.execute(
            select(SurveyResponse.survey_id, func.count())
            .where(SurveyResponse.survey_id.in_(ids))
            .group_by(SurveyResponse.survey_id)
        ).all()
    )
    links = {
        survey_id: (issued, used)
        for survey_id, issued, used in db.session.execute(
            select(
                SurveyToken.survey_id,
                func.count(SurveyToken.id),
                func.count(SurveyToken.id).filter(SurveyToken.used),
            )
            .where(SurveyToken.survey_id.in_(ids))
            .group_by(SurveyToken.survey_id)
        )
    }
    averages = dict(
        db.session.execute(
            select(SurveyAnswer.question_id, func.avg(SurveyAnswer.value))
            .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
            .where(SurveyQuestion.survey_id.in_(ids))
            .group_by(SurveyAnswer.question_id)
        ).all()
    )
    found: dict[int, list[tuple[Survey, Results]]] = {i: [] for i in program_ids}
    for survey in all_surveys:
        counted = responses.get(survey.id, 0)
        means = None
        if counted >= MIN_RESPONSES:
            means = [(q.text, round(float(averages.get(q.id, 0)), 2)) for q in survey.questions]
        issued, used = links.get(survey.id, (0, 0))
        found[survey.program_id].append((survey, Results(counted, means, issued, used)))
    return found
