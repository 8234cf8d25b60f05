"""Anonymous team surveys: single-use links, answers with no way back to who gave them,
and results only as per-question means once at least three people answered."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from portal.errors import Conflict, DomainError, NotFound
from portal.extensions import db
from portal.programs.models import (
    Program,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyToken,
)

MIN_RESPONSES = 3
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


def issue_links(survey: Survey, count: int) -> list[str]:
    """Make `count` single-use tokens; only their hashes are stored, so show them now."""
    if not 1 <= count <= 200:
        raise DomainError("Make 1 to 200 links at a time.", field="count")
    tokens = [secrets.token_urlsafe(18) for _ in range(count)]
    db.session.add_all(SurveyToken(survey_id=survey.id, token_hash=_hash(t)) for t in tokens)
    db.session.commit()
    return tokens


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
    """Store one set of answers and spend the token, atomically; nothing links the two."""
    survey = survey_for_token(token)
    if set(values) != {q.id for q in survey.questions}:
        raise DomainError("Answer every question.", field="answers")
    if any(v not in range(1, 6) for v in values.values()):
        raise DomainError("Answers go from 1 to 5.", field="answers")
    spent = db.session.execute(
        update(SurveyToken)
        .where(SurveyToken.token_hash == _hash(token), SurveyToken.used.is_(False))
        .values(used=True)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        db.session.rollback()
        raise TokenUsed("This survey link has already been used. Each link works once.")
    response = SurveyResponse(
        survey_id=survey.id, respondent_name=(name or "").strip() or None if survey.named else None
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        SurveyAnswer(response_id=response.id, question_id=q, value=v) for q, v in values.items()
    )
    db.session.commit()


def set_named(survey: Survey, named: bool) -> None:
    """Named or anonymous; once answers exist an anonymous survey stays anonymous."""
    if named and not survey.named and response_count(survey.id):
        raise Conflict("People answered this survey anonymously; it cannot become named.")
    survey.named = named
    db.session.commit()


def response_count(survey_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey_id)
    )


@dataclass
class Results:
    responses: int
    means: list[tuple[str, float]] | None  # None until MIN_RESPONSES answered
    links_issued: int
    links_used: int

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
