"""Email: what goes into the outbox, the message built from it, and its delivery.

The standard library's `email` package builds the message (text, an HTML alternative, an
iCalendar attachment, RFC 8058 unsubscribe headers) and `smtplib` sends it. With no
MAIL_SERVER (the `make run` default) each message is written as an .eml file under
`instance/outbox/` instead, so a newcomer can open what would have been sent.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app, g, render_template

from portal.notifications.models import OutboxMessage

if TYPE_CHECKING:
    from portal.accounts.models import User

log = logging.getLogger(__name__)
HEADERS = email.policy.SMTP.clone(max_line_length=998)


def _rendered(address: str, subject: str, template: str, **context) -> OutboxMessage:
    """An email rendered now from `email/<template>.txt` and `.html`, waiting in the outbox.

    The subject is one line (a reason or an agreed action typed on several lines would make
    the header impossible to build). The templates are rendered without the page's context
    processors' work: `g.rendering_email` tells the header's unread count not to run.
    """
    subject = " ".join(subject.split())[:300]
    context = {"subject": subject, **context}
    g.rendering_email = True
    try:
        text_body = render_template(f"email/{template}.txt", **context)
        html_body = render_template(f"email/{template}.html", **context)
    finally:
        g.rendering_email = False
    return OutboxMessage(
        message_id=make_msgid("flipside", domain=urlsplit(_site()).hostname or "localhost"),
        to_address=address,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
    )


def outbox_message(
    user: User,
    subject: str,
    text: str,
    link: str,
    *,
    unsubscribe_url: str | None = None,
    kind_label: str = "",
    calendar: str | None = None,
    calendar_method: str | None = None,
) -> OutboxMessage:
    """A notification's email to `user`, with its unsubscribe link and any calendar file."""
    message = _rendered(
        user.email,
        subject,
        "notification",
        user=user,
        text=text,
        link=link,
        kind_label=kind_label,
        unsubscribe_url=unsubscribe_url,
        preferences_url=_site() + "/notifications/preferences",
        has_calendar=calendar is not None,
    )
    message.calendar, message.calendar_method = calendar, calendar_method
    message.unsubscribe_url = unsubscribe_url
    return message


def account_message(user: User, subject: str, template: str, **context) -> OutboxMessage:
    """An email about the account itself (a password reset, a digest): no unsubscribe, no
    preference. Forgotten once sent: a reset link must not wait in the database."""
    message = _rendered(user.email, subject, template, user=user, **context)
    message.forget_when_sent = True
    return message


def message_to(address: str, subject: str, template: str, **context) -> OutboxMessage:
    """An email to an address that is not an account (a survey link): it is forgotten once
    sent, so nothing keeps who got it."""
    message = _rendered(address, subject, template, **context)
    message.forget_when_sent = True
    return message


def _site() -> str:
    return current_app.config["FLIPSIDE_BASE_URL"].rstrip("/")


def build(message: OutboxMessage, sender: str) -> EmailMessage:
    """The email itself, from its outbox row (the same Message-ID on every try)."""
    # Header lines up to RFC 5322's 998 characters: a long List-Unsubscribe address must stay
    # one plain <…> (a folded or encoded one is not understood by mail clients).
    email = EmailMessage(policy=HEADERS)
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(message.created_at, usegmt=True)
    email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    if message.calendar:
        email.add_attachment(
            message.calendar.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": message.calendar_method or "PUBLISH"},
        )
    return email


def deliver(email: EmailMessage) -> str:
    """Send one email through the configured transport; returns where it went."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return _write_file(email)
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    timeout = config.get("MAIL_TIMEOUT", 10)
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)
    return f"{host}:{port}"


def _write_file(email: EmailMessage) -> str:
    folder = Path(current_app.config["FLIPSIDE_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = email["Message-ID"].strip("<>").replace("@", "_at_").replace("/", "_") + ".eml"
    path = folder / name
    path.write_bytes(email.as_bytes())
    return str(path)
