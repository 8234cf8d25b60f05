"""Progress per topic: the pure computation, the charts, the page and the CSV exports."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from feedback import charts, progress
from feedback.rubrics import current_rubric
from portal.extensions import db
from tests.conftest import feedback_data, feedback_form_data, topic_id

T0 = datetime(2026, 10, 1, tzinfo=UTC)
A11Y, LEAD = (
    progress.TopicRef(1, "accessibility", "Accessibility"),
    progress.TopicRef(2, "leadership", "Leadership"),
)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def test_compute_counts_scores_trend_and_confidence():
    result = progress.compute(
        [A11Y, LEAD],
        lessons=[
            progress.LessonRecord(1, "completed"),
            progress.LessonRecord(1, "in progress"),
            progress.LessonRecord(1, "not started"),
        ],
        submissions=[
            progress.SubmissionRecord(1, "accepted"),
            progress.SubmissionRecord(1, "needs_revision"),
        ],
        feedback=[
            progress.FeedbackRecord(1, day(10), (("Alt text", 3), ("Structure", 4))),
            progress.FeedbackRecord(1, day(2), (("Alt text", 1), ("Structure", 2))),
        ],
        self_assessments=[progress.SelfRecord(1, day(5), 3), progress.SelfRecord(1, day(1), 1)],
    )
    (a11y,) = result  # leadership had no activity
    assert (a11y.lessons_started, a11y.lessons_completed) == (2, 1)
    assert (a11y.tasks_submitted, a11y.tasks_accepted) == (2, 1)
    assert a11y.trend == [(day(2), 1.5), (day(10), 3.5)]  # in time order, whatever the input order
    assert [(c.name, c.latest, c.average, c.count) for c in a11y.criteria] == [
        ("Alt text", 3, 2.0, 2),
        ("Structure", 4, 3.0, 2),
    ]
    assert a11y.confidence == [(day(1), 1), (day(5), 3)]
    assert (a11y.first_score, a11y.latest_score) == (1.5, 3.5)


def test_compute_with_nothing_is_empty():
    assert progress.compute([A11Y], [], [], [], []) == []


def test_chart_is_accessible_and_greyscale_safe():
    series = [
        charts.Series("Score <b>", [(day(0), 1.0), (day(7), 3.0)]),
        charts.Series("Other", [(day(0), 2.0), (day(7), 2.5)]),
    ]
    svg = str(charts.line_chart("c1", "Scores & more", "Two series.", series, (1, 4)))
    assert svg.startswith('<div class="chart-frame"><svg class="chart"') and 'role="img"' in svg
    # Named by its title and described by its description, each once (a name made of both
    # was read with the description twice: the <desc> is the description anyway).
    assert 'aria-labelledby="c1-title" aria-describedby="c1-desc"' in svg
    assert '<title id="c1-title">Scores &amp; more</title>' in svg and '<desc id="c1-desc">' in svg
    assert "<circle" in svg and "<rect" in svg  # markers differ, not only colours
    assert 'stroke-dasharray="6 4"' in svg
    assert "<b>" not in str(charts.legend(series)) and "dashed line, squares" in str(
        charts.legend(series)
    )
    points = re.findall(r'<polyline points="([^"]+)"', svg)[0].split()
    first_y, last_y = float(points[0].split(",")[1]), float(points[-1].split(",")[1])
    assert last_y < first_y  # a rising score goes up the chart


def test_chart_with_one_point_and_no_points():
    one = str(charts.line_chart("c", "t", "d", [charts.Series("s", [(day(0), 2.0)])], (1, 4)))
    assert one.count("<circle") == 1
    assert str(charts.line_chart("c", "t", "d", [charts.Series("s", [])], (1, 4))) == ""


def _reviewed(world, submit, client, login, levels_list):
    rubric = current_rubric(topic_id("accessibility"))
    submission = submit()
    login(world.mentor)
    for i, levels in enumerate(levels_list):
        outcome = "accept" if i == len(levels_list) - 1 else "revise"
        client.post(
            f"/submissions/{submission.id}", data=feedback_form_data(rubric, levels, outcome)
        )
        if outcome == "revise":
            login(world.mentee)
            client.post(f"/tasks/{world.task.id}", data={"body": f"Attempt {i + 2}"})
            login(world.mentor)
    return rubric


def test_progress_page_shows_numbers_chart_and_table(client, login, world, submit):
    _reviewed(world, submit, client, login, [2, 4])
    login(world.mentee)
    page = client.get("/progress/").get_data(as_text=True)
    assert "<strong>1 / 1</strong> tasks accepted / submitted" in page
    assert "<strong>0 / 1</strong> lessons completed / started" in page  # one task of two
    assert "<strong>4.0</strong> latest average score" in page
    assert '<svg class="chart"' in page and "2 feedback scores from 2.0 to 4.0" in page
    assert "<caption>Rubric scores per criterion</caption>" in page
    login(world.mentor)
    assert "Progress of Margaret Mentee" in client.get(f"/progress/{world.mentee.id}").get_data(
        True
    )


def test_csv_exports(client, login, world, submit):
    _reviewed(world, submit, client, login, [2, 3])
    login(world.mentee)
    response = client.get(f"/progress/{world.mentee.id}/feedback.csv")
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["outcome"] for r in rows] == ["revise", "accept"]
    assert rows[0]["lesson"] == "Alt text" and rows[0]["mentor"] == "Leo Mentor"
    assert rows[0]["mean score"] == "2.00" and "Text alternatives=2" in rows[0]["scores"]
    summary = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/progress/{world.mentee.id}/progress.csv").get_data(as_text=True)
            )
        )
    )
    assert {r["criterion"] for r in summary} >= {"Text alternatives", "Structure and links"}
    assert all(r["tasks accepted"] == "1" for r in summary)


def test_csv_cells_cannot_run_as_formulas(client, login, world, submit):
    rubric = current_rubric(topic_id("accessibility"))
    submission = submit()
    login(world.mentor)
    client.post(
        f"/submissions/{submission.id}",
        data=feedback_form_data(rubric, strengths='=HYPERLINK("http://evil") looks fine here'),
    )
    login(world.mentee)
    text = client.get(f"/progress/{world.mentee.id}/feedback.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


def test_progress_is_derived_not_stored(world, submit, app):
    """No table holds progress: deleting feedback changes it at once."""
    from feedback.models import Feedback
    from feedback.reports import progress_of
    from feedback.services import give_feedback

    give_feedback(world.mentor, submit(), feedback_data("accessibility", 3, "accept"))
    assert progress_of(world.mentee.id)[0].latest_score == 3.0
    assert not any("progress" in name for name in db.metadata.tables)
    db.session.execute(db.delete(Feedback))
    db.session.commit()
    assert progress_of(world.mentee.id)[0].trend == []
