"""Demo people for `seed-demo`: a coordinator, junior mentors and senior mentees."""

from __future__ import annotations

from flask import current_app

from portal import users

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
            )
