"""Every file the portal hands out survives hostile names: CSV cells cannot run as formulas,
file names cannot break the header, line breaks cannot break a calendar file."""

import csv
import io
import re

import pytest
from icalendar import Calendar
from werkzeug.http import parse_options_header

from lessons.sessions import services as sessions
from portal.downloads import content_disposition, csv_text, safe_cell
from portal.extensions import db
from portal.programs import surveys
from tests.test_program_care import make_survey, paired  # noqa: F401 (a fixture)
from tests.test_sessions import group  # noqa: F401 (a fixture)

FORMULA = '=HYPERLINK("http://evil.example","x")'


def cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body)) for cell in row]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_text_starting_like_a_formula_is_quoted(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_numbers_and_ordinary_text_are_left_alone():
    assert [safe_cell(v) for v in (-2, 3.5, "Leo", None, "a=b")] == [-2, 3.5, "Leo", "", "a=b"]
    assert cells(csv_text([["n", "name"], [-2, "=x"]])) == ["n", "name", "-2", "'=x"]


def test_matches_csv_quotes_names(client, paired):  # noqa: F811
    program, match, p = paired
    p["leo"].name = FORMULA
    db.session.commit()
    body = client.get(f"/programs/{program.id}/report/matches.csv").get_data(as_text=True)
    assert "'" + FORMULA in cells(body) and FORMULA not in cells(body)


def test_goal_csv_quotes_the_metric_and_survey_titles(client, paired):  # noqa: F811
    program, _match, p = paired
    program.goal_metric = "+SUM(A1:A9)"
    survey = make_survey(program, p)
    survey.title = "@cmd|' /C calc'!A0"
    for token in surveys.issue_links(survey, surveys.MIN_RESPONSES):
        surveys.answer(token, {q.id: 4 for q in survey.questions})
    body = client.get(f"/programs/{program.id}/report/goal.csv").get_data(as_text=True)
    assert "'+SUM(A1:A9)" in cells(body) and "'@cmd|' /C calc'!A0" in cells(body)


def test_participation_csv_goes_through_the_writer(client, paired):  # noqa: F811
    program, _match, _p = paired
    body = client.get(f"/programs/{program.id}/report/participation.csv").get_data(as_text=True)
    assert cells(body)[:4] == ["role", "invited", "accepted", "matched"]


def test_progress_csv_quotes_topic_and_criterion_names(client, login, world, submit):
    from feedback.rubrics import current_rubric
    from feedback.services import give_feedback
    from portal.topics import Topic
    from tests.conftest import feedback_data, topic_id

    give_feedback(world.mentor, submit(), feedback_data("accessibility", 3, "accept"))
    db.session.get(Topic, topic_id("accessibility")).name = "-2+3"
    current_rubric(topic_id("accessibility")).criteria[0].name = FORMULA
    db.session.commit()
    login(world.mentee)
    body = client.get(f"/progress/{world.mentee.id}/progress.csv").get_data(as_text=True)
    assert "'-2+3" in cells(body) and "'" + FORMULA in cells(body)


def test_a_name_with_quotes_and_line_breaks_still_downloads(client, login, world):
    world.mentee.name = 'Zoë "Q" O\'Neil\r\nSet-Cookie: x=1'
    db.session.commit()
    login(world.mentee)
    response = client.get(f"/progress/{world.mentee.id}/feedback.csv")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert "\n" not in header and "\r" not in header
    kind, params = parse_options_header(header)
    assert kind == "attachment"
    assert 'filename="flipside-feedback-zoe--q--o-neilset-cookie--x-1.csv"' in header  # ASCII
    # werkzeug reads filename* when it is there: the exact name, on one line
    assert params["filename"] == 'flipside-feedback-zoë-"q"-o\'neilset-cookie:-x=1.csv'
    assert content_disposition('Zoë "Q".csv') == (
        "attachment; filename=\"Zoe-Q-.csv\"; filename*=UTF-8''Zo%C3%AB%20%22Q%22.csv"
    )
    assert content_disposition("plain-name.csv") == 'attachment; filename="plain-name.csv"'


def unescape(text) -> str:
    """RFC 5545 TEXT unescaping (icalendar leaves X- properties as it read them)."""
    return re.sub(r"\\([\\;,nN])", lambda m: {"n": "\n", "N": "\n"}.get(m[1], m[1]), str(text))


def _lines(body: bytes) -> list[bytes]:
    return body.split(b"\r\n")


def test_session_ics_escapes_and_folds_a_title_with_line_breaks(client, login, world, group):  # noqa: F811
    group.title = "Alt text; clinic,\nsecond line " + "x" * 120
    group.place = "Room 4\nBUILDING 2"
    db.session.commit()
    login(world.mentee)
    response = client.get(f"/sessions/{group.id}.ics")
    assert response.status_code == 200
    assert all(len(line) <= 75 for line in _lines(response.data))  # folded (RFC 5545 3.1)
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == group.title and str(event["LOCATION"]) == group.place
    name = unescape(str(Calendar.from_ical(response.data)["X-WR-CALNAME"]))
    assert name == group.title  # TEXT, escaped: \n and \; and \, round-trip


def test_calendar_feed_survives_a_name_with_a_line_break(client, login, world, group):  # noqa: F811
    sessions.respond(group, world.mentee.id, accept=True)
    world.mentee.name = "Margaret\nBEGIN:VEVENT"
    db.session.commit()
    login(world.mentee)
    page = client.get("/sessions/").get_data(as_text=True)
    feed_url = page.split('id="feed-url" readonly value="')[1].split('"')[0]
    response = client.get(feed_url.replace("http://localhost", ""))
    assert response.status_code == 200
    parsed = Calendar.from_ical(response.data)
    assert unescape(str(parsed["X-WR-CALNAME"])) == "Flipside — Margaret\nBEGIN:VEVENT"
    assert len(parsed.walk("VEVENT")) == 1
