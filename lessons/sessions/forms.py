"""Forms for group sessions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lessons.forms import renders
from portal.widgets import CheckboxListField, one_line


class SessionForm(FlaskForm):
    lesson = SelectField("Lesson", coerce=int, validators=[InputRequired("Choose a lesson.")])
    title = StringField(
        "Title", validators=[one_line, DataRequired("Give the session a title."), Length(max=200)]
    )
    starts_at = DateTimeLocalField(
        "Starts",
        format="%Y-%m-%dT%H:%M",
        description="In your time zone.",
        validators=[InputRequired("Choose a date and time, e.g. 2026-12-01 14:00.")],
    )
    duration = IntegerField(
        "Duration (minutes)",
        default=60,
        validators=[
            InputRequired("Enter a duration in minutes."),
            NumberRange(1, 600, "Enter between 1 and 600 minutes."),
        ],
    )
    place = StringField(
        "Place or meeting link",
        validators=[one_line, Optional(), Length(max=300)],
        description="A room, or the video-call address.",
    )
    capacity = IntegerField(
        "Capacity",
        default=8,
        validators=[
            InputRequired("Enter how many people can come."),
            NumberRange(1, 500, "Enter between 1 and 500 people."),
        ],
    )
    invitees = CheckboxListField("Invite people")
    q = SearchField("Find people", validators=[one_line, Optional(), Length(max=200)])
    find = SubmitField("Search")
    emails = TextAreaField(
        "Invite by email",
        validators=[Optional(), Length(max=5000)],
        description="Emails of people with an account, separated by commas or new lines.",
        render_kw={"rows": 2},
    )
    all_mentees = BooleanField("Invite everyone I mentor")
    submit = SubmitField("Schedule session")


class RescheduleForm(FlaskForm):
    title = SessionForm.title
    starts_at = SessionForm.starts_at
    duration = SessionForm.duration
    place = SessionForm.place
    capacity = SessionForm.capacity
    submit = SubmitField("Save changes")


class InviteForm(FlaskForm):
    invitees = CheckboxListField("Invite more people")
    q = SessionForm.q
    find = SessionForm.find
    emails = SessionForm.emails
    submit = SubmitField("Send invitations")


class AttendanceForm(FlaskForm):
    attended = CheckboxListField("Who attended?")
    submit = SubmitField("Save attendance")


class NotesForm(FlaskForm):
    notes = TextAreaField(
        "Session notes (Markdown)",
        validators=[Optional(), Length(max=20_000), renders],
        description="Shared with everyone in the session.",
        render_kw={"rows": 6},
    )
    submit = SubmitField("Save notes")
