"""Demo people for `seed-demo`: a coordinator, junior mentors and senior mentees."""

from __future__ import annotations

from flask import current_app

from portal.accounts import services as users
from portal.topics import all_topics

PASSWORD = "flipside-demo"

PEOPLE = (
    # email, name, job title, seniority, coordinator
    ("sam@flipside.example", "Sam Rivera", "People & Culture Partner", 5, True),
    ("aisha@flipside.example", "Aisha Khan", "Social Media Associate", 2, False),
    ("leo@flipside.example", "Leo Martins", "Junior Front-end Developer", 2, False),
    ("priya@flipside.example", "Priya Nair", "Customer Operations Analyst", 3, False),
    ("margaret@flipside.example", "Margaret Okafor", "VP Operations", 8, False),
    ("thomas@flipside.example", "Thomas Berg", "Head of Finance", 7, False),
    ("helen@flipside.example", "Helen Zhou", "Chief Technology Officer", 9, False),
)


def seed_people() -> None:
    """Create the demo accounts that do not exist yet."""
    for email, name, title, seniority, coordinator in PEOPLE:
        if users.find_by_email(email) is None:
            users.create_user(
                email,
                name,
                PASSWORD,
                job_title=title,
                seniority=seniority,
                coordinator=coordinator,
                hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                local=coordinator,  # the demo coordinator keeps a password under SSO_ONLY
            )


# A file the coordinator uploaded and has not imported yet: its preview is one click from
# "Import people" (two new people, an update of Priya's title, one unchanged row).
IMPORT_FILE = """name,email,job title,seniority,topics they teach,topics they learn
Noor Haddad,noor@flipside.example,Graduate Data Analyst,2,accessibility,leadership
Oskar Lind,oskar@flipside.example,Director of Sales,8,leadership,social-media;accessibility
Priya Nair,priya@flipside.example,Senior Customer Operations Analyst,3,,
Helen Zhou,helen@flipside.example,Chief Technology Officer,9,,
"""


def seed_people_import() -> None:
    """Keep the demo upload for Sam, unless one is there already."""
    from sqlalchemy import select

    from portal.accounts import importing
    from portal.accounts.models import PeopleImport
    from portal.extensions import db

    sam = users.find_by_email(PEOPLE[0][0])
    if db.session.scalar(select(PeopleImport.id).where(PeopleImport.uploaded_by_id == sam.id)):
        return
    importing.upload(sam, "new-cohort.csv", IMPORT_FILE.encode())


PROGRAM = "Reverse mentoring 2026 — Operations"


def seed_program() -> None:
    """An active program with accepted mentors and mentees, ranks and confirmed matches."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.clock import utcnow
    from portal.extensions import db
    from portal.programs import services as programs
    from portal.programs.models import Program

    if db.session.scalar(select(Program.id).where(Program.name == PROGRAM)):
        return
    person = {email.split("@")[0]: users.find_by_email(email) for email, *_ in PEOPLE}
    today = utcnow().date()
    data = programs.ProgramData(
        name=PROGRAM,
        focus="leadership",
        goal_statement="Senior leaders in Operations give feedback and run meetings that their "
        "teams find useful.",
        goal_metric="Team average on the anonymous leadership survey (1–5)",
        goal_baseline=3.1,
        goal_target=20,
        target_kind="relative",
        goal_achievable="Three junior mentors with an hour a week each, supported by People & Culture.",
        goal_relevant="Last year's engagement survey named feedback as Operations' weakest point.",
        starts_on=today - timedelta(weeks=8),
        ends_on=today + timedelta(weeks=16),
    )
    program = programs.save_program(None, data, person["sam"].id)
    programs.invite(program, [person[n].id for n in ("leo", "aisha", "priya")], "mentor")
    programs.invite(program, [person[n].id for n in ("margaret", "thomas", "helen")], "mentee")
    topics = {t.slug: t.id for t in all_topics()}
    answers = {
        "leo": (2, "accessibility"),
        "aisha": (1, "social-media"),
        "priya": (1, "leadership"),
        "margaret": (0, "accessibility"),
        "thomas": (0, "social-media"),
        "helen": (0, "leadership"),
    }
    for name, (capacity, topic) in answers.items():
        programs.respond(
            program,
            person[name],
            True,
            capacity=capacity or 1,
            topic_ids=[topics[topic], topics["leadership"]],
        )
    ranks = {
        "margaret": ["leo"],
        "thomas": ["aisha", "leo"],
        "helen": ["priya", "leo"],
        "leo": ["margaret"],
        "aisha": ["thomas"],
        "priya": ["helen"],
    }
    for name, chosen in ranks.items():
        programs.set_preferences(program, person[name], [person[c].id for c in chosen])
    programs.run_matching(program)
    programs.confirm(program, person["sam"])
    programs.advance(program)
    _program_life(program, person)
    _invite_links(program, person["sam"])


def _invite_links(program, sam) -> None:
    """One open link for mentees of the company's domain, used once, and one revoked."""
    from datetime import date, timedelta

    from portal.extensions import db
    from portal.programs import invite_links

    for role, domain, revoked in (("mentee", "flipside.example", False), ("mentor", "", True)):
        zone = current_app.config["FLIPSIDE_TIMEZONE"]
        data = invite_links.LinkData(role, date.today() + timedelta(weeks=4), zone, domain, 25)
        link = invite_links.create(program, sam, data)
        if revoked:
            invite_links.revoke(link)
        else:
            link.uses = 1  # someone joined through it before the demo began
    db.session.commit()


