"""Every GET page of the app is in the audit plan (runs without a browser)."""

from tests.browser.plan import NOT_PAGES, PLAN, fill

PLACEHOLDER_IDS = {
    "lesson": 1,
    "draft": 2,
    "task": 1,
    "topic": "leadership",
    "mentor": 1,
    "mentee": 2,
    "stranger": 3,
    "submission": 1,
    "unthanked": 1,
    "session": 1,
    "meeting": 1,
    "next_meeting": 2,
    "program": 1,
    "match": 1,
    "survey": 1,
    "token": "t",
    "mentorship": 1,
    "participant": 2,
    "draft_program": 2,
    "draft_match": 2,
    "unsubscribe": "u",
    "reset": "r",
    "comment": 1,
    "observation": 1,
    "support": 1,
    "sso_link": "l",
    "people_import": 1,
    "invite_link": 1,
    "invite": "i",
    "revoked_invite": "ri",
    "draft_invite": "di",
    "foreign_invite": "fi",
}


def test_every_page_is_audited(app):
    adapter = app.url_map.bind("localhost")
    audited = {
        adapter.match(fill(visit.path, PLACEHOLDER_IDS).split("?")[0], method="GET")[0]
        for visits in PLAN.values()
        for visit in visits
    }
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES
    }
    assert pages - audited == set(), "add these pages to tests/browser/plan.py"
