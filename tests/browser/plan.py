"""What the accessibility audit visits: every page, per role, and forms showing errors.

A route missing here fails `test_every_page_is_audited`, so each new page is audited as it
is born. Paths use names ({lesson}, {task}…) filled from the demo data.
"""

from __future__ import annotations

from dataclasses import dataclass

MENTEE = "margaret@flipside.example"  # mentored by MENTOR, with feedback on her work
MENTOR = "leo@flipside.example"
COORDINATOR = "sam@flipside.example"
HELEN = "helen@flipside.example"  # mentored by Priya; asked the coordinator for support

# GET routes that answer with something other than an HTML page.
NOT_PAGES = {
    "static",
    "main.healthz",
    "main.hello",
    "feedback.export",
    "sessions.ics",
    "meetings.ics",
    "calendar.feed",
    "feedback.program_csv",
    "auth_shortcuts.shortcut",  # /login, /register, /logout: redirects to the /auth/ pages
    "notifications.open_notification",  # marks it read, then redirects to the thing
    "privacy.download",  # the person's data, a zip
}


@dataclass(frozen=True)
class Visit:
    path: str
    # "errors": submit the form emptied; "preview": preview a lesson; "coach": check feedback
    # with the feedback coach; "too-long": submit a commitment over its limit
    action: str | None = None
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
        # Single sign-on (configured on the audit's server): what the provider's answers lead to
        Visit("/auth/sso/callback?error=access_denied", status=400),
        Visit("/auth/sso/callback?code=x&state=forged", status=400),
        Visit("/auth/sso/link/{sso_link}"),  # an account with this email exists: its password
        Visit("/auth/sso/link/{sso_link}", "errors", 422),
        Visit("/auth/sso/link/not-a-real-link", status=410),
        Visit("/programs/join/{invite}"),  # an invite link, opened signed out
        Visit("/programs/join/{revoked_invite}", status=410),
        Visit("/programs/join/not-a-real-link", status=404),
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
        Visit("/people?q=operations&teaches=leadership"),
        Visit("/people?q=nobody-matches-this"),
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
        Visit("/mentorships/{mentorship}", "errors", 422),  # the conversation's message
        Visit("/mentorships/{mentorship}/support"),
        Visit("/mentorships/{mentorship}/support", "errors", 422),
        Visit("/comments/{comment}/edit"),  # her message of a moment ago (demo_ids)
        Visit("/comments/{comment}/edit", "errors", 422),
        Visit("/comments/{comment}/delete"),
        Visit("/mentorships/{mentorship}/meetings/new"),
        Visit("/mentorships/{mentorship}/meetings/new?agenda=difficult"),
        Visit("/mentorships/{mentorship}/meetings/new", "errors", 422),
        Visit("/meetings/{meeting}"),  # held: notes, action items, private notes
        Visit("/meetings/{meeting}", "errors", 422),  # the action item form, emptied
        Visit("/meetings/{next_meeting}"),
        Visit("/meetings/{next_meeting}/edit"),
        Visit("/meetings/{next_meeting}/edit", "errors", 422),
        Visit("/meetings/{next_meeting}/cancel"),
        Visit("/notifications"),
        Visit("/notifications/preferences"),
        Visit("/feedback/{unthanked}/acknowledge"),
        Visit("/feedback/{unthanked}/acknowledge", "too-long", 422),
    ],
    HELEN: [
        Visit("/observations/{observation}"),
        Visit("/observations/{observation}", "errors", 422),
        Visit("/support/{support}"),
        Visit("/support/{support}", "errors", 422),
        Visit("/profile/delete"),  # asks first, with the password
        Visit("/profile/delete", "errors", 422),
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
        Visit("/submissions/{submission}", "coach"),
        Visit("/progress/{mentee}"),
        Visit("/people/{mentee}/observe"),
        Visit("/people/{mentee}/observe", "errors", 422),
        Visit("/people/{mentee}/observe", "coach"),
        Visit("/sessions/"),
        Visit("/sessions/new"),
        Visit("/sessions/new", "errors", 422),
        Visit("/sessions/{session}"),
        Visit("/sessions/calendar-link"),
        Visit("/programs/{program}"),
        Visit("/tasks/{task}/delete"),
        Visit("/sessions/{session}/remove/{participant}"),
        Visit("/sessions/{session}/cancel"),
        Visit("/meetings/{meeting}"),
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
        Visit("/meetings/{meeting}", status=404),  # the pair's own, never a coordinator's
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
        Visit("/support/{support}"),
        Visit("/support/{support}", "errors", 422),
        Visit("/observations/{observation}", status=404),  # coordinators read no thread
        Visit("/people"),
        Visit("/people/import"),
        Visit("/people/import", "errors", 422),  # no file chosen
        Visit("/people/import/{people_import}"),  # the preview of the demo upload
        Visit("/people/{stranger}/deactivate"),
        Visit("/programs/{program}/links"),
        Visit("/programs/{program}/links", "errors", 422),
        Visit("/programs/{program}/links/{invite_link}/revoke"),
        Visit("/programs/join/{draft_invite}"),  # signed in, not in that program yet
        Visit("/programs/join/{foreign_invite}", status=403),  # for another domain
    ],
}


def fill(path: str, ids: dict[str, object]) -> str:
    return path.format(**ids)
