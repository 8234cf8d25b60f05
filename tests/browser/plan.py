"""What the accessibility audit visits: every page, per role, and forms showing errors.

A route missing here fails `test_every_page_is_audited`, so each new page is audited as it
is born. Paths use names ({lesson}, {task}…) filled from the demo data.
"""

from __future__ import annotations

from dataclasses import dataclass

MENTEE = "margaret@flipside.example"  # mentored by MENTOR, with feedback on her work
MENTOR = "leo@flipside.example"
COORDINATOR = "sam@flipside.example"

# GET routes that answer with something other than an HTML page.
NOT_PAGES = {
    "static",
    "main.healthz",
    "main.hello",
    "feedback.export",
    "sessions.ics",
    "calendar.feed",
    "feedback.program_csv",
    "auth_shortcuts.shortcut",  # /login, /register, /logout: redirects to the /auth/ pages
    "notifications.open_notification",  # marks it read, then redirects to the thing
}


@dataclass(frozen=True)
class Visit:
    path: str
    action: str | None = None  # "errors": submit the form emptied; "preview": preview a lesson
    status: int = 200


PLAN: dict[str, list[Visit]] = {
    "anonymous": [
        Visit("/"),
        Visit("/auth/login"),
        Visit("/auth/login", "errors", 422),
        Visit("/auth/register"),
        Visit("/auth/register", "errors", 422),
        Visit("/surveys/r/{token}"),
        Visit("/surveys/r/{token}", "errors", 422),
        Visit("/surveys/r/not-a-real-link", status=404),
        Visit("/notifications/unsubscribe/{unsubscribe}"),  # from an email, signed out
        Visit("/auth/forgot"),
        Visit("/auth/forgot", "errors", 422),
        Visit("/auth/reset/{reset}"),
        Visit("/auth/reset/{reset}", "errors", 422),
        Visit("/auth/reset/not-a-real-link", status=410),
        Visit("/resources/"),  # the handbooks are public
        Visit("/resources/mentor"),
        Visit("/resources/mentee"),
        Visit("/resources/not-a-handbook", status=404),
    ],
    MENTEE: [
        Visit("/"),
        Visit("/lessons/mine"),
        Visit("/lessons/"),
        Visit("/lessons/?q=alt&topic=accessibility"),
        Visit("/lessons/?q=nothing-matches-this"),
        Visit("/lessons/{lesson}"),
        Visit("/tasks/{task}"),
        Visit("/topics/"),
        Visit("/topics/{topic}"),
        Visit("/people/{mentor}"),
        Visit("/profile/edit"),
        Visit("/profile/edit", "errors", 422),
        Visit("/profile/password"),
        Visit("/profile/password", "errors", 422),
        Visit("/lessons/new"),
        Visit("/lessons/new", "errors", 422),
        Visit("/lessons/new", "preview"),
        Visit("/auth/logout"),
        Visit("/lessons/999999", status=404),
        Visit("/topics/new", status=403),
        Visit("/mentorships/"),
        Visit("/people/{stranger}"),
        Visit("/people/{stranger}", "errors", 422),
        Visit("/progress/"),
        Visit("/progress/", "errors", 422),
        Visit("/submissions/{submission}"),
        Visit("/progress/{stranger}", status=404),
        Visit("/sessions/"),
        Visit("/sessions/{session}"),
        Visit("/programs/"),
        Visit("/programs/{program}"),
        Visit("/mentorships/{mentorship}/end"),  # confirmation pages ask before they act
        Visit("/mentorships/{mentorship}"),
        Visit("/notifications"),
        Visit("/notifications/preferences"),
        Visit("/resources/mentee"),
    ],
    MENTOR: [
        Visit("/"),
        Visit("/lessons/mine"),
        Visit("/lessons/{lesson}"),
        Visit("/lessons/{draft}"),
        Visit("/lessons/{lesson}/edit"),
        Visit("/lessons/{lesson}/edit", "errors", 422),
        Visit("/lessons/{lesson}/revisions"),
        Visit("/lessons/{lesson}/tasks/new"),
        Visit("/lessons/{lesson}/tasks/new", "errors", 422),
        Visit("/tasks/{task}/edit"),
        Visit("/tasks/{task}"),
        Visit("/people/{mentor}"),
        Visit("/submissions/{submission}"),
        Visit("/submissions/{submission}", "errors", 422),
        Visit("/progress/{mentee}"),
        Visit("/people/{mentee}/observe"),
        Visit("/people/{mentee}/observe", "errors", 422),
        Visit("/sessions/"),
        Visit("/sessions/new"),
        Visit("/sessions/new", "errors", 422),
        Visit("/sessions/{session}"),
        Visit("/sessions/calendar-link"),
        Visit("/programs/{program}"),
        Visit("/tasks/{task}/delete"),
        Visit("/sessions/{session}/remove/{participant}"),
        Visit("/sessions/{session}/cancel"),
    ],
    COORDINATOR: [
        Visit("/"),
        Visit("/topics/"),
        Visit("/topics/new"),
        Visit("/topics/new", "errors", 422),
        Visit("/topics/{topic}/edit"),
        Visit("/lessons/{lesson}/edit"),
        Visit("/topics/{topic}/rubric"),
        Visit("/topics/{topic}/rubric", "errors", 422),
        Visit("/progress/{mentee}"),
        Visit("/programs/"),
        Visit("/programs/new"),
        Visit("/programs/new", "errors", 422),
        Visit("/programs/{program}"),
        Visit("/programs/{program}", "errors", 422),
        Visit("/programs/{program}/edit"),
        Visit("/programs/{program}/matching"),
        Visit("/programs/{program}/checkins/{match}"),
        Visit("/programs/{program}/checkins/{match}", "errors", 422),
        Visit("/programs/{program}/surveys"),
        Visit("/programs/{program}/surveys", "errors", 422),
        Visit("/programs/{program}/surveys/{survey}"),
        Visit("/programs/{program}/report"),
        Visit("/people/{mentor}"),
        Visit("/programs/{program}/close"),
        Visit("/programs/{draft_program}/matching"),
        Visit("/programs/{draft_program}/matching/rerun"),
        Visit("/programs/{draft_program}/matching/{draft_match}/remove"),
        Visit("/programs/?state=closed"),
        Visit("/programs/{program}/next"),
        Visit("/programs/{program}/next", "errors", 422),
        Visit("/programs/{program}/lessons"),
        Visit("/programs/overview"),
        Visit("/programs/overview?focus=technology"),  # nothing matches
    ],
}


def fill(path: str, ids: dict[str, object]) -> str:
    return path.format(**ids)