def _program_life(program, person) -> None:
    """Check-ins (one pair overdue), logged hours (one mentor over the limit), surveys."""
    from datetime import timedelta

    from portal.clock import utcnow
    from portal.extensions import db
    from portal.programs import care as program_care
    from portal.programs import surveys

    today = utcnow().date()
    pairs = {
        c.match.mentor.email.split("@")[0]: c.match for c in program_care.checkin_status(program)
    }
    for match in pairs.values():  # the pairs met when the program started
        match.created_at = utcnow() - timedelta(weeks=8)
    db.session.commit()
    notes = {
        "leo": (
            35,
            "Margaret fixed her own slide decks and now asks her team for alt text.",
            "Meetings keep getting moved; two sessions were cancelled at short notice.",
            "Fixed slot on Thursday mornings; Margaret's assistant books it.",
        ),
        "aisha": (
            12,
            "Thomas posted twice and answered every comment himself.",
            "He still writes announcements rather than stories.",
            "Aisha shares three examples of story-led posts from finance leaders.",
        ),
    }
    for name, (days, works, does_not, actions) in notes.items():
        program_care.record_checkin(
            program,
            pairs[name],
            person["sam"],
            program_care.CheckInData(
                today - timedelta(days=days),
                works,
                does_not,
                actions,
                "Check whether Margaret's travel makes the pairing too hard."
                if name == "leo"
                else "",
            ),
        )
    for name, hours in {"leo": [1.5, 3.0, 2.5], "aisha": [1.0, 1.5], "priya": [2.0, 1.0]}.items():
        for weeks_ago, h in enumerate(hours):
            program_care.log_hours(program, person[name].id, today - timedelta(weeks=weeks_ago), h)
    # Each mentee's team answers before and during the program. Helen's and Margaret's teams
    # answered both; Thomas's follow-up has two answers so far, too few to show.
    teams = {
        "helen": {
            "baseline": [(3, 3, 4, 2, 3), (3, 2, 3, 3, 3), (4, 3, 3, 3, 4), (3, 3, 3, 2, 3)],
            "follow-up": [(4, 4, 4, 3, 4), (4, 3, 4, 4, 4), (4, 4, 4, 3, 4), (4, 4, 4, 4, 3)],
        },
        "margaret": {
            "baseline": [(3, 2, 3, 2, 3), (2, 3, 3, 2, 3), (3, 3, 2, 3, 3)],
            "follow-up": [(3, 3, 4, 3, 3), (4, 3, 3, 3, 4), (3, 4, 3, 3, 3)],
        },
        "thomas": {
            "baseline": [(3, 3, 3, 3, 4), (3, 4, 3, 2, 3), (4, 3, 3, 3, 3)],
            "follow-up": [(4, 4, 3, 3, 4), (4, 3, 4, 3, 4)],
        },
    }
    for name, phases in teams.items():
        for phase, rows in phases.items():
            survey = surveys.create_survey(
                program,
                person[name].id,
                f"{person[name].name.split()[0]}'s team — {phase}",
                phase,
                list(surveys.LEADERSHIP_TEMPLATE),
            )
            links = surveys.issue_links(survey, len(rows) + 2)
            for token, values in zip(links, rows, strict=False):
                answers = {q.id: v for q, v in zip(survey.questions, values, strict=True)}
                surveys.answer(token, answers)


PILOT = "Reverse mentoring pilot 2025 — Finance"


def seed_pilot() -> None:
    """A closed pilot, with its closing reflection, and its next cohort in planning."""
    from datetime import timedelta

    from sqlalchemy import select

    from portal.clock import utcnow
    from portal.extensions import db
    from portal.programs import services as programs
    from portal.programs.models import Program

    if db.session.scalar(select(Program.id).where(Program.name == PILOT)):
        return
    person = {email.split("@")[0]: users.find_by_email(email) for email, *_ in PEOPLE}
    today = utcnow().date()
    pilot = programs.save_program(
        None,
        programs.ProgramData(
            name=PILOT,
            focus="leadership",
            goal_statement="Finance leads ask their teams for feedback and act on it.",
            goal_metric="Team average on the anonymous leadership survey (1–5)",
            goal_baseline=2.9,
            goal_target=3.4,
            target_kind="absolute",
            goal_achievable="Two junior mentors, an hour a week each, for four months.",
            goal_relevant="Finance had the lowest 'my manager listens' score.",
            starts_on=today - timedelta(weeks=60),
            ends_on=today - timedelta(weeks=40),
            checkin_weeks=3,
            weekly_hours_limit=1.5,
        ),
        person["sam"].id,
    )
    programs.invite(pilot, [person["priya"].id], "mentor")
    programs.invite(pilot, [person["thomas"].id], "mentee")
    for name in ("priya", "thomas"):
        programs.respond(pilot, person[name], True, capacity=1)
    programs.advance(pilot)
    programs.advance(pilot)  # closed
    pilot.closing_reflection = (
        "Pairs that met weekly did best. Next time: a fixed weekly slot from the start, and "
        "check-ins every two weeks in the first month."
    )
    db.session.commit()
    programs.start_next_cohort(
        pilot,
        person["sam"],
        programs.NextCohort(
            name="Reverse mentoring 2027 — Finance",
            starts_on=today + timedelta(weeks=6),
            ends_on=today + timedelta(weeks=30),
            goal_baseline=pilot.goal_baseline,
            invite="nobody",
        ),
    )
