"""Programs: SMART goal, invitations, answers, ranked preferences, matching and confirming."""

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Mentorship
from portal.errors import DomainError
from portal.extensions import db
from portal.programs import services as programs
from portal.programs.models import Match, Member, Preference, Program
from tests.conftest import topic_id


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


GOAL = {
    "name": "Leadership 2027",
    "focus": "leadership",
    "goal_statement": "Operations managers give feedback their teams find useful.",
    "goal_metric": "Team average on the anonymous leadership survey (1-5)",
    "goal_baseline": "3.1",
    "goal_target": "20",
    "target_kind": "relative",
    "goal_achievable": "Twelve mentors, one hour a week.",
    "goal_relevant": "Engagement survey.",
    "starts_on": "2027-01-10",
    "ends_on": "2027-06-30",
    "checkin_weeks": "4",
    "weekly_hours_limit": "2",
}


@pytest.fixture
def coordinator(make_user, login):
    person = make_user("Cora Coordinator", coordinator=True)
    login(person)
    return person


def make_program(coordinator) -> Program:
    data = programs.ProgramData(
        name="Leadership 2027",
        focus="leadership",
        goal_statement="Better feedback.",
        goal_metric="Survey mean",
        goal_baseline=3.0,
        goal_target=3.6,
        target_kind="absolute",
        goal_achievable="",
        goal_relevant="",
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 30),
    )
    return programs.save_program(None, data, coordinator.id)


