"""The program evaluation: the goal judged per mentee, only with enough coverage and never
"Reached" before the end; every figure within the program's confirmed pairs and dates."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from feedback import evaluation
from feedback import program_report as report
from feedback.evaluation import Measure, MenteeResult
from portal.clock import utcnow
from portal.extensions import db
from portal.programs import care as program_care
from portal.programs import services as programs
from portal.programs import surveys
from portal.programs.models import Match, Program
from tests.conftest import feedback_data, topic_id

TODAY = date(2027, 3, 1)
START, END = date(2027, 1, 1), date(2027, 12, 31)


@pytest.fixture
def app_config():
    """Every request computes the report afresh (the minute-long cache is tested elsewhere)."""
    return {"FLIPSIDE_REPORT_SECONDS": 0}


# The pure core -------------------------------------------------------------------------------


def mentee(name, baselines=(), follow_ups=()):
    return MenteeResult(
        len(name),
        name,
        [Measure(v, n) for v, n in baselines],
        [Measure(v, n) for v, n in follow_ups],
    )


def judge(mentees, *, today=TODAY, typed=3.0, target=3.6, kind="absolute", coverage=50):
    return evaluation.evaluate(
        mentees,
        typed_baseline=typed,
        target=target,
        target_kind=kind,
        coverage=coverage,
        starts_on=START,
        ends_on=END,
        today=today,
    )


AFTER_END = END + timedelta(days=1)


def test_no_mentee_paired_is_not_enough_data():
    goal = judge(
        [mentee("Ann", baselines=[(3.0, 4)]), mentee("Bo", follow_ups=[(4.5, 3)]), mentee("Cy")],
        today=AFTER_END,
    )
    assert (goal.verdict, goal.paired, goal.matched, goal.needed) == (
        "Not enough data yet",
        0,
        3,
        2,
    )
    assert "0 of 3 matched mentees" in goal.reason and goal.latest is None
    assert judge([], today=AFTER_END).verdict == "Not enough data yet"  # nobody matched


def test_one_of_three_paired_waits_for_half_the_mentees():
    ann = mentee("Ann", baselines=[(2.0, 3)], follow_ups=[(4.0, 3)])
    goal = judge([ann, mentee("Bo"), mentee("Cy")], today=AFTER_END)
    assert goal.verdict == "Not enough data yet" and (goal.paired, goal.needed) == (1, 2)
    # The same data with a coverage of a third is enough to judge.
    assert judge([ann, mentee("Bo"), mentee("Cy")], today=AFTER_END, coverage=33).verdict == (
        "Reached"
    )


def test_all_paired_change_is_per_mentee_and_a_lone_follow_up_does_not_count():
    mentees = [
        mentee("Ann", baselines=[(2.0, 3)], follow_ups=[(3.0, 3)]),
        mentee("Bo", baselines=[(3.0, 4)], follow_ups=[(3.5, 5)]),
        mentee("Cy", baselines=[(4.0, 3)], follow_ups=[(4.0, 3)]),
    ]
    goal = judge(mentees, today=AFTER_END, target=3.4)
    assert (goal.paired, goal.baseline, goal.latest, goal.change) == (3, 3.0, 3.5, 0.5)
    assert [r.change for r in goal.rows] == [1.0, 0.5, 0.0]
    assert goal.verdict == "Reached"
    # Dee's follow-up of 5 has no baseline of hers: it joins neither average.
    goal = judge([*mentees, mentee("Dee", follow_ups=[(5.0, 3)])], today=AFTER_END, target=3.4)
    assert (goal.paired, goal.matched, goal.latest) == (3, 4, 3.5)
    assert not goal.rows[3].counted


def test_a_mentees_earliest_baseline_and_latest_follow_up_are_compared():
    ann = mentee("Ann", baselines=[(2.0, 3), (2.6, 3)], follow_ups=[(3.0, 3), (3.8, 6)])
    row = judge([ann], today=AFTER_END).rows[0]
    assert (row.baseline, row.baseline_responses, row.follow_up, row.follow_up_responses) == (
        2.0,
        3,
        3.8,
        6,
    )


def test_a_measured_baseline_wins_over_the_typed_one():
    mentees = [
        mentee("Ann", baselines=[(2.67, 3)], follow_ups=[(3.4, 3)]),
        mentee("Bo", baselines=[(2.67, 3)], follow_ups=[(3.0, 3)]),
    ]
    goal = judge(mentees, typed=3.0, target=20, kind="relative", today=AFTER_END)
    assert (goal.baseline_source, goal.baseline) == ("measured", 2.67)
    assert goal.target == 3.2  # +20 % of the measured 2.67, not of the typed 3.0
    assert goal.latest == 3.2 and goal.verdict == "Reached"
    # A mentee without a measured baseline is not compared with the typed one instead.
    goal = judge([*mentees, mentee("Cy", follow_ups=[(5.0, 3)])], typed=3.0, today=AFTER_END)
    assert goal.paired == 2 and goal.rows[2].baseline is None


def test_only_a_typed_baseline_is_used_and_named_as_such():
    goal = judge([mentee("Ann", follow_ups=[(3.9, 3)]), mentee("Bo")], typed=3.0, today=AFTER_END)
    assert (goal.baseline_source, goal.baseline, goal.paired) == ("typed", 3.0, 1)
    assert goal.rows[0].baseline_responses is None and goal.rows[0].change == 0.9
    assert goal.verdict == "Reached"
    assert judge([mentee("Ann", follow_ups=[(3.9, 3)])], typed=None).baseline_source is None


def test_before_the_end_it_is_on_track_or_behind_never_reached():
    everyone = [mentee("Ann", baselines=[(3.0, 3)], follow_ups=[(4.0, 3)])]
    early = judge(everyone, today=START + timedelta(days=1))  # above the target on day 2
    assert early.verdict == "On track"
    on_the_last_day = judge(everyone, today=END)
    assert on_the_last_day.verdict == "On track"
    assert judge(everyone, today=AFTER_END).verdict == "Reached"
    # Halfway (182 of 364 days) the line from 3.0 to 3.6 stands at 3.3.
    halfway = START + timedelta(days=182)
    slow = [mentee("Ann", baselines=[(3.0, 3)], follow_ups=[(3.2, 3)])]
    assert judge(slow, today=halfway).expected_now == 3.3
    assert judge(slow, today=halfway).verdict == "Behind"
    assert judge(slow, today=START + timedelta(days=30)).verdict == "On track"
    assert judge(slow, today=AFTER_END).verdict == "Not reached"


def test_a_falling_target_is_reached_by_going_down():
    mentees = [mentee("Ann", baselines=[(4.0, 3)], follow_ups=[(2.5, 3)])]
    assert judge(mentees, target=3.0, today=AFTER_END).verdict == "Reached"
    assert judge(mentees, target=2.0, today=AFTER_END).verdict == "Not reached"


def test_the_coverage_threshold_rounds_up():
    assert [evaluation.needed_for(4, c) for c in (1, 25, 50, 51, 75, 100)] == [1, 1, 2, 3, 3, 4]
    assert evaluation.needed_for(3, 50) == 2 and evaluation.needed_for(0, 50) == 1
    paired = [mentee(n, baselines=[(3.0, 3)], follow_ups=[(4.0, 3)]) for n in ("A", "B", "C")]
    four = [*paired, mentee("D")]
    assert judge(four, coverage=75, today=AFTER_END).verdict == "Reached"
    assert judge(four, coverage=76, today=AFTER_END).verdict == "Not enough data yet"


def test_without_a_target_the_goal_is_not_judged():
    paired = [mentee("Ann", baselines=[(3.0, 3)], follow_ups=[(4.0, 3)])]
    goal = judge(paired, target=None, today=AFTER_END)
    assert goal.verdict == "Not enough data yet" and "no target" in goal.reason


# With the database -------------------------------------------------------------------------


@pytest.fixture
def three(make_user):
    """A program running since ten weeks with three confirmed pairs (mentor i with mentee i),
    matched ten weeks ago, and an outsider mentor with a mentorship of her own."""
    sam = make_user("Sam Coordinator", coordinator=True)
    mentors = [make_user(f"Mentor {c}", seniority=2) for c in "ABC"]
    mentees = [make_user(f"Mentee {c}", seniority=8) for c in "ABC"]
    today = date.today()
    data = programs.ProgramData(
        name="Leadership 2027",
        focus="leadership",
        goal_statement="Feedback their teams find useful.",
        goal_metric="Team survey mean",
        goal_baseline=3.0,
        goal_target=20,
        target_kind="relative",
        goal_achievable="",
        goal_relevant="",
        starts_on=today - timedelta(weeks=10),
        ends_on=today + timedelta(weeks=10),
    )
    program = programs.save_program(None, data, sam.id)
    programs.invite(program, [m.id for m in mentors], "mentor")
    programs.invite(program, [m.id for m in mentees], "mentee")
    leadership = [topic_id("leadership")]
    for mentor, person in zip(mentors, mentees, strict=True):
        programs.respond(program, mentor, True, capacity=1, topic_ids=leadership)
        programs.respond(program, person, True, topic_ids=leadership)
    for mentor, person in zip(mentors, mentees, strict=True):
        programs.set_preferences(program, mentor, [person.id])
        programs.set_preferences(program, person, [mentor.id])
    programs.run_matching(program)
    programs.confirm(program, sam)
    for match in db.session.scalars(select(Match)):
        match.created_at = utcnow() - timedelta(weeks=10)
    db.session.commit()
    return SimpleNamespace(program=program, sam=sam, mentors=mentors, mentees=mentees)


def survey_about(program, person, phase, *values):
    """A survey about `person` answered once per value (every question with that value)."""
    survey = surveys.create_survey(program, person.id, f"{person.name} {phase}", phase, ["Q1"])
    for token, value in zip(surveys.issue_links(survey, len(values)), values, strict=True):
        surveys.answer(token, {q.id: value for q in survey.questions})
    return survey


def test_the_report_pairs_each_mentees_own_surveys(three):
    a, b, c = three.mentees
    survey_about(three.program, a, "baseline", 2, 3, 3)  # 2.67
    survey_about(three.program, a, "follow-up", 4, 4, 4)
    survey_about(three.program, b, "follow-up", 5, 5, 5)  # no baseline of hers: not counted
    survey_about(three.program, c, "baseline", 3, 3)  # two answers: no result yet
    goal = report.build(three.program).goal
    assert (goal.paired, goal.matched, goal.baseline_source) == (1, 3, "measured")
    assert (goal.baseline, goal.latest) == (2.67, 4.0)  # not the typed 3.0, not Bo's 5
    assert goal.verdict == "Not enough data yet"
    assert report.build(three.program).waiting_surveys == 1
    survey_about(three.program, b, "baseline", 3, 3, 4)  # 3.33
    goal = report.build(three.program).goal
    assert (goal.paired, goal.baseline, goal.latest, goal.target) == (2, 3.0, 4.5, 3.6)
    assert goal.verdict == "On track"  # 2 of 3 is at least half; still running


def test_survey_figures_come_from_the_surveys_module(three, monkeypatch):
    """The report asks `surveys.results`, so a stricter release rule there applies here."""
    a = three.mentees[0]
    survey_about(three.program, a, "baseline", 3, 3, 3)
    survey_about(three.program, a, "follow-up", 4, 4, 4)
    assert report.build(three.program).goal.paired == 1
    held_back = surveys.Results(responses=3, means=None, links_issued=3, links_used=3)
    monkeypatch.setattr(surveys, "results", lambda survey: held_back)
    built = report.build(three.program)
    assert built.goal.paired == 0 and built.waiting_surveys == 2


def test_the_page_names_the_coverage_the_counts_and_the_baselines_source(client, login, three):
    a, b, _c = three.mentees
    login(three.sam)
    url = f"/programs/{three.program.id}/report"
    survey_about(three.program, a, "follow-up", 4, 4, 4)
    page = client.get(url).get_data(as_text=True)
    assert "Only the typed baseline exists" in page
    assert "<strong>1 of 3</strong> matched mentees" in page and "needed: 2, 50 %" in page
    assert "3.0 (typed)" in page and "4.0 (3 answers)" in page
    assert "Not enough data yet" in page
    survey_about(three.program, a, "baseline", 3, 3, 3, 3)
    page = client.get(url).get_data(as_text=True)
    assert "Only the typed baseline exists" not in page
    # four answers, of which a whole group of three counts (surveys.BATCH)
    assert "The baseline is measured" in page and "3.0 (3 answers)" in page
    assert "No: no follow-up yet" in page  # Mentee B's row


def test_a_coverage_set_by_the_coordinator_decides_when_the_goal_is_judged(client, login, three):
    a = three.mentees[0]
    survey_about(three.program, a, "baseline", 3, 3, 3)
    survey_about(three.program, a, "follow-up", 4, 4, 4)
    login(three.sam)
    url = f"/programs/{three.program.id}/report"
    assert "Not enough data yet" in client.get(url).get_data(as_text=True)
    edit = f"/programs/{three.program.id}/edit"
    form = {
        "name": "Leadership 2027",
        "focus": "leadership",
        "goal_statement": "Feedback their teams find useful.",
        "goal_metric": "Team survey mean",
        "goal_baseline": "3.0",
        "goal_target": "20",
        "target_kind": "relative",
        "starts_on": three.program.starts_on.isoformat(),
        "ends_on": three.program.ends_on.isoformat(),
        "checkin_weeks": "4",
        "weekly_hours_limit": "2",
    }
    refused = client.post(edit, data={**form, "evaluation_coverage": "0"})
    assert refused.status_code == 422 and "Enter 1 to 100 %." in refused.get_data(as_text=True)
    db.session.refresh(three.program)
    assert three.program.evaluation_coverage == 50
    assert client.post(edit, data={**form, "evaluation_coverage": "30"}).status_code == 302
    db.session.refresh(three.program)
    assert three.program.evaluation_coverage == 30
    page = client.get(url).get_data(as_text=True)
    assert "On track" in page and "needed: 1, 30 %" in page
    assert client.post(edit, data={**form, "evaluation_coverage": ""}).status_code == 302
    db.session.refresh(three.program)
    assert three.program.evaluation_coverage == 50  # left empty: the default


def test_an_edited_coverage_shows_at_once_despite_the_cache(client, login, three, app):
    app.config["FLIPSIDE_REPORT_SECONDS"] = 60
    a = three.mentees[0]
    survey_about(three.program, a, "baseline", 3, 3, 3)
    survey_about(three.program, a, "follow-up", 4, 4, 4)
    login(three.sam)
    url = f"/programs/{three.program.id}/report"
    assert "Not enough data yet" in client.get(url).get_data(as_text=True)
    three.program.evaluation_coverage = 30
    db.session.commit()
    assert "On track" in client.get(url).get_data(as_text=True)


def test_after_the_end_date_the_verdict_is_reached_or_not(three):
    for person, (before, after) in zip(three.mentees, ((3, 4), (3, 4), (3, 3)), strict=True):
        survey_about(three.program, person, "baseline", before, before, before)
        survey_about(three.program, person, "follow-up", after, after, after)
    running = report.build(three.program).goal
    assert (running.baseline, running.latest, running.target) == (3.0, 3.67, 3.6)
    assert running.verdict == "On track"
    ended = report.build(three.program, today=three.program.ends_on + timedelta(days=1)).goal
    assert ended.verdict == "Reached"
    three.program.goal_target = 30  # 3.9
    assert report.build(three.program, three.program.ends_on + timedelta(1)).goal.verdict == (
        "Not reached"
    )


def observe(mentor, person, days_ago, level=3):
    from feedback.services import record_observation

    given = record_observation(
        mentor, person, topic_id("leadership"), feedback_data("leadership", level)
    )
    given.created_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return given


def test_feedback_and_scores_count_only_the_pairs_during_the_program(three):
    from feedback.models import Feedback, Score
    from feedback.rubrics import current_rubric

    (ma, mb, _mc), (a, b, _c) = three.mentors, three.mentees
    observe(ma, a, days_ago=100, level=1)  # before the program began (70 days ago)
    observe(ma, a, days_ago=20, level=2)
    observe(ma, a, days_ago=5, level=4)
    observe(mb, b, days_ago=3, level=3)
    # Mentor B's feedback to Mentee A: no pair of the program.
    rubric = current_rubric(topic_id("leadership"))
    db.session.add(
        Feedback(
            author_id=mb.id,
            mentee_id=a.id,
            topic_id=rubric.topic_id,
            rubric_id=rubric.id,
            strengths="Clear.",
            improvements="Shorter.",
            next_step="Try again.",
            scores=[Score(criterion_id=c.id, level=1) for c in rubric.criteria],
        )
    )
    db.session.commit()
    built = report.build(three.program)
    assert (built.feedback_given, built.observations) == (3, 3)
    (leadership,) = built.topics
    # Mentee A: first 2 (not the 1 before the start), latest 4 (not the stray 1); B: 3 and 3.
    assert (leadership.first, leadership.latest) == (2.5, 3.5)
    earlier = report.build(three.program, today=date.today() - timedelta(days=4))
    assert earlier.feedback_given == 2  # up to the "today" given: not three days ago


def test_lessons_and_ratings_count_from_the_start_within_the_pairs(three, make_lesson):
    from feedback.models import Rating
    from feedback.services import rate_lesson
    from lessons import practice
    from lessons.models import Assignment

    (ma, mb, _mc), (a, _b, _c) = three.mentors, three.mentees
    old = make_lesson(ma, topic="leadership", tasks=1)
    new = make_lesson(ma, topic="leadership", tasks=1)
    elsewhere = make_lesson(mb, topic="leadership", tasks=1)  # Mentor B is not A's mentor
    for lesson in (old, new, elsewhere):
        practice.submit(lesson.tasks[0], a.id, practice.Answer(body="My answer to the task."))
        rate_lesson(a.id, lesson, 5 if lesson is old else 3, 4)
    assignment = db.session.scalar(select(Assignment).where(Assignment.lesson_id == old.id))
    assignment.created_at = utcnow() - timedelta(weeks=12)  # started before the program
    rating = db.session.scalar(select(Rating).where(Rating.lesson_id == old.id))
    rating.created_at = utcnow() - timedelta(weeks=12)
    db.session.commit()
    built = report.build(three.program)
    (leadership,) = built.topics
    assert (leadership.lessons_started, leadership.tasks_submitted) == (1, 1)  # only `new`
    assert built.rating == (3.0, 4.0, 1)  # not the old 5, not Mentor B's lesson
    # `new` put on the list two weeks ago, answered today: as of yesterday, nothing answered.
    started = db.session.scalar(select(Assignment).where(Assignment.lesson_id == new.id))
    started.created_at = utcnow() - timedelta(weeks=2)
    db.session.commit()
    (yesterday,) = report.build(three.program, today=date.today() - timedelta(days=1)).topics
    assert (yesterday.lessons_started, yesterday.tasks_submitted) == (0, 0)


def test_check_ins_expected_per_pair_follow_from_matching(three, client, login):
    program = three.program
    first, second, third = program_care.checkin_status(program)
    second.match.created_at = utcnow() - timedelta(days=3)  # matched three days ago
    db.session.commit()
    author = three.sam

    def check_in(pair, days_ago):
        program_care.record_checkin(
            program,
            pair.match,
            author,
            program_care.CheckInData(
                date.today() - timedelta(days=days_ago),
                "They meet every week without fail.",
                "Sessions run over time too often.",
                "Keep to forty-five minutes.",
            ),
        )

    check_in(first, 80)  # before the program's start: not counted
    check_in(first, 30)
    check_in(second, 1)
    rows = report.build(program).pairs
    assert [(r.held, r.expected) for r in rows] == [(1, 2), (1, 0), (0, 2)]
    login(author)
    page = client.get(f"/programs/{program.id}/report").get_data(as_text=True)
    assert '<td data-label="Held / expected">1 / 2</td>' in page
    assert "1 held, none expected yet" in page and "1 / 0" not in page
    assert "<strong>2 / 4</strong> check-ins held / expected" in page
    # Expected check-ins stop at the end date.
    program.ends_on = date.today() - timedelta(weeks=2)
    db.session.commit()
    assert [r.expected for r in report.build(program).pairs] == [2, 0, 2]
    program.ends_on = date.today() - timedelta(weeks=6)
    db.session.commit()
    assert [r.expected for r in report.build(program).pairs] == [1, 0, 1]


def test_a_new_program_says_none_expected_yet_rather_than_one_of_zero(three, client, login):
    program = three.program
    program.starts_on = date.today() - timedelta(days=1)
    for match in db.session.scalars(select(Match)):
        match.created_at = utcnow()
    db.session.commit()
    pair = program_care.checkin_status(program)[0]
    program_care.record_checkin(
        program,
        pair.match,
        three.sam,
        program_care.CheckInData(
            date.today(),
            "They agreed on what to work on first.",
            "Their calendars barely overlap this month.",
            "Meet every Thursday morning for an hour.",
        ),
    )
    login(three.sam)
    page = client.get(f"/programs/{program.id}/report").get_data(as_text=True)
    assert "<strong>1</strong> check-ins held (none expected yet)" in page
    assert "1 / 0" not in page


def test_the_goal_csv_has_one_row_per_mentee(three, client, login):
    a = three.mentees[0]
    survey_about(three.program, a, "baseline", 3, 3, 3)
    survey_about(three.program, a, "follow-up", 4, 4, 4)
    login(three.sam)
    rows = list(
        csv.reader(io.StringIO(client.get(f"/programs/{three.program.id}/report/goal.csv").text))
    )
    assert rows[1][1:] == ["3.0", "measured", "4.0", "3.6", "1", "3", "2", "Not enough data yet"]
    assert rows[4] == ["Mentee A", "3.0", "3", "4.0", "3", "1.0", "yes"]
    assert rows[5] == ["Mentee B", "", "", "", "", "", "no"]


def test_the_demo_programs_verdict_is_justified(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    program = db.session.scalar(select(Program))
    goal = report.build(program).goal
    assert (goal.paired, goal.matched, goal.needed) == (2, 3, 2)  # Thomas has no follow-up
    assert date.today() <= program.ends_on and goal.verdict == "On track"
    assert goal.baseline_source == "measured" and goal.target == round(goal.baseline * 1.2, 2)
    assert [r.expected for r in report.build(program).pairs] == [2, 2, 2]


def test_the_service_refuses_a_coverage_outside_1_to_100(three):
    from portal.errors import DomainError

    data = programs.ProgramData(
        **{
            name: getattr(three.program, name)
            for name in programs.ProgramData.__dataclass_fields__
            if name != "evaluation_coverage"
        },
        evaluation_coverage=101,
    )
    with pytest.raises(DomainError, match="1 to 100") as refused:
        programs.save_program(three.program, data, three.sam.id)
    assert refused.value.field == "evaluation_coverage"
