"""Check-ins, mentor workload, anonymous surveys, the evaluation report and recognition."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from portal.accounts.kudos import Kudos
from portal.errors import Conflict, DomainError, NotFound
from portal.extensions import db
from portal.programs import care as program_care
from portal.programs import services as programs
from portal.programs import surveys
from portal.programs.models import (
    CheckIn,
    Match,
    SurveyBallot,
    SurveyResponse,
    SurveyToken,
    WorkLog,
)
from tests.conftest import feedback_data, topic_id


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def paired(make_user, login):
    """An active program whose one pair (Leo mentors Margaret) was confirmed ten weeks ago."""
    sam = make_user("Sam Coordinator", coordinator=True)
    leo, margaret = make_user("Leo", seniority=2), make_user("Margaret", seniority=8)
    team = [make_user(f"Team member {i}") for i in range(3)]
    today = date.today()
    data = programs.ProgramData(
        name="Ops 2026",
        focus="leadership",
        goal_statement="Feedback their teams find useful.",
        goal_metric="Survey mean",
        goal_baseline=3.0,
        goal_target=20,
        target_kind="relative",
        goal_achievable="",
        goal_relevant="",
        starts_on=today - timedelta(weeks=10),
        ends_on=today + timedelta(weeks=10),
        checkin_weeks=4,
        weekly_hours_limit=2,
    )
    program = programs.save_program(None, data, sam.id)
    programs.invite(program, [leo.id], "mentor")
    programs.invite(program, [margaret.id], "mentee")
    programs.respond(program, leo, True, capacity=1, topic_ids=[topic_id("leadership")])
    programs.respond(program, margaret, True, topic_ids=[topic_id("leadership")])
    programs.run_matching(program)
    programs.confirm(program, sam)
    programs.advance(program)
    match = db.session.scalar(select(Match))
    match.created_at = match.created_at - timedelta(weeks=10)
    db.session.commit()
    login(sam)
    return program, match, {"sam": sam, "leo": leo, "margaret": margaret, "team": team}


CHECKIN = {
    "what_works": "They meet every week without fail.",
    "what_does_not": "Sessions run over time too often.",
    "actions": "Keep to forty-five minutes and end with one action.",
    "private_notes": "Margaret seems stretched this quarter.",
}


def test_overdue_check_ins_stand_out_and_recording_one_clears_it(client, paired):
    program, match, p = paired
    dashboard = client.get("/").get_data(as_text=True)
    assert "Overdue check-ins (1)" in dashboard and "Leo and Margaret" in dashboard
    assert "Overdue by" in client.get(f"/programs/{program.id}").get_data(as_text=True)
    response = client.post(
        f"/programs/{program.id}/checkins/{match.id}",
        data={**CHECKIN, "held_on": date.today().isoformat()},
    )
    assert response.status_code == 302 and count(CheckIn) == 1
    assert "Overdue check-ins" not in client.get("/").get_data(as_text=True)
    due = program_care.checkin_status(program)[0].due
    assert due == date.today() + timedelta(weeks=4)


def test_check_in_rules(client, login, paired):
    program, match, p = paired
    future = client.post(
        f"/programs/{program.id}/checkins/{match.id}",
        data={**CHECKIN, "held_on": (date.today() + timedelta(days=2)).isoformat()},
    )
    assert future.status_code == 422 and "cannot be in the future" in future.get_data(as_text=True)
    short = client.post(
        f"/programs/{program.id}/checkins/{match.id}",
        data={**CHECKIN, "what_works": "Fine", "held_on": date.today().isoformat()},
    )
    assert short.status_code == 422
    login(p["leo"])
    assert client.get(f"/programs/{program.id}/checkins/{match.id}").status_code == 403
    assert count(CheckIn) == 0


def test_private_notes_stay_with_coordinators(client, login, paired):
    program, match, p = paired
    client.post(
        f"/programs/{program.id}/checkins/{match.id}",
        data={**CHECKIN, "held_on": date.today().isoformat()},
    )
    login(p["margaret"])
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "next check-in due" in page and "stretched" not in page


def test_mentor_workload_over_the_limit(client, login, paired):
    program, _match, p = paired
    login(p["leo"])
    client.post(
        f"/programs/{program.id}/hours",
        data={"hours-week": date.today().isoformat(), "hours-hours": "3.5"},
    )
    client.post(
        f"/programs/{program.id}/hours",
        data={"hours-week": date.today().isoformat(), "hours-hours": "2.5"},
    )
    assert count(WorkLog) == 1  # the same week is corrected, not doubled
    bad = client.post(
        f"/programs/{program.id}/hours",
        data={"hours-week": date.today().isoformat(), "hours-hours": "100"},
        follow_redirects=True,
    )
    assert "Enter 0 to 80 hours." in bad.get_data(as_text=True)
    login(p["margaret"])  # mentees do not log mentoring hours
    assert (
        client.post(
            f"/programs/{program.id}/hours",
            data={"hours-week": date.today().isoformat(), "hours-hours": "1"},
        ).status_code
        == 403
    )
    login(p["sam"])
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "Yes — 1 week" in page


def make_survey(program, p, phase="baseline"):
    return surveys.create_survey(
        program,
        p["margaret"].id,
        f"Margaret's team — {phase}",
        phase,
        list(surveys.LEADERSHIP_TEMPLATE),
    )


def answer_all(survey, token, value):
    surveys.answer(token, {q.id: value for q in survey.questions})


def test_survey_links_are_single_use_and_results_wait_for_three(client, login, paired):
    program, _match, p = paired
    response = client.post(
        f"/programs/{program.id}/surveys",
        data={
            "survey-subject": str(p["margaret"].id),
            "survey-title": "Margaret's team — baseline",
            "survey-phase": "baseline",
            "survey-questions": "\n".join(surveys.LEADERSHIP_TEMPLATE),
        },
    )
    survey_url = response.location
    page = client.post(survey_url, data={"links-count": "4"}).get_data(as_text=True)
    links = re.findall(r"<code>(http[^<]+)</code>", page)
    assert len(links) == 4 and count(SurveyToken) == 4
    assert not any(
        link.split("/")[-1] in t.token_hash
        for t in db.session.scalars(select(SurveyToken))
        for link in links
    )  # only hashes are stored

    client.post("/auth/logout")  # respondents need no account
    path = links[0].replace("http://localhost", "")
    form_page = client.get(path).get_data(as_text=True)
    assert "Anonymous" in form_page and surveys.LEADERSHIP_TEMPLATE[0] in form_page
    question_ids = [int(x.split('"')[0]) for x in form_page.split('name="q')[1::5]]
    incomplete = client.post(path, data={f"q{question_ids[0]}": "4"})
    assert incomplete.status_code == 422 and count(SurveyResponse) == 0
    out_of_range = client.post(path, data={f"q{q}": "7" for q in question_ids})
    assert out_of_range.status_code == 422 and count(SurveyResponse) == 0
    assert client.post(path, data={f"q{q}": "4" for q in question_ids}).status_code == 200
    assert client.get(path).status_code == 410 and "already been used" in client.get(path).get_data(
        True
    )
    assert client.post(path, data={f"q{q}": "5" for q in question_ids}).status_code == 410
    assert client.get("/surveys/r/not-a-real-token").status_code == 404
    assert count(SurveyBallot) == 1 and count(SurveyResponse) == 0  # in the box, not counted

    login(p["sam"])
    assert "Results appear once 3 people have answered" in client.get(survey_url).get_data(True)
    for link in links[1:3]:
        client.post("/auth/logout")
        client.post(link.replace("http://localhost", ""), data={f"q{q}": "2" for q in question_ids})
    login(p["sam"])
    results = client.get(survey_url).get_data(as_text=True)
    assert "<strong>2.67</strong>" in results  # (4 + 2 + 2) / 3, only as a mean
    assert count(SurveyBallot) == 0 and count(SurveyResponse) == 3


def test_anonymity_is_in_the_schema(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("survey_responses")}
    assert columns == {"id", "survey_id", "respondent_name"}
    ballot_columns = {c["name"] for c in inspect(db.engine).get_columns("survey_ballots")}
    assert ballot_columns == {"id", "survey_id", "respondent_name", "answers"}
    for table in ("survey_responses", "survey_answers", "survey_ballots"):
        targets = {fk["referred_table"] for fk in inspect(db.engine).get_foreign_keys(table)}
        assert targets <= {"surveys", "survey_responses", "survey_questions"}, table
    token_columns = {c["name"] for c in inspect(db.engine).get_columns("survey_tokens")}
    assert token_columns == {"id", "survey_id", "token_hash", "used"}  # no time, no response


def test_anonymous_answers_store_no_name_and_the_survey_cannot_become_named(paired):
    program, _match, p = paired
    survey = make_survey(program, p)
    token = surveys.issue_links(survey, 1)[0]
    surveys.answer(token, {q.id: 3 for q in survey.questions}, name="Ravi")
    assert db.session.scalar(select(SurveyResponse.respondent_name)) is None
    with pytest.raises(Conflict, match="cannot become named"):
        surveys.set_named(survey, True)
    with pytest.raises(NotFound):
        surveys.survey_for_token("unknown")
    with pytest.raises(DomainError, match="1 to 12 questions"):
        surveys.create_survey(program, p["margaret"].id, "Empty", "baseline", ["  "])


def test_report_shows_the_goal_participation_and_learning(client, paired):
    program, match, p = paired
    for phase, value in (("baseline", 3), ("follow-up", 4)):
        survey = make_survey(program, p, phase)
        for token in surveys.issue_links(survey, 3):
            answer_all(survey, token, value)
    program_care.record_checkin(
        program,
        match,
        p["sam"],
        program_care.CheckInData(
            date.today(), CHECKIN["what_works"], CHECKIN["what_does_not"], CHECKIN["actions"]
        ),
    )
    page = client.get(f"/programs/{program.id}/report").get_data(as_text=True)
    # Measured baseline 3.0, +20 % target 3.6, follow-up 4.0; halfway through, the straight
    # line to the target stands at 3.3: on track (the program has not ended, so not "Reached").
    assert "On track" in page and "Reached" not in page
    assert "<td>3.0</td><td>4.0</td><td>3.6</td><td>3.3</td>" in page
    assert "<strong>1 / 2</strong> check-ins held / expected" in page
    assert '<svg class="chart"' in page
    assert "Baseline 3.0 (measured), latest 4.0 from 1 of 1 matched mentees" in page
    goal = list(
        csv.reader(
            io.StringIO(client.get(f"/programs/{program.id}/report/goal.csv").get_data(True))
        )
    )
    assert goal[1][1:] == ["3.0", "measured", "4.0", "3.6", "1", "1", "1", "On track"]
    assert goal[4] == ["Margaret", "3.0", "3", "4.0", "3", "1.0", "yes"]
    matches = client.get(f"/programs/{program.id}/report/matches.csv").get_data(as_text=True)
    assert "Leo,Margaret,confirmed" in matches
    client.post(
        f"/programs/{program.id}/report", data={"reflection-reflection": "Start check-ins earlier."}
    )
    db.session.refresh(program)
    assert program.closing_reflection == "Start check-ins earlier."


def test_report_without_surveys_says_not_enough_data(client, paired):
    program, _match, _p = paired
    assert "Not enough data" in client.get(f"/programs/{program.id}/report").get_data(as_text=True)


def test_kudos_and_contribution_on_the_profile(client, login, paired, make_lesson):
    program, _match, p = paired
    make_lesson(p["leo"], tasks=1)
    response = client.post(
        f"/people/{p['leo'].id}/kudos",
        data={"kudos-message": "Your alt text clinic changed how we write slides."},
    )
    assert response.status_code == 302 and count(Kudos) == 1
    login(p["margaret"])
    page = client.get(f"/people/{p['leo'].id}").get_data(as_text=True)
    assert "Your alt text clinic changed how we write slides." in page
    assert "<strong>1</strong> lesson published" in page
    assert (
        client.post(
            f"/people/{p['leo'].id}/kudos", data={"kudos-message": "Nice work there, Leo."}
        ).status_code
        == 403
    )
    assert count(Kudos) == 1


def test_admin_pages_are_for_coordinators(client, login, paired):
    program, match, p = paired
    survey = make_survey(program, p)
    login(p["leo"])
    for path in (
        f"/programs/{program.id}/report",
        f"/programs/{program.id}/report/goal.csv",
        f"/programs/{program.id}/surveys",
        f"/programs/{program.id}/surveys/{survey.id}",
        f"/programs/{program.id}/checkins/{match.id}",
    ):
        assert client.get(path).status_code == 403, path


def test_report_counts_lessons_answers_and_first_and_latest_scores_per_topic(paired, make_lesson):
    from feedback import program_report
    from feedback.services import give_feedback, record_observation
    from lessons import practice

    program, _match, p = paired
    leo, margaret = p["leo"], p["margaret"]

    def answer(task):
        return practice.submit(task, margaret.id, practice.Answer(body="My answer to the task."))

    done = make_lesson(leo, topic="leadership", tasks=2)
    for task, level in zip(done.tasks, (2, 4), strict=True):
        give_feedback(leo, answer(task), feedback_data("leadership", level, "accept"))
    answer(make_lesson(leo, topic="leadership", tasks=1).tasks[0])  # awaiting feedback
    practice.start_lesson(margaret.id, make_lesson(leo, topic="leadership", tasks=1))  # unread
    practice.mark_done(margaret.id, make_lesson(leo, topic="leadership"))  # no tasks: done
    record_observation(leo, margaret, topic_id("leadership"), feedback_data("leadership", 3))
    revise = make_lesson(leo, topic="accessibility", tasks=1)
    give_feedback(leo, answer(revise.tasks[0]), feedback_data("accessibility", 1, "revise"))

    rows = {r.topic: r for r in program_report.build(program).topics}
    leadership, accessibility = rows["Leadership"], rows["Accessibility"]
    assert (
        leadership.lessons_started,
        leadership.lessons_completed,
        leadership.tasks_submitted,
        leadership.tasks_accepted,
    ) == (3, 2, 3, 2)
    assert (leadership.first, leadership.latest) == (2.0, 3.0)  # 2, 4, then the observation's 3
    assert (accessibility.lessons_started, accessibility.lessons_completed) == (1, 0)
    assert (accessibility.tasks_submitted, accessibility.tasks_accepted) == (1, 0)
    assert (accessibility.first, accessibility.latest) == (1.0, 1.0)


def test_the_report_is_computed_once_a_minute_and_says_as_of_when(
    client, paired, count_queries, monkeypatch, app
):
    from portal import caching

    program, match, p = paired
    url = f"/programs/{program.id}/report"
    with count_queries() as first:
        page = client.get(url).get_data(as_text=True)
    assert "Figures as of" in page and "refreshed at most every 60 seconds" in page
    assert "<strong>0 / 2</strong> check-ins held / expected" in page
    checkin = program_care.CheckInData(
        date.today(), CHECKIN["what_works"], CHECKIN["what_does_not"], CHECKIN["actions"]
    )
    program_care.record_checkin(program, match, p["sam"], checkin)
    with count_queries() as second:
        page = client.get(url).get_data(as_text=True)
    assert len(second) < len(first) - 5  # the report came from the cache
    assert "<strong>0 / 2</strong>" in page  # … as it was a moment ago
    later = caching.utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(caching, "utcnow", lambda: later)
    assert "<strong>1 / 2</strong>" in client.get(url).get_data(as_text=True)


def test_a_broken_cache_only_costs_time(client, paired, monkeypatch):
    from portal.extensions import cache

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    program, _match, _p = paired
    response = client.get(f"/programs/{program.id}/report")
    assert response.status_code == 200 and "check-ins held / expected" in response.text


@pytest.mark.parametrize(("answers", "shown"), [(2, False), (3, True)])
def test_survey_results_need_three_answers(client, paired, answers, shown):
    """Two answers could be told apart by their two authors; three are the least shown."""
    program, _match, p = paired
    survey = make_survey(program, p)
    for token in surveys.issue_links(survey, answers):
        answer_all(survey, token, 4)
    assert (surveys.results(survey).means is not None) is shown
    page = client.get(f"/programs/{program.id}/surveys/{survey.id}").get_data(as_text=True)
    assert ("<strong>4.00</strong>" in page) is shown
    assert ("Results appear once 3 people have answered" in page) is not shown
