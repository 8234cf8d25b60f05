"""Survey links by email: one single-use link per pasted address, never shown to the
coordinator, and no trace in the database of which address got which link, or of the
addresses at all, once the emails are sent."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications import worker
from portal.notifications.models import OutboxMessage
from portal.programs import surveys
from portal.programs.models import Survey, SurveyToken
from tests.test_csrf import every_row
from tests.test_program_care import paired  # noqa: F401 (a fixture)

ADDRESSES = ["ana.team@example.org", "ben.team@example.org", "cleo.team@example.org"]


def survey_page(program, survey) -> str:
    return f"/programs/{program.id}/surveys/{survey.id}"


def test_each_address_gets_its_own_link_and_nothing_keeps_who_got_which(
    client,
    paired,  # noqa: F811
    mailbox,
):
    program, _match, p = paired
    worker.deliver_pending()  # the program's own invitations and match
    survey = surveys.create_survey(program, p["margaret"].id, "Team", "baseline", ["A?", "B?"])
    pasted = "\n".join(ADDRESSES) + ", ANA.team@example.org"  # a repeat, in other letters
    response = client.post(
        survey_page(program, survey), data={"email-addresses": pasted, "email-submit": "1"}
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "3 links are on the way, one per address. The addresses are not kept." in page
    assert "/surveys/r/" not in page  # the coordinator never sees a link
    assert "<strong>3</strong> links issued (3 sent by email)" in page
    assert worker.deliver_pending() == (3, 0)
    links = {}
    for address in ADDRESSES:
        (message,) = mailbox.to(address)
        text = message.get_body(("plain",)).get_content()
        links[address] = re.search(r"Answer it here: \S+(/surveys/r/\S+)", text)[1]
    assert len(set(links.values())) == 3
    for link in links.values():
        assert client.get(link).status_code == 200
    dump = repr(every_row())
    assert not any(address in dump for address in ADDRESSES)
    assert not any(link.rsplit("/", 1)[1] in dump for link in links.values())
    assert db.session.get(Survey, survey.id).links_emailed == 3


def test_a_wrong_address_sends_nothing_and_says_which(client, paired):  # noqa: F811
    program, _match, p = paired
    survey = surveys.create_survey(program, p["margaret"].id, "Team", "baseline", ["A?"])
    response = client.post(
        survey_page(program, survey),
        data={"email-addresses": "ana.team@example.org\nnot-an-address", "email-submit": "1"},
    )
    assert response.status_code == 422
    assert "These are not email addresses: not-an-address" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyToken)) == 0
    assert not db.session.scalar(select(func.count()).where(OutboxMessage.forget_when_sent))


def test_only_the_coordinator_sends_links(client, login, paired):  # noqa: F811
    program, _match, p = paired
    survey = surveys.create_survey(program, p["margaret"].id, "Team", "baseline", ["A?"])
    login(p["leo"])
    response = client.post(
        survey_page(program, survey),
        data={"email-addresses": "ana.team@example.org", "email-submit": "1"},
    )
    assert response.status_code in (403, 404)
    assert not db.session.scalar(select(func.count()).where(OutboxMessage.forget_when_sent))
