"""Forms for a pair's meetings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.accounts.meetings.services import MAX_DURATION
from portal.widgets import one_line

TEXT_LIMIT = 10_000


class MeetingForm(FlaskForm):
    starts_at = DateTimeLocalField(
        "Starts",
        format="%Y-%m-%dT%H:%M",
        description="In your time zone.",
        validators=[InputRequired("Choose a date and time, e.g. 2026-12-01 14:00.")],
    )
    duration_minutes = IntegerField(
        "Duration (minutes)",
        default=45,
        validators=[
            InputRequired("Enter a duration in minutes."),
            NumberRange(1, MAX_DURATION, f"Enter between 1 and {MAX_DURATION} minutes."),
        ],
    )
    place = StringField(
        "Place or meeting link",
        validators=[one_line, Optional(), Length(max=300)],
        description="A room, or the video-call address (https://…).",
    )
    agenda = TextAreaField(
        "Agenda",
        validators=[Optional(), Length(max=TEXT_LIMIT)],
        description="Plain text; both of you see it and can change it.",
        render_kw={"rows": 8},
    )
    submit = SubmitField("Schedule meeting")


class RescheduleForm(MeetingForm):
    submit = SubmitField("Save changes")


class NotesForm(FlaskForm):
    notes = TextAreaField(
        "Shared notes",
        validators=[Optional(), Length(max=TEXT_LIMIT)],
        description="What you talked about and agreed. Both of you see these notes.",
        render_kw={"rows": 6},
    )
    submit = SubmitField("Save shared notes")


class PrivateNoteForm(FlaskForm):
    body = TextAreaField(
        "Your private notes",
        validators=[Optional(), Length(max=TEXT_LIMIT)],
        description="Only you see these: not the other person, not the program's coordinators.",
        render_kw={"rows": 4},
    )
    submit = SubmitField("Save private notes")


class ActionItemForm(FlaskForm):
    text = StringField(
        "Action",
        validators=[one_line, DataRequired("Say what will be done."), Length(max=300)],
        description="One concrete step, e.g. “Ask one quiet person for their view on Monday”.",
    )
    owner = RadioField("Who does it", coerce=int, validators=[InputRequired("Choose who does it.")])
    due_on = DateField("Due", validators=[InputRequired("Enter a due date, e.g. 2026-12-15.")])
    submit = SubmitField("Add action item")