def test_create_a_program_with_a_smart_goal(client, coordinator):
    page = client.get("/programs/new").get_data(as_text=True)
    assert "S — Specific" in page and "M — Measurable" in page and "T — Time-bound" in page
    response = client.post("/programs/new", data=GOAL)
    program = db.session.scalar(select(Program))
    assert response.location == f"/programs/{program.id}"
    assert program.target_value == 3.72 and program.status == "planning"
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "target +20 % (3.72)" in page and "Operations managers give feedback" in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_on": "2026-12-01"}, "ends_on", "The end date must be on or after the start date."),
        ({"goal_metric": ""}, "goal_metric", "A target needs a metric"),
        ({"goal_baseline": ""}, "goal_baseline", "A relative target (+20 %) needs a baseline"),
        ({"goal_statement": ""}, "goal_statement", "Write the goal in one sentence."),
        ({"focus": "astrology"}, "focus", "Not a valid choice"),
    ],
)
def test_bad_goals_save_nothing(client, coordinator, change, field, message):
    response = client.post("/programs/new", data={**GOAL, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in page and message in page
    assert count(Program) == 0


def test_only_coordinators_run_programs(client, make_user, login, coordinator):
    program = make_program(coordinator)
    member = make_user()
    programs.invite(program, [member.id], "mentee")
    login(member)
    for method, path in [
        ("get", "/programs/new"),
        ("get", f"/programs/{program.id}/edit"),
        ("get", f"/programs/{program.id}/matching"),
        ("post", f"/programs/{program.id}/matching"),
        ("post", f"/programs/{program.id}/invite"),
        ("post", f"/programs/{program.id}/status"),
        ("post", f"/programs/{program.id}/matching/confirm"),
    ]:
        assert getattr(client, method)(path).status_code == 403, path
    login(make_user())  # not in the program at all
    assert client.get(f"/programs/{program.id}").status_code == 404
    assert db.session.get(Program, program.id).status == "planning"


def test_invite_answer_and_see_who_has_not_answered(client, coordinator, make_user, login):
    program = make_program(coordinator)
    leo, margaret, thomas = (
        make_user("Leo", seniority=2),
        make_user("Margaret", seniority=8),
        make_user("Thomas"),
    )
    client.post(
        f"/programs/{program.id}/invite",
        data={"invite-role": "mentor", "invite-people": [str(leo.id)]},
    )
    client.post(
        f"/programs/{program.id}/invite",
        data={"invite-role": "mentee", "invite-emails": f"{margaret.email}, {thomas.email}"},
    )
    assert count(Member) == 3
    again = client.post(
        f"/programs/{program.id}/invite",
        data={"invite-role": "mentee", "invite-emails": margaret.email},
    )
    assert again.status_code == 422 and "Already invited: Margaret." in again.get_data(as_text=True)
    assert count(Member) == 3

    login(leo)
    client.post(
        f"/programs/{program.id}/answer",
        data={
            "answer-answer": "accept",
            "answer-capacity": "2",
            "answer-note": "Happy to",
            "answer-topics": [str(topic_id("accessibility"))],
        },
    )
    member = db.session.scalar(select(Member).where(Member.user_id == leo.id))
    assert (member.status, member.capacity, [t.slug for t in member.topics]) == (
        "accepted",
        2,
        ["accessibility"],
    )
    twice = client.post(
        f"/programs/{program.id}/answer", data={"answer-answer": "decline"}, follow_redirects=True
    )
    assert "You have already answered this invitation." in twice.get_data(as_text=True)
    with pytest.raises(DomainError, match="already answered"):
        programs.respond(program, leo, accept=False)

    login(thomas)
    client.post(
        f"/programs/{program.id}/answer", data={"answer-answer": "decline", "answer-note": "Busy"}
    )
    login(coordinator)
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "Not answered yet:</strong> Margaret." in page and "Busy" in page


@pytest.fixture
def running(coordinator, make_user):
    """A program with two mentors (capacity 1 each) and three mentees, all accepted."""
    program = make_program(coordinator)
    people = {
        name: make_user(name.capitalize(), seniority=level)
        for name, level in [("leo", 2), ("aisha", 3), ("margaret", 8), ("thomas", 7), ("helen", 9)]
    }
    programs.invite(program, [people["leo"].id, people["aisha"].id], "mentor")
    programs.invite(program, [people[n].id for n in ("margaret", "thomas", "helen")], "mentee")
    for name, person in people.items():
        topics = [topic_id("accessibility")] if name != "helen" else [topic_id("leadership")]
        programs.respond(program, person, True, capacity=1, topic_ids=topics)
    return program, people


def test_ranking_rules(client, login, running):
    program, p = running
    login(p["margaret"])
    page = client.get(f"/programs/{program.id}").get_data(as_text=True)
    assert (
        "Your top three mentors" in page
        and "Leo" in page
        and "Thomas" not in page.split("Who you can choose from")[1].split("</table>")[0]
    )
    ok = client.post(
        f"/programs/{program.id}/preferences",
        data={
            "rank-rank_1": str(p["aisha"].id),
            "rank-rank_2": str(p["leo"].id),
            "rank-rank_3": "0",
        },
    )
    assert ok.status_code == 302
    assert [
        x.chosen_id for x in db.session.scalars(select(Preference).order_by(Preference.rank))
    ] == [p["aisha"].id, p["leo"].id]
    same = client.post(
        f"/programs/{program.id}/preferences",
        data={"rank-rank_1": str(p["leo"].id), "rank-rank_2": str(p["leo"].id), "rank-rank_3": "0"},
    )
    assert same.status_code == 422 and "Rank each person once." in same.get_data(as_text=True)
    outsider = client.post(
        f"/programs/{program.id}/preferences",
        data={"rank-rank_1": str(p["thomas"].id), "rank-rank_2": "0", "rank-rank_3": "0"},
    )
    assert outsider.status_code == 422  # a mentee is not on the other side
    with pytest.raises(DomainError, match="yourself"):
        programs.set_preferences(program, p["margaret"], [p["margaret"].id])
    with pytest.raises(DomainError, match="at most three"):
        programs.set_preferences(program, p["margaret"], [p["leo"].id, p["aisha"].id, None, None])
    assert count(Preference) == 2


def test_match_review_change_and_confirm(client, login, running, coordinator):
    program, p = running
    programs.set_preferences(program, p["margaret"], [p["leo"].id])
    programs.set_preferences(program, p["thomas"], [p["leo"].id, p["aisha"].id])
    programs.set_preferences(program, p["leo"], [p["thomas"].id])
    login(coordinator)
    drafted = client.post(f"/programs/{program.id}/matching", follow_redirects=True)
    assert "Draft ready: 1 pair." in drafted.get_data(as_text=True)
    pairs = {(m.mentee_id, m.mentor_id) for m in db.session.scalars(select(Match))}
    # Leo prefers Thomas; Margaret ranked only Leo; Helen ranked nobody and shares no topic.
    assert pairs == {(p["thomas"].id, p["leo"].id)}
    page = client.get(f"/programs/{program.id}/matching").get_data(as_text=True)
    assert "<strong>1</strong> got their first choice" in page
    assert "Margaret</strong>: All the mentors they ranked are full." in page
    assert "Helen</strong>: They ranked nobody, and no mentor shares their topics." in page

    match = db.session.scalar(select(Match))
    full = client.post(
        f"/programs/{program.id}/matching/{match.id}/swap",
        data={"swap-mentor": str(p["aisha"].id)},
        follow_redirects=True,
    )
    assert "Mentor changed." in full.get_data(as_text=True)
    db.session.refresh(match)
    assert match.mentor_id == p["aisha"].id and match.mentee_rank == 2

    confirmed = client.post(f"/programs/{program.id}/matching/confirm", follow_redirects=True)
    assert "1 pair confirmed; it is now an active mentorship." in confirmed.get_data(as_text=True)
    mentorship = db.session.scalar(select(Mentorship))
    assert (mentorship.mentor_id, mentorship.mentee_id, mentorship.status) == (
        p["aisha"].id,
        p["thomas"].id,
        "active",
    )
    assert db.session.scalar(select(Match.status)) == "confirmed"
    assert client.post(f"/programs/{program.id}/matching/{match.id}/remove").status_code == 302
    assert count(Match) == 1  # a confirmed pair cannot be removed from a draft


def test_swap_respects_capacity_and_remove_drops_a_pair(client, login, running, coordinator):
    program, p = running
    programs.set_preferences(program, p["margaret"], [p["leo"].id])
    programs.set_preferences(program, p["thomas"], [p["aisha"].id])
    login(coordinator)
    client.post(f"/programs/{program.id}/matching")
    margaret = db.session.scalar(select(Match).where(Match.mentee_id == p["margaret"].id))
    refused = client.post(
        f"/programs/{program.id}/matching/{margaret.id}/swap",
        data={"swap-mentor": str(p["aisha"].id)},
        follow_redirects=True,
    )
    assert "Aisha has no room left." in refused.get_data(as_text=True)
    client.post(f"/programs/{program.id}/matching/{margaret.id}/remove", data={"confirm": "yes"})
    assert [m.mentee_id for m in programs.matches_of(program.id)] == [p["thomas"].id]
    page = client.get(f"/programs/{program.id}/matching").get_data(as_text=True)
    assert "Margaret</strong>: Removed from the draft." in page


def test_removed_from_the_draft_only_for_people_who_were_in_it(
    client, login, running, coordinator, make_user
):
    program, p = running
    programs.set_preferences(program, p["margaret"], [p["leo"].id])
    programs.set_preferences(program, p["thomas"], [p["aisha"].id])
    login(coordinator)
    assert "Unmatched" not in client.get(f"/programs/{program.id}/matching").get_data(
        as_text=True
    )  # no run yet: nobody is missing from a draft
    client.post(f"/programs/{program.id}/matching")
    late, mo = make_user("Lara Late", seniority=5), make_user("Mo", seniority=1)
    programs.invite(program, [late.id], "mentee")  # both join after the draft was made
    programs.invite(program, [mo.id], "mentor")
    for person in (late, mo):
        programs.respond(program, person, True, capacity=1, topic_ids=[topic_id("accessibility")])
    margaret = db.session.scalar(select(Match).where(Match.mentee_id == p["margaret"].id))
    client.post(f"/programs/{program.id}/matching/{margaret.id}/remove", data={"confirm": "yes"})
    page = client.get(f"/programs/{program.id}/matching").get_data(as_text=True)
    assert "Margaret</strong>: Removed from the draft." in page
    assert "Lara Late</strong>: Removed from the draft." not in page
    assert "Lara Late</strong>: Not in this draft — run the matcher again" in page


def test_status_moves_forward_only(client, coordinator):
    program = make_program(coordinator)
    client.post(f"/programs/{program.id}/status")
    client.post(f"/programs/{program.id}/close", data={"confirm": "yes"})
    db.session.refresh(program)
    assert program.status == "closed"
    assert client.post(f"/programs/{program.id}/status").status_code == 409


@pytest.mark.parametrize(("capacity", "room_left"), [(1, False), (2, True)])
def test_confirmed_pairs_use_up_capacity_when_matching_runs_again(
    running, coordinator, capacity, room_left
):
    """Leo (the only mentor Margaret and Thomas rank) mentors Margaret already; a new run
    gives him Thomas only if his capacity has room for a second mentee."""
    program, p = running
    leo = p["leo"]
    programs.member_of(program, leo.id).capacity = capacity
    db.session.commit()
    programs.set_preferences(program, p["margaret"], [leo.id])
    programs.set_preferences(program, p["thomas"], [leo.id])
    programs.set_preferences(program, leo, [p["margaret"].id])
    programs.run_matching(program)
    for match in programs.matches_of(program.id):
        if match.mentee_id != p["margaret"].id:
            programs.remove_pair(program, match.id)
    assert programs.confirm(program, coordinator) == 1  # Margaret and Leo

    result = programs.run_matching(program)
    thomas = {pair.mentee_id: pair.mentor_id for pair in result.pairs}.get(p["thomas"].id)
    assert (thomas == leo.id) is room_left
    confirmed = [m for m in programs.matches_of(program.id) if m.status == "confirmed"]
    assert [(m.mentee_id, m.mentor_id) for m in confirmed] == [(p["margaret"].id, leo.id)]
