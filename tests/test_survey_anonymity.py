"""Survey anonymity against someone who reads the database, and against subtraction.

The coordinator knows who got which link and, by trying links, in which order they were used.
Nothing stored — columns, row ids, physical order, PostgreSQL's transaction ids — may then
tell whose answers are whose, and results compared over time may only reveal batch means.
"""

import json

import pytest
from markupsafe import escape
from sqlalchemy import Date, DateTime, func, inspect, select, text

from portal.extensions import db
from portal.programs import surveys
from portal.programs.models import SurveyAnswer, SurveyBallot, SurveyResponse
from tests.conftest import TEST_DATABASE_URL
from tests.test_program_care import make_survey, paired  # noqa: F401 (a fixture)

ANONYMITY_TABLES = ("survey_tokens", "survey_ballots", "survey_responses", "survey_answers")
# Seven people, each with answers of their own, in the order they answer.
PEOPLE = [(5, 1), (4, 2), (3, 3), (5, 5), (1, 4), (2, 2), (4, 4)]


def _two_question_survey(program, p):
    return surveys.create_survey(program, p["margaret"].id, "Team", "baseline", ["A?", "B?"])


def _answer(survey, token, pair):
    surveys.answer(token, dict(zip([q.id for q in survey.questions], pair, strict=True)))


def _stored(survey, table):
    """The stored answers, in id order (what `ORDER BY id` or a sequence shows)."""
    if table == "ballots":
        rows = db.session.scalars(
            select(SurveyBallot.answers)
            .where(SurveyBallot.survey_id == survey.id)
            .order_by(SurveyBallot.id)
        )
        return [tuple(v for _q, v in json.loads(r)) for r in rows]
    rows = db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyAnswer.response_id, SurveyAnswer.question_id)
    ).all()
    by_response: dict[int, list[int]] = {}
    for response_id, value in rows:
        by_response.setdefault(response_id, []).append(value)
    return [tuple(v) for v in by_response.values()]


def test_answers_count_in_whole_batches_so_a_difference_shows_no_one(paired):  # noqa: F811
    program, _match, p = paired
    survey = _two_question_survey(program, p)
    tokens = surveys.issue_links(survey, len(PEOPLE))
    seen = []
    for token, pair in zip(tokens, PEOPLE, strict=True):
        _answer(survey, token, pair)
        r = surveys.results(survey)
        assert r.responses % surveys.BATCH == 0 and r.links_used == len(seen) + 1
        seen.append(r.means)
    assert seen[:2] == [None, None]  # nothing before the first batch
    assert seen[2] == seen[3] == seen[4]  # the fourth and fifth answers change nothing yet
    assert seen[5] != seen[4] and seen[6] == seen[5]
    assert surveys.results(survey).waiting == 1


def test_arrival_order_leaves_no_trace_in_ids(paired):  # noqa: F811
    """The same answers arriving in another order are stored exactly alike."""
    program, _match, p = paired
    orders = [PEOPLE[:6], [PEOPLE[i] for i in (2, 0, 1, 4, 5, 3)]]
    stored = []
    for order in orders:
        survey = _two_question_survey(program, p)
        tokens = surveys.issue_links(survey, len(order))
        for token, pair in zip(tokens[:2], order[:2], strict=True):
            _answer(survey, token, pair)
        box = _stored(survey, "ballots")
        for token, pair in zip(tokens[2:], order[2:], strict=True):
            _answer(survey, token, pair)
        stored.append((box, _stored(survey, "responses")))
    assert stored[0][0] != orders[0][:2]  # the box is not in arrival order…
    assert stored[0][0] == sorted(orders[0][:2])  # …but in the order of the answers
    assert stored[1][0] == [(3, 3), (5, 1)]
    assert stored[0][1] == stored[1][1]  # responses: one layout whatever the arrival
    assert db.session.scalar(select(func.count()).select_from(SurveyBallot)) == 0


def test_no_time_is_stored_with_links_ballots_or_answers(app):
    for table in ANONYMITY_TABLES:
        kinds = [c["type"] for c in inspect(db.engine).get_columns(table)]
        assert not any(isinstance(k, DateTime | Date) for k in kinds), table


