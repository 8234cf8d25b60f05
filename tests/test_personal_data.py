"""A person's own data: the download holds theirs (and only theirs); deleting the account
removes the identity and received feedback, keeps lessons and program counts; coordinators
deactivate and reactivate accounts."""

import csv
import io
import json
import time
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from feedback import program_report
from feedback import services as feedback
from feedback.models import Feedback, SelfAssessment
from lessons.models import Lesson
from portal.accounts.kudos import give_kudos
from portal.accounts.models import Mentorship, User
from portal.extensions import db
from portal.programs import care, surveys
from portal.programs.models import Match
from tests.conftest import PASSWORD, feedback_data, topic_id
from tests.objects import _program

SECRET_NOTE = "Coordinator-only: worried about Margaret's workload"
SURVEY_NAME = "Anonymous Respondent Zed"


@pytest.fixture
def record(world, make_user, submit, make_lesson):
    """Margaret's record: an answer with feedback, a self-assessment, a program with a
    check-in carrying a coordinator's private note, kudos, a named survey answer about her;
    and Olga's data beside it."""
    answer = submit()
    feedback.give_feedback(world.mentor, answer, feedback_data("accessibility", 3, "revise"))
    feedback.assess_self(world.mentee.id, topic_id("accessibility"), 2, "Unsure about charts.")
    program = _program(world, make_user("Ivy Invitee"))
    match = db.session.scalar(select(Match).where(Match.status == "confirmed"))
    care.record_checkin(
        program,
        match,
        world.coordinator,
        care.CheckInData(
            date.today(),
            "Weekly calls keep us on track.",
            "Finding a time is hard.",
            "Book the next three calls now.",
            SECRET_NOTE,
        ),
    )
    give_kudos(world.coordinator, world.mentee, "Thanks for the brave questions.")
    survey = surveys.create_survey(
        program, world.mentee.id, "Margaret's team survey", "baseline", ["Listens well?"]
    )
    surveys.set_named(survey, True)
    question = survey.questions[0].id
    for token in surveys.issue_links(survey, 3):
        surveys.answer(token, {question: 5}, name=SURVEY_NAME)
    feedback.assess_self(world.other_mentee.id, topic_id("leadership"), 5, "Olga's own note")
    world.program, world.answer = program, answer
    return world


def unzip(response) -> dict[str, str]:
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as zf:
        return {name: zf.read(name).decode() for name in zf.namelist()}


def test_the_download_holds_the_persons_data(client, login, record):
    login(record.mentee)
    files = unzip(client.get("/profile/my-data.zip"))
    data = json.loads(files["data.json"])
    parts = data["sections"]
    assert parts["profile"]["rows"][0]["email"] == record.mentee.email
    assert parts["answers"]["rows"][0]["answer"] == "I described every chart by its conclusion."
    received = parts["feedback_received"]["rows"][0]
    assert received["from"] == "Leo Mentor" and "chart by its conclusion" in received["strengths"]
    assert "of 4" in received["scores"]
    assert parts["self_assessments"]["rows"][0]["note"] == "Unsure about charts."
    assert parts["programs"]["rows"][0]["program"] == "Fuzz program"
    assert parts["checkins"]["rows"][0]["what_works"] == "Weekly calls keep us on track."
    assert parts["kudos"]["rows"][0]["message"] == "Thanks for the brave questions."
    assert parts["mentorships"]["rows"][0]["with"] == "Leo Mentor"
    assert any(r["kind"] == "feedback_received" for r in parts["notifications"]["rows"])
    rows = list(csv.DictReader(io.StringIO(files["answers.csv"])))
    assert rows[0]["answer"] == "I described every chart by its conclusion."
    assert "README.txt" in files and "feedback_received.csv" in files


def test_the_download_leaves_out_others_private_notes_and_survey_answers(client, login, record):
    login(record.mentee)
    everything = "\n".join(unzip(client.get("/profile/my-data.zip")).values())
    assert SECRET_NOTE not in everything  # the coordinator's private note on her check-in
    assert SURVEY_NAME not in everything and "Listens well?" not in everything
    assert "Olga's own note" not in everything  # another person's data
    login(record.coordinator)  # the note's author gets it in their own download
    assert SECRET_NOTE in "\n".join(unzip(client.get("/profile/my-data.zip")).values())


