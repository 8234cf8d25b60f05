"""Evaluate and refine: the next cohort, programs by state, archiving, recommended lessons."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from lessons import recommended
from portal.extensions import db
from portal.programs import care, surveys
from portal.programs import services as programs
from portal.programs.models import CheckIn, Match, Member, Program, Survey, WorkLog
from tests.test_program_care import CHECKIN, answer_all, make_survey, paired  # noqa: F401

START, END = date(2031, 1, 6), date(2031, 6, 30)


def next_form(**overrides) -> dict:
    data = {
        "name": "Ops 2031",
        "starts_on": START.isoformat(),
        "ends_on": END.isoformat(),
        "goal_baseline": "3.00",
        "invite": "nobody",
    }
    return {**data, **overrides}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def measured(program, p) -> float:
    """A follow-up survey with three answers of 4: the program's latest measured value."""
    survey = make_survey(program, p, "follow-up")
    for token in surveys.issue_links(survey, 3):
        answer_all(survey, token, 4)
    return surveys.latest_measurement(program)


def test_the_next_cohort_copies_the_program_not_its_people_or_results(
    client,
    paired,  # noqa: F811
    world,
):
    program, match, p = paired
    care.record_checkin(program, match, p["sam"], care.CheckInData(date.today(), **CHECKIN))
    assert measured(program, p) == 4.0
    recommended.set_recommended(program, [world.lesson.id])
    program.closing_reflection = "Meet weekly from the first week."
    db.session.commit()
    page = client.get(f"/programs/{program.id}/next").get_data(as_text=True)
    assert "What we said we would refine" in page and "Meet weekly from the first week." in page
    assert 'value="4.00"' in page  # the measured value is offered as the new baseline
    response = client.post(f"/programs/{program.id}/next", data=next_form(goal_baseline="4.00"))
    new = db.session.scalar(select(Program).where(Program.name == "Ops 2031"))
    assert response.location == f"/programs/{new.id}"
    same = ("focus", "goal_statement", "goal_metric", "goal_target", "target_kind")
    same += ("checkin_weeks", "weekly_hours_limit", "evaluation_coverage")
    assert {f: getattr(new, f) for f in same} == {f: getattr(program, f) for f in same}
    assert (new.status, new.starts_on, new.ends_on) == ("planning", START, END)
    assert new.goal_baseline == 4.0 and new.baseline_from_previous
    assert new.previous_id == program.id
    assert recommended.recommended_ids(new.id) == [world.lesson.id]
    for model in (Member, Match, Survey, CheckIn, WorkLog):  # nobody's answers or notes
        assert count(model, model.program_id == new.id) == 0, model
    page = client.get(f"/programs/{new.id}").get_data(as_text=True)
    assert "measured in the previous cohort, Ops 2026" in page
    assert f'href="/programs/{program.id}">Ops 2026</a>' in page
    assert f'href="/programs/{new.id}">Ops 2031</a>' in client.get(
        f"/programs/{program.id}"
    ).get_data(as_text=True)
    questions = client.get(f"/programs/{new.id}/surveys").get_data(as_text=True)
    assert surveys.LEADERSHIP_TEMPLATE[0] in questions  # last cohort's questions offered


def test_a_changed_baseline_is_not_marked_as_the_previous_cohorts(client, paired):  # noqa: F811
    program, _match, p = paired
    measured(program, p)
    client.post(f"/programs/{program.id}/next", data=next_form(goal_baseline="3.50"))
    new = db.session.scalar(select(Program).where(Program.name == "Ops 2031"))
    assert new.goal_baseline == 3.5 and not new.baseline_from_previous


def test_whom_the_next_cohort_invites(client, paired):  # noqa: F811
    program, _match, p = paired
    client.post(f"/programs/{program.id}/next", data=next_form(invite="returning"))
    returning = db.session.scalar(select(Program).where(Program.name == "Ops 2031"))
    assert {(m.user_id, m.role) for m in returning.members} == {
        (p["leo"].id, "mentor"),
        (p["margaret"].id, "mentee"),
    }
    assert {m.status for m in returning.members} == {"invited"}
    client.post(f"/programs/{program.id}/next", data=next_form(name="Ops new", invite="new"))
    fresh = db.session.scalar(select(Program).where(Program.name == "Ops new"))
    assert fresh.members == [] and fresh.new_people_only
    picker = client.get(f"/programs/{fresh.id}").get_data(as_text=True)
    assert "Team member 0" in picker and "Leo —" not in picker  # last cohort's people left out
    bad = client.post(f"/programs/{program.id}/next", data=next_form(ends_on="2030-01-01"))
    assert bad.status_code == 422 and "The end date must be on or after" in bad.get_data(
        as_text=True
    )
    assert count(Program) == 3


def test_programs_by_state_and_archiving_hides_from_all_but_coordinators(
    client,
    login,
    paired,  # noqa: F811
):
    program, _match, p = paired
    assert "Active <span" in client.get("/programs/").get_data(as_text=True)
    refused = client.post(f"/programs/{program.id}/archive", follow_redirects=True)
    assert "Close a running program before archiving it." in refused.get_data(as_text=True)
    programs.advance(program)  # closed
    client.post(f"/programs/{program.id}/archive")
    listed = client.get("/programs/?state=archived").get_data(as_text=True)
    assert "Ops 2026" in listed and "Archived <span" in listed
    assert "Ops 2026" not in client.get("/programs/?state=closed").get_data(as_text=True)
    login(p["margaret"])
    assert client.get(f"/programs/{program.id}/next").status_code == 403
    assert client.get(f"/programs/{program.id}").status_code == 404
    assert "Ops 2026" not in client.get("/programs/").get_data(as_text=True)
    assert "?state=archived" not in client.get("/programs/").get_data(as_text=True)
    login(p["sam"])
    client.post(f"/programs/{program.id}/restore")
    login(p["margaret"])
    assert client.get(f"/programs/{program.id}").status_code == 200
    assert db.session.get(Program, program.id) is not None  # nothing was deleted


def test_recommended_lessons_reach_the_pairs_dashboards(
    client,
    login,
    paired,  # noqa: F811
    make_lesson,
    make_user,
):
    program, _match, p = paired
    author = make_user("Ana Author")
    chosen = make_lesson(author, title="Ask one quiet person first", topic="leadership")
    make_lesson(author, title="Not on the list", topic="leadership")
    page = client.get(f"/programs/{program.id}/lessons").get_data(as_text=True)
    assert "Ask one quiet person first (Leadership" in page
    client.post(f"/programs/{program.id}/lessons", data={"lessons": [str(chosen.id)]})
    for person in (p["leo"], p["margaret"]):
        login(person)
        dashboard = client.get("/").get_data(as_text=True)
        assert "Recommended by Ops 2026" in dashboard and "Ask one quiet person first" in dashboard
        assert "Not on the list" not in dashboard.split("Recommended by")[1].split("</section>")[0]
        mentoring = person == p["leo"]
        said = "your mentee starts with" if mentoring else "suggests starting with these"
        assert said in dashboard
    login(p["team"][0])
    assert "Recommended by" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/programs/{program.id}/lessons").status_code == 403
    from lessons import practice

    practice.mark_done(p["margaret"].id, chosen)  # what she finished is no longer suggested
    login(p["margaret"])
    assert "Recommended by Ops 2026" not in client.get("/").get_data(as_text=True)
    login(p["leo"])
    assert "Ask one quiet person first" in client.get("/").get_data(as_text=True)