postgresql_only = pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgres"), reason="PostgreSQL system columns"
)


def _system_columns(table: str, survey_id: int, order: str = "id") -> list[tuple]:
    return db.session.execute(
        text(
            f"SELECT id, xmin::text, xmax::text FROM {table} "  # noqa: S608 (our own names)
            f"WHERE survey_id = :s ORDER BY {order}"
        ),
        {"s": survey_id},
    ).all()


def _answer_rows(survey_id: int) -> list[tuple]:
    return db.session.execute(
        text(
            "SELECT a.id, a.xmin::text, a.xmax::text FROM survey_answers a "
            "JOIN survey_responses r ON r.id = a.response_id WHERE r.survey_id = :s"
        ),
        {"s": survey_id},
    ).all()


def _assert_no_row_points_to_one_link(survey_id: int) -> None:
    """Every transaction id on an answer row is on no link or on every link of the survey."""
    tokens = _system_columns("survey_tokens", survey_id)
    every = {t.id for t in tokens}
    answer_rows = (
        _system_columns("survey_ballots", survey_id)
        + _system_columns("survey_responses", survey_id)
        + _answer_rows(survey_id)
    )
    for row in answer_rows:
        for xid in {row.xmin, row.xmax} - {"0"}:
            sharing = {t.id for t in tokens if xid in (t.xmin, t.xmax)}
            assert sharing in (set(), every), (row, sharing)


@postgresql_only
def test_xmin_joins_and_physical_order_link_no_answer_to_its_link(paired):  # noqa: F811
    program, _match, p = paired
    survey = _two_question_survey(program, p)
    tokens = surveys.issue_links(survey, len(PEOPLE) + 2)
    for token, pair in zip(tokens, PEOPLE, strict=False):  # two links stay unused
        _answer(survey, token, pair)
        _assert_no_row_points_to_one_link(survey.id)  # after every answer, box full or not
    joined = db.session.execute(
        text(
            "SELECT count(*) FROM survey_tokens t JOIN survey_responses r ON t.xmin = r.xmin "
            "WHERE t.survey_id = :s"
        ),
        {"s": survey.id},
    ).scalar()
    assert joined == 0  # the attack from the review: one join linked every answer
    by_id = [r.id for r in _system_columns("survey_responses", survey.id)]
    by_ctid = [r.id for r in _system_columns("survey_responses", survey.id, "ctid")]
    assert by_ctid == by_id  # physical order is the content order too
    batches = {r.xmin for r in _system_columns("survey_responses", survey.id)}
    assert len(batches) == len(PEOPLE) // surveys.BATCH  # one transaction per batch
    links = [r.id for r in _system_columns("survey_tokens", survey.id, "ctid")]
    assert links == sorted(links)  # links keep their places: the spent ones do not move


def test_pages_show_links_issued_and_answered_so_topping_up_shows(client, paired):  # noqa: F811
    """A coordinator who answers with spare links of their own is visible in the counts."""
    program, _match, p = paired
    survey = make_survey(program, p)
    tokens = surveys.issue_links(survey, 6)
    for token in tokens[:4]:
        surveys.answer(token, {q.id: 4 for q in survey.questions})
    page = client.get(f"/programs/{program.id}/surveys/{survey.id}").get_data(as_text=True)
    assert (
        "<strong>6</strong> links issued · <strong>4</strong> answered · "
        "<strong>3</strong> counted · 1 waiting for a full group of 3." in page
    )
    report = client.get(f"/programs/{program.id}/report").get_data(as_text=True)
    row = f"<td>{escape(survey.title)}</td><td>4.0</td><td>6</td><td>0</td><td>4</td><td>3</td>"
    assert row in report  # 6 issued, none of them by email, 4 answered, 3 counted
    goal_csv = client.get(f"/programs/{program.id}/report/goal.csv").get_data(as_text=True)
    assert "links issued,of them sent by email,links answered,answers counted" in goal_csv
    assert f"baseline,{survey.title},4.0,6,0,4,3" in goal_csv
