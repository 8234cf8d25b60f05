"""Program forms. The goal form explains each SMART letter beside its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.conversations.forms import WithinLimit, renders
from portal.programs.models import FOCUS_LABELS, SUPPORT_REASONS
from portal.widgets import CheckboxListField, one_line, options


class ProgramForm(FlaskForm):
    name = StringField(
        "Program name", validators=[one_line, DataRequired("Name the program."), Length(max=120)]
    )
    focus = RadioField(
        "Focus",
        choices=options(FOCUS_LABELS.items()),
        validators=[InputRequired("Choose the program's focus.")],
    )
    goal_statement = TextAreaField(
        "S — Specific: the goal in one sentence",
        description="What will change, for whom? E.g. “Senior managers in operations give "
        "feedback their teams find useful.”",
        validators=[DataRequired("Write the goal in one sentence."), Length(max=1000)],
        render_kw={"rows": 2},
    )
    goal_metric = StringField(
        "M — Measurable: the metric",
        description="What number shows progress? E.g. “Team's average on the anonymous "
        "leadership survey (1–5)”.",
        validators=[one_line, Optional(), Length(max=200)],
    )
    goal_baseline = DecimalField(
        "Baseline",
        places=2,
        validators=[Optional()],
        description="The metric's value today, if known.",
    )
    goal_target = DecimalField(
        "Target",
        places=2,
        validators=[Optional()],
        description="The value to reach, or the change in % (see below).",
    )
    target_kind = RadioField(
        "The target is",
        default="absolute",
        choices=options(
            [("absolute", "a value to reach"), ("relative", "a change in % of the baseline")]
        ),
    )
    goal_achievable = TextAreaField(
        "A — Achievable: why it can be done",
        render_kw={"rows": 2},
        description="People, time and support that make it realistic.",
        validators=[Optional(), Length(max=1000)],
    )
    goal_relevant = TextAreaField(
        "R — Relevant: why it matters now",
        render_kw={"rows": 2},
        description="How it serves the organisation's priorities.",
        validators=[Optional(), Length(max=1000)],
    )
    starts_on = DateField(
        "T — Time-bound: starts", validators=[InputRequired("Choose a start date.")]
    )
    ends_on = DateField("Ends", validators=[InputRequired("Choose an end date.")])
    checkin_weeks = IntegerField(
        "Check in every … weeks",
        default=4,
        validators=[
            InputRequired("Enter a number of weeks."),
            NumberRange(1, 26, "Enter 1 to 26 weeks."),
        ],
    )
    weekly_hours_limit = DecimalField(
        "Mentor time limit (hours per week)",
        default=2,
        places=1,
        description="Junior mentors must not drown next to their everyday work.",
        validators=[
            InputRequired("Enter a number of hours."),
            NumberRange(0.5, 40, "Enter 0.5 to 40 hours."),
        ],
    )
    evaluation_coverage = IntegerField(
        "Judge the goal once … % of matched mentees have both surveys",
        default=50,
        description="Until then the evaluation says “Not enough data yet”. A mentee counts "
        "once their baseline and follow-up surveys both have results.",
        validators=[Optional(), NumberRange(1, 100, "Enter 1 to 100 %%.")],
    )
    submit = SubmitField("Save program")


class InviteForm(FlaskForm):
    role = RadioField(
        "Invite as",
        choices=options([("mentor", "Mentors"), ("mentee", "Mentees")]),
        validators=[InputRequired("Choose mentors or mentees.")],
    )
    people = CheckboxListField("People")
    q = SearchField("Find people", validators=[one_line, Optional(), Length(max=200)])
    find = SubmitField("Search")
    emails = TextAreaField(
        "Or paste emails",
        render_kw={"rows": 2},
        validators=[Optional(), Length(max=10_000)],
        description="Of people with an account, separated by commas, spaces or new lines.",
    )
    submit = SubmitField("Send invitations")


class AnswerForm(FlaskForm):
    answer = RadioField(
        "Your answer",
        choices=options([("accept", "I'll take part"), ("decline", "Not this time")]),
        validators=[InputRequired("Choose whether you take part.")],
    )
    note = StringField(
        "A short note for the coordinator", validators=[one_line, Optional(), Length(max=500)]
    )
    capacity = IntegerField(
        "How many mentees can you take?",
        default=1,
        validators=[Optional(), NumberRange(1, 20, "Take between 1 and 20 mentees.")],
    )
    topics = CheckboxListField("Topics")
    submit = SubmitField("Send answer")


class PreferenceForm(FlaskForm):
    rank_1 = SelectField("First choice", coerce=int)
    rank_2 = SelectField("Second choice", coerce=int)
    rank_3 = SelectField("Third choice", coerce=int)
    submit = SubmitField("Save my choices")


class SwapForm(FlaskForm):
    mentor = SelectField("Mentor", coerce=int, validators=[InputRequired()])
    submit = SubmitField("Change mentor")


class CheckInForm(FlaskForm):
    held_on = DateField("Held on", validators=[InputRequired("Choose the date of the check-in.")])
    what_works = TextAreaField(
        "What is working",
        render_kw={"rows": 2},
        validators=[DataRequired("Say what is working."), Length(max=2000)],
    )
    what_does_not = TextAreaField(
        "What is not working",
        render_kw={"rows": 2},
        validators=[DataRequired("Say what is not working."), Length(max=2000)],
    )
    actions = TextAreaField(
        "Agreed actions",
        render_kw={"rows": 2},
        validators=[DataRequired("Write the agreed actions."), Length(max=2000)],
    )
    private_notes = TextAreaField(
        "Private coordinator notes",
        render_kw={"rows": 2},
        description="Only coordinators see these.",
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField("Record check-in")


class WorkLogForm(FlaskForm):
    week = DateField(
        "Week of",
        description="Any day of the week you are logging.",
        validators=[InputRequired("Choose a day in the week.")],
    )
    hours = DecimalField(
        "Hours spent on mentoring",
        places=1,
        validators=[InputRequired("Enter the hours."), NumberRange(0, 80, "Enter 0 to 80 hours.")],
    )
    submit = SubmitField("Log hours")


class SurveyForm(FlaskForm):
    subject = SelectField("About", coerce=int, validators=[InputRequired("Choose the person.")])
    title = StringField(
        "Title", validators=[one_line, DataRequired("Give the survey a title."), Length(max=200)]
    )
    phase = RadioField(
        "Phase",
        choices=options([("baseline", "Baseline (before)"), ("follow-up", "Follow-up (after)")]),
        validators=[InputRequired("Choose baseline or follow-up.")],
    )
    questions = TextAreaField(
        "Questions (one per line, answered 1–5)",
        render_kw={"rows": 6},
        validators=[DataRequired("Write at least one question."), Length(max=4000)],
    )
    submit = SubmitField("Create survey")


class LinksForm(FlaskForm):
    count = IntegerField(
        "How many single-use links?",
        default=5,
        validators=[InputRequired("Enter a number."), NumberRange(1, 200, "Make 1 to 200 links.")],
    )
    submit = SubmitField("Make links")


class EmailLinksForm(FlaskForm):
    addresses = TextAreaField(
        "Respondents' email addresses",
        description="One per line (or separated by commas), up to 200. Each gets a link of its "
        "own; the addresses are forgotten once the emails are sent, and you never see the links.",
        render_kw={"rows": 5, "autocomplete": "off"},
        validators=[DataRequired("Enter at least one email address."), Length(max=20_000)],
    )
    submit = SubmitField("Email the links")

    def validate_addresses(self, field) -> None:
        import re

        from email_validator import EmailNotValidError, validate_email

        found = [part.strip() for part in re.split(r"[\s,;]+", field.data or "") if part.strip()]
        if len(found) > 200:
            raise ValidationError("Send up to 200 links at a time.")
        bad = []
        for address in found:
            try:
                validate_email(address, check_deliverability=False)
            except EmailNotValidError:
                bad.append(address)
        if bad:
            raise ValidationError(
                "These are not email addresses: "
                + ", ".join(bad[:5])
                + ("…" if len(bad) > 5 else "")
            )
        field.addresses = found


class ReflectionForm(FlaskForm):
    reflection = TextAreaField(
        "Closing reflection",
        render_kw={"rows": 4},
        description="What worked, what to refine next time.",
        validators=[Optional(), Length(max=5000)],
    )
    submit = SubmitField("Save reflection")


class NextCohortForm(FlaskForm):
    name = StringField(
        "Name of the next cohort",
        validators=[one_line, DataRequired("Name the next cohort."), Length(max=120)],
    )
    starts_on = DateField("Starts on", validators=[InputRequired("Enter the start date.")])
    ends_on = DateField("Ends on", validators=[InputRequired("Enter the end date.")])
    goal_baseline = DecimalField(
        "Baseline",
        description="What this cohort's goal is measured against.",
        places=2,
        validators=[Optional()],
    )
    invite = RadioField(
        "Whom to invite now",
        validators=[InputRequired("Choose whom to invite.")],
        default="nobody",
    )
    submit = SubmitField("Start the next cohort")


class SupportForm(FlaskForm):
    """A private note to the program's coordinators."""

    reason = RadioField(
        "What it is about",
        choices=options(SUPPORT_REASONS.items()),
        validators=[InputRequired("Choose what you need help with.")],
    )
    body = TextAreaField(
        "Your note to the coordinator",
        description="Say what is happening and what would help. Only you and the program's "
        "coordinator read it; the other person in your mentorship does not.",
        validators=[DataRequired("Write your note first."), WithinLimit(), renders],
        render_kw={"rows": 6},
    )
    submit = SubmitField("Send to the coordinator")


class ResolveForm(FlaskForm):
    submit = SubmitField("Mark as resolved")


class InviteLinkForm(FlaskForm):
    role = RadioField(
        "People who use the link join as",
        choices=options([("mentee", "Mentees"), ("mentor", "Mentors")]),
        validators=[InputRequired("Choose mentors or mentees.")],
    )
    expires_on = DateField(
        "Works until (last day)",
        validators=[InputRequired("Enter the last day the link works.")],
        description="At the end of this day the link stops working.",
    )
    email_domain = StringField(
        "Only for addresses at",
        description="A domain such as example.com. Leave empty to let any address in.",
        validators=[one_line, Optional(), Length(max=253)],
    )
    max_uses = IntegerField(
        "At most this many people",
        validators=[Optional(), NumberRange(1, 10_000, "Enter 1 to 10,000, or leave it empty.")],
    )
    submit = SubmitField("Create the link")


class JoinForm(FlaskForm):
    submit = SubmitField("Join the program")