def test_the_download_is_for_the_signed_in_person_only(client):
    assert client.get("/profile/my-data.zip").status_code == 302  # to sign in


def test_a_new_area_adds_a_section_with_a_few_lines(app, client, login, make_user):
    from portal.accounts.personal_data import Section, register_section

    register_section(app, Section("meetings", "Meetings", lambda u: [{"with": "Leo"}], 60))
    login(make_user())
    files = unzip(client.get("/profile/my-data.zip"))
    assert json.loads(files["data.json"])["sections"]["meetings"]["rows"] == [{"with": "Leo"}]
    assert files["meetings.csv"].splitlines() == ["with", "Leo"]
    with pytest.raises(ValueError):
        register_section(app, Section("meetings", "Again", lambda u: []))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def delete_me(client, password=PASSWORD, lessons="keep"):
    return client.post(
        "/profile/delete", data={"confirm": "yes", "password": password, "lessons": lessons}
    )


def test_deleting_asks_first_and_says_what_goes(client, login, record):
    login(record.mentee)
    page = client.get("/profile/delete")
    assert page.status_code == 200
    assert "The 1 piece of feedback you received" in page.text
    assert "What stays" in page.text and "Former member" in page.text
    one_click = client.post("/profile/delete", data={"password": PASSWORD})
    assert one_click.status_code == 200  # without confirm=yes: the question again
    wrong = delete_me(client, password="not my password")
    assert wrong.status_code == 422 and "That is not your password." in wrong.text
    assert db.session.get(User, record.mentee.id).name == "Margaret Mentee"


def test_deleting_removes_the_identity_and_received_feedback(client, login, record):
    mentee_id, email = record.mentee.id, record.mentee.email
    report_before = program_report.build(record.program)
    assert report_before.feedback_given == 1
    login(record.mentee)
    response = delete_me(client)
    assert response.headers["Location"] == "/"
    db.session.expire_all()
    person = db.session.get(User, mentee_id)
    assert person.name == "Former member" and person.is_deleted
    assert email not in person.email and person.password_hash == ""
    assert (person.job_title, person.bio, person.expertise) == ("", "", [])
    assert count(Feedback, Feedback.mentee_id == mentee_id) == 0
    assert count(SelfAssessment, SelfAssessment.user_id == mentee_id) == 0
    assert count(SelfAssessment) == 1  # Olga's stays
    # The program's report still counts the feedback; the pair shows as "Former member".
    report = program_report.build(record.program)
    assert report.feedback_given == 1
    assert report.participation == report_before.participation
    assert [p.mentee for p in report.pairs] == ["Former member"]
    # Signed out, and the old email and password no longer sign in.
    assert client.get("/profile/edit").status_code == 302
    assert (
        client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 422
    )
    # The mentor is told the mentorship ended.
    mentorship = db.session.scalar(select(Mentorship))
    assert mentorship.status == "ended"


def test_lessons_stay_as_former_member_unless_deleted(client, login, record, make_lesson):
    login(record.mentor)
    own = make_lesson(record.mentor, title="Nobody took this yet")
    delete_me(client, lessons="keep")
    db.session.expire_all()
    assert count(Lesson) == 2
    assert db.session.get(Lesson, own.id).author.name == "Former member"


def test_deleting_lessons_keeps_those_others_learn_from(client, login, record, make_lesson):
    login(record.mentor)
    own = make_lesson(record.mentor, title="Nobody took this yet")
    used_id, own_id = record.lesson.id, own.id
    delete_me(client, lessons="delete")
    db.session.expire_all()
    assert db.session.get(Lesson, own_id) is None
    kept = db.session.get(Lesson, used_id)  # Margaret answered it: withdrawn, not deleted
    assert kept.status == "archived" and kept.author.name == "Former member"


def test_an_account_without_password_cannot_be_deleted_here(client, login, make_user):
    person = make_user()
    login(person)
    person.password_hash = ""  # as an imported or single-sign-on account
    db.session.commit()
    page = client.get("/profile/delete")
    assert "has no password" in page.text
    refused = delete_me(client, password="anything")
    assert refused.status_code == 422 and "has no password" in refused.text
    assert db.session.get(User, person.id).is_deleted is False


