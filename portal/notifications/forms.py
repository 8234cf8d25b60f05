"""Forms for notifications: mark all as read, and the preferences per kind of event."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from portal.notifications.services import CHANNELS, KINDS
from portal.widgets import options


class MarkAllReadForm(FlaskForm):
    submit = SubmitField("Mark all as read")


class UnsubscribeForm(FlaskForm):
    submit = SubmitField("Stop these emails")


def preferences_form(current: dict[str, str], formdata=None) -> FlaskForm:
    """One radio group per kind of event, each set to the person's current choice."""

    class PreferencesForm(FlaskForm):
        submit = SubmitField("Save preferences")

    for kind, label in KINDS.items():
        field = RadioField(
            label,
            choices=options(CHANNELS.items()),
            default=current.get(kind),
            validators=[InputRequired("Choose how to hear about this.")],
        )
        setattr(PreferencesForm, kind, field)
    form = PreferencesForm(formdata=formdata) if formdata is not None else PreferencesForm()
    return form
