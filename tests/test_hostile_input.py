"""Random and adversarial data posted to every form: the answer is 2xx, 3xx or 4xx, never
500, and nothing stored breaks the schema's own limits."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, func, select

from portal.extensions import db
from tests.conftest import topic_id
from tests.objects import every_kind, post_urls

FIELDS = """title topic_id summary body minutes preview save publish prompt done_when name slug
description email password confirm current seniority job_title bio timezone expertise interests
remember m-role m-topics m-message link strengths improvements next_step outcome status direction
rating-helpfulness rating-clarity rating-comment self-topic self-confidence self-note assign-mentee
assign-due lesson starts_at duration place capacity invitees emails all_mentees invite-invitees
invite-emails attendance-attended notes-notes edit-title edit-starts_at edit-duration
edit-capacity group-went_well group-work_on invite-role invite-people answer-answer answer-note
answer-capacity answer-topics rank-rank_1 rank-rank_2 rank-rank_3 swap-mentor hours-week
hours-hours kudos-message q find invite-q invite-find survey-subject survey-title survey-phase
survey-questions links-count
held_on what_works what_does_not actions private_notes reflection-reflection named focus
goal_statement goal_metric goal_baseline goal_target target_kind starts_on ends_on checkin_weeks
weekly_hours_limit reason comment-body duration_minutes agenda private-body action-text action-owner
action-due_on""".split()

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "1e309",
            "NaN",
            "99999999999999999999",
            "2026-13-45",
            "9999-12-31T25:61",
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "\u202egnp.exe",
            "a\x00b",
            "' OR 1=1 --",
            "%s%s%n",
            "x" * 20_001,
        ]
    ),
    st.integers(-(2**70), 2**70).map(str),
)
FORMS = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=12
)


def string_limits_hold() -> list[str]:
    broken = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and column.type.length:
                longest = db.session.scalar(select(func.max(func.length(column))))
                if longest and longest > column.type.length:
                    broken.append(f"{table.name}.{column.name}: {longest} > {column.type.length}")
    return broken


@pytest.fixture
def objects(world, make_user, submit):
    """Real objects of every kind, owned by the people who post (see tests/objects.py)."""
    return every_kind(world, make_user, submit())


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_form_survives_hostile_input(app, client, login, objects, data):
    if not getattr(app, "_fuzz_routes", None):
        app._fuzz_routes = sorted(set(post_urls(app, objects).values()))
    people = vars(objects.people)
    who = data.draw(st.sampled_from([*sorted(people), None]))
    if who is not None:
        login(people[who])
    else:
        client.post("/auth/logout")
    path = data.draw(st.sampled_from(app._fuzz_routes))
    response = client.post(path, data=data.draw(FORMS))
    assert response.status_code < 500, (path, response.status_code)
    assert string_limits_hold() == []


# Routes that, posted even empty, take their object away (a deleted task answers 404): last.
ENDINGS = ("/delete", "/cancel", "/status", "/end", "/remove", "/confirm")


def test_the_fuzzer_reaches_every_post_route(app, client, login, objects):
    """For every POST route someone gets past its access check (not 403, 404 or "sign in
    first" for everyone) with the fuzzer's objects, so the fuzzer's data reaches the form."""
    urls = post_urls(app, objects)
    assert len(urls) >= 55
    people = [*sorted(vars(objects.people).items()), ("nobody", None)]
    shut_out = {}
    for route, path in sorted(urls.items(), key=lambda item: item[1].endswith(ENDINGS)):
        answers = {}
        for name, person in people:
            login(person) if person else client.post("/auth/logout")
            response = client.post(path, data={})
            sent_to_sign_in = response.location and response.location.startswith("/auth/login")
            answers[name] = 401 if sent_to_sign_in else response.status_code
        if not set(answers.values()) - {401, 403, 404} or max(answers.values()) >= 500:
            shut_out[route] = answers
    assert shut_out == {}  # everyone refused, or someone got a server error


def valid_forms(world, submission_id: int, rubric) -> dict[str, tuple[object, dict]]:
    """A valid payload per write route, with who sends it."""
    from tests.conftest import feedback_form_data

    start = "2031-03-10T14:00"
    return {
        "/lessons/new": (
            world.mentor,
            {
                "title": "T",
                "topic_id": str(topic_id("leadership")),
                "summary": "S",
                "body": "B",
                "minutes": "5",
                "save": "1",
            },
        ),
        f"/lessons/{world.lesson.id}/tasks/new": (world.mentor, {"prompt": "P", "done_when": "D"}),
        "/profile/edit": (
            world.mentee,
            {"name": "N", "seniority": "3", "timezone": "", "bio": "B", "job_title": "J"},
        ),
        f"/tasks/{world.task2.id}": (
            world.mentee,
            {"body": "An answer", "link": "https://example.org/x"},
        ),
        f"/submissions/{submission_id}": (world.mentor, feedback_form_data(rubric)),
        f"/conversations/submission/{submission_id}": (
            world.mentee,
            {"comment-body": "What next?"},
        ),
        "/topics/new": (world.coordinator, {"name": "N", "slug": "fuzz-topic", "description": "D"}),
        "/sessions/new": (
            world.mentor,
            {
                "lesson": str(world.lesson.id),
                "title": "T",
                "starts_at": start,
                "duration": "30",
                "place": "P",
                "capacity": "3",
            },
        ),
        "/programs/new": (
            world.coordinator,
            {
                "name": "N",
                "focus": "other",
                "goal_statement": "G",
                "goal_metric": "M",
                "goal_target": "3",
                "target_kind": "absolute",
                "starts_on": "2031-01-01",
                "ends_on": "2031-06-01",
                "checkin_weeks": "4",
                "weekly_hours_limit": "2",
            },
        ),
        f"/people/{world.mentee.id}": (
            world.other_mentee,
            {"m-role": "mentee", "m-topics": str(topic_id("leadership")), "m-message": "Hi"},
        ),
    }


TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=300),
    st.sampled_from(
        [
            "a\x00b",
            "x" * 20_001,
            "\u202e\u0000",
            "1e309",
            "-99999999999999999999",
            "2031-02-30T10:00",
            "<img src=x onerror=alert(1)>",
            "\r\n\r\n",
        ]
    ),
)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_one_hostile_field_in_an_otherwise_valid_form(app, client, login, world, submit, data):
    from feedback.rubrics import current_rubric

    if not getattr(app, "_valid_forms", None):
        app._valid_forms = valid_forms(
            world, submit().id, current_rubric(topic_id("accessibility"))
        )
    path = data.draw(st.sampled_from(sorted(app._valid_forms)))
    who, payload = app._valid_forms[path]
    field = data.draw(st.sampled_from(sorted(payload)))
    login(who)
    response = client.post(path, data={**payload, field: data.draw(TEXT)})
    assert response.status_code < 500, (path, field, response.status_code)
    assert string_limits_hold() == []