def test_coordinator_deactivates_and_reactivates(client, login, world):
    mentee_id = world.mentee.id
    login(world.coordinator)
    asked = client.get(f"/people/{mentee_id}/deactivate")
    assert asked.status_code == 200 and "signed out everywhere" in asked.text
    assert client.post(f"/people/{mentee_id}/deactivate").status_code == 200  # asks again
    assert db.session.get(User, mentee_id).is_active_account
    assert (
        client.post(f"/people/{mentee_id}/deactivate", data={"confirm": "yes"}).status_code == 302
    )
    assert "This account is deactivated" in client.get(f"/people/{mentee_id}").text
    client.post("/auth/logout")
    refused = client.post("/auth/login", data={"email": world.mentee.email, "password": PASSWORD})
    assert refused.status_code == 422 and "This account is deactivated" in refused.text
    wrong = client.post("/auth/login", data={"email": world.mentee.email, "password": "x"})
    assert "deactivated" not in wrong.text  # told only to someone who knows the password
    login(world.coordinator)
    assert client.post(f"/people/{mentee_id}/reactivate").status_code == 302
    assert db.session.get(User, mentee_id).is_active_account
    assert login(world.mentee).status_code == 302


def test_deactivation_ends_the_persons_open_sessions(app, client, login, world):
    login(world.mentee)
    assert client.get("/profile/edit").status_code == 200
    coordinator = app.test_client()
    coordinator.post("/auth/login", data={"email": world.coordinator.email, "password": PASSWORD})
    coordinator.post(f"/people/{world.mentee.id}/deactivate", data={"confirm": "yes"})
    assert client.get("/profile/edit").status_code == 302  # signed out


@pytest.mark.parametrize("who", ["mentee", "mentor", "self"])
def test_only_coordinators_deactivate_others(client, login, world, who):
    target = world.coordinator if who == "self" else world.other_mentee
    login(world.coordinator if who == "self" else getattr(world, who))
    for path in (f"/people/{target.id}/deactivate", f"/people/{target.id}/reactivate"):
        assert client.post(path, data={"confirm": "yes"}).status_code == 403
    assert client.get(f"/people/{target.id}/deactivate").status_code == 403
    assert db.session.get(User, target.id).is_active_account
    assert client.get("/people/999999/deactivate").status_code == 404


def test_nobody_asks_a_deactivated_person_for_a_mentorship(client, login, world):
    from portal.accounts import privacy

    privacy.deactivate(world.other_mentee)
    login(world.mentor)
    page = client.get(f"/people/{world.other_mentee.id}")
    assert "This account is deactivated" in page.text and "Mentoring with" not in page.text
    client.post(
        f"/people/{world.other_mentee.id}",
        data={"m-role": "mentor", "m-topics": [str(topic_id("accessibility"))]},
    )
    assert count(Mentorship, Mentorship.mentee_id == world.other_mentee.id) == 0


def test_the_download_runs_a_fixed_number_of_queries(client, login, world, submit, count_queries):
    def measured() -> int:
        login(world.mentee)
        with count_queries() as statements:
            assert client.get("/profile/my-data.zip").status_code == 200
        return len(statements)

    def add(n: int) -> None:
        feedback.assess_self(world.mentee.id, topic_id("leadership"), 3, f"note {n}")
        give_kudos(world.coordinator, world.mentee, f"Thank you for the session number {n}.")

    submit(world.task)
    add(0)
    few = measured()  # one of each kind (a kind without rows skips its eager loads)
    submit(world.task2)
    for n in range(1, 5):
        add(n)
    assert measured() == few


@pytest.mark.parametrize(("minutes_ago", "deleted"), [(2, True), (11, False)])
def test_a_fresh_single_sign_on_proves_it_is_them(client, login, make_user, minutes_ago, deleted):
    """An account without a password is deleted after a sign-in at the organisation's
    provider in the last ten minutes (the session says how and when), not after an old one."""
    person = make_user()
    login(person)
    person.password_hash = ""
    db.session.commit()
    with client.session_transaction() as session:
        session["signed_in_with"] = "sso"
        session["signed_in_at"] = int(time.time()) - minutes_ago * 60
    page = client.get("/profile/delete")
    assert ("Your password" not in page.text) is deleted
    answer = client.post("/profile/delete", data={"confirm": "yes", "lessons": "keep"})
    assert answer.status_code == (302 if deleted else 422)
    db.session.expire_all()
    assert db.session.get(User, person.id).is_deleted is deleted
