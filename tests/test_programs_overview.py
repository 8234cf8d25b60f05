"""Programs side by side: figures per program, a cohort against its predecessor, filters,
CSV, and a fixed number of queries whatever the number of programs."""

from __future__ import annotations

from datetime import date, timedelta

from portal.programs import care, surveys
from portal.programs import services as programs
from tests.test_program_care import CHECKIN, answer_all, make_survey, paired  # noqa: F401


def next_cohort(program, coordinator, name="Ops 2031"):
    return programs.start_next_cohort(
        program,
        coordinator,
        programs.NextCohort(
            name=name,
            starts_on=date.today() - timedelta(weeks=1),
            ends_on=date.today() + timedelta(weeks=20),
            goal_baseline=3.0,
            invite="returning",
        ),
    )


def test_each_program_with_its_figures_and_a_cohort_against_the_last(
    client,
    paired,  # noqa: F811
):
    program, match, p = paired
    care.record_checkin(program, match, p["sam"], care.CheckInData(date.today(), **CHECKIN))
    for phase, value in (("baseline", 3), ("follow-up", 4)):
        survey = make_survey(program, p, phase)
        for token in surveys.issue_links(survey, 3):
            answer_all(survey, token, value)
    new = next_cohort(program, p["sam"])
    page = client.get("/programs/overview").get_data(as_text=True)
    table = page.split('<table class="table table--full table--stack">')[1]
    assert table.index("Ops 2031") < table.index("Ops 2026")  # newest first
    ops = page.split(f'href="/programs/{program.id}">Ops 2026</a>')[1].split("</tr>")[0]
    assert ">2 / 2 / 1</td>" in ops  # invited, accepted, pairs
    assert "1 of 2 held" in ops  # ten weeks, a check-in every four
    assert "Reached" in ops or "On track" in ops
    assert "latest 4.0" in ops
    cohort = page.split(f'href="/programs/{new.id}">Ops 2031</a>')[1]
    assert ">2 / 0 / 0</td>" in cohort.split("</tr>")[0]  # invited again, not answered yet
    assert "Against Ops 2026" in cohort and "pairs -1" in cohort
    csv = client.get("/programs/overview?format=csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("program,focus,starts on,ends on,state,invited")
    (cohort_row,) = [line for line in csv.splitlines() if line.startswith("Ops 2031,")]
    assert cohort_row.endswith(",Ops 2026")  # the cohort names the one it runs again


def test_filters_by_focus_and_year(client, paired):  # noqa: F811
    program, _match, p = paired
    assert "Ops 2026" in client.get("/programs/overview?focus=leadership").get_data(as_text=True)
    assert "No program matches" in client.get("/programs/overview?focus=technology").get_data(
        as_text=True
    )
    other_year = program.starts_on.year - 5
    page = client.get(f"/programs/overview?year={other_year}").get_data(as_text=True)
    assert "No program matches" in page


def test_the_same_queries_for_one_program_and_for_five(client, paired, count_queries):  # noqa: F811
    program, _match, p = paired
    with count_queries() as one:
        client.get("/programs/overview")
    previous = program
    for n in range(4):
        previous = next_cohort(previous, p["sam"], name=f"Cohort {n}")
    with count_queries() as five:
        page = client.get("/programs/overview").get_data(as_text=True)
    assert "Cohort 3" in page
    assert len(five) == len(one)


def test_only_coordinators_compare_programs(client, login, paired):  # noqa: F811
    _program, _match, p = paired
    login(p["margaret"])
    assert client.get("/programs/overview").status_code == 403
