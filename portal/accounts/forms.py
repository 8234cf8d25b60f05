"""Account forms."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.viewkit import ConfirmationForm
from portal.widgets import CheckboxListField, one_line, options

PASSWORD_MIN, PASSWORD_MAX = 8, 128


def _timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    pairs = [("", "Portal default"), ("UTC", "UTC")] + [(z, z.replace("_", " ")) for z in zones]
    return options(pairs)


class LoginForm(FlaskForm):
    # A text field, as the "username" autofill token asks (HTML's control group for it), with
    # the email keyboard on phones: browsers offer the saved sign-in for it.
    email = StringField(
        "Email",
        validators=[one_line, DataRequired("Enter your email address.")],
        render_kw={
            "autocomplete": "username",
            "inputmode": "email",
            "spellcheck": "false",
            "autocapitalize": "none",
        },
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device")
    submit = SubmitField("Sign in")


class SingleSignOnForm(FlaskForm):
    """The single sign-on button: a POST with the CSRF token, so no other site can start it."""


class LinkAccountForm(FlaskForm):
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your Flipside password.")],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Link and sign in")


def email_field() -> EmailField:
    """An address someone types to be reached at: checked as an email, one line."""
    return EmailField(
        "Email",
        validators=[
            one_line,
            DataRequired("Enter your email address."),
            Email("Enter an email address like name@example.org."),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


class RegisterForm(FlaskForm):
    name = StringField(
        "Full name",
        validators=[one_line, DataRequired("Enter your name."), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    job_title = StringField(
        "Job title",
        validators=[one_line, Optional(), Length(max=120)],
        render_kw={"autocomplete": "organization-title"},
    )
    seniority = IntegerField(
        "Seniority level",
        default=1,
        description="Your job grade, 1 (entry level) to 10 (executive). "
        "It tells a reverse pairing (mentor less senior) from a peer one.",
        validators=[
            InputRequired("Enter a level from 1 to 10."),
            NumberRange(1, 10, "Enter a level from 1 to 10."),
        ],
    )
    password = PasswordField(
        "Password",
        description=f"At least {PASSWORD_MIN} characters.",
        validators=[
            DataRequired("Choose a password."),
            Length(PASSWORD_MIN, PASSWORD_MAX, f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[
            DataRequired("Repeat your password."),
            EqualTo("password", "The two passwords are not the same."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Create account")


class ProfileForm(FlaskForm):
    name = StringField(
        "Full name",
        validators=[one_line, DataRequired("Enter your name."), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    job_title = StringField(
        "Job title",
        validators=[one_line, Optional(), Length(max=120)],
        render_kw={"autocomplete": "organization-title"},
    )
    seniority = IntegerField(
        "Seniority level",
        description="1 (entry level) to 10 (executive).",
        validators=[
            InputRequired("Enter a level from 1 to 10."),
            NumberRange(1, 10, "Enter a level from 1 to 10."),
        ],
    )
    bio = TextAreaField(
        "About you",
        description="A few sentences: what you do, what you enjoy teaching or learning.",
        validators=[Optional(), Length(max=1000)],
    )
    timezone = SelectField("Time zone", choices=_timezone_choices, validate_choice=True)
    expertise = CheckboxListField("Topics I can teach")
    interests = CheckboxListField("Topics I want to learn")
    submit = SubmitField("Save profile")


class MentorshipRequestForm(FlaskForm):
    role = RadioField(
        "What would you like?",
        choices=options([("mentee", "Ask them to mentor me"), ("mentor", "Offer to mentor them")]),
        validators=[InputRequired("Choose whether you want to mentor or be mentored.")],
    )
    topics = CheckboxListField("In which topics?")
    message = TextAreaField(
        "Message",
        description="A sentence or two: why them, what you hope to learn or share.",
        validators=[Optional(), Length(max=1000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Send request")

    def validate_topics(self, field):
        if not field.data:
            raise ValidationError("Choose at least one topic.")


def new_password_field() -> PasswordField:
    """The new password and its repeat: the same rules wherever a password is chosen."""
    return PasswordField(
        "New password",
        description=f"At least {PASSWORD_MIN} characters, not a common one, and not made from "
        "your email address.",
        validators=[
            DataRequired("Choose a new password."),
            Length(PASSWORD_MIN, PASSWORD_MAX, f"Use {PASSWORD_MIN} to {PASSWORD_MAX} characters."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def repeat_password_field() -> PasswordField:
    return PasswordField(
        "Repeat new password",
        render_kw={"autocomplete": "new-password"},
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    confirm = repeat_password_field()
    submit = SubmitField("Change password")


class KudosForm(FlaskForm):
    message = TextAreaField(
        "Kudos",
        render_kw={"rows": 2},
        description="What you are thanking them for; it shows on their profile.",
        validators=[DataRequired("Write a short note."), Length(max=500)],
    )
    submit = SubmitField("Send kudos")


class EndMentorshipForm(ConfirmationForm):
    reason = TextAreaField(
        "Why are you ending it?",
        render_kw={"rows": 3},
        description="Optional. The other person sees this on their mentorships page.",
        validators=[Optional(), Length(max=500, message="Keep it under 500 characters.")],
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send me a link")


class ResetPasswordForm(FlaskForm):
    password = new_password_field()
    confirm = repeat_password_field()
    submit = SubmitField("Set new password")


class ImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[FileRequired("Choose a CSV file to upload.")],
        description="Columns: name, email, job title, seniority, topics they teach, topics "
        "they learn (topics by name or slug, separated by semicolons). UTF-8, up to 2 MB or "
        "5,000 people.",
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField("Preview the import")


class ConfirmImportForm(FlaskForm):
    digest = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField("Import these people")


class DeleteAccountForm(ConfirmationForm):
    password = PasswordField(
        "Your password",
        description="To make sure it is you.",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    lessons = RadioField(
        "Your lessons",
        choices=options(
            [
                ("keep", "Keep them in the library, under “Former member”"),
                ("delete", "Delete them (lessons others learn from are withdrawn instead)"),
            ]
        ),
        default="keep",
        validators=[InputRequired("Choose what happens to your lessons.")],
    )
