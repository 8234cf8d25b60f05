"""Forms for topics, lessons and practice tasks."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from lessons import markdown
from portal.widgets import one_line

# The lesson body's limit: a micro-lesson is a few minutes' reading (a 30,000-character text is
# about 5,000 words), and the longest text the Markdown corpus proves fast (lessons/markdown.py).
LESSON_BODY_LIMIT = 30_000


def renders(_form, field) -> None:
    """The validator of every Markdown field: the text must render within the work budget.

    Rendering here costs nothing extra: `markdown.render` keeps the result, and the service
    that saves the text gets it from there.
    """
    limit = field.flags.maxlength
    if limit and len(field.data or "") > limit:
        return  # the length check has said so already; a text over it is never parsed
    try:
        markdown.render(field.data or "")
    except markdown.MarkupTooDense as exc:
        raise ValidationError(str(exc)) from None


class TopicChoiceField(SelectField):
    """A select of topics with a message a person understands."""

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError("Choose a topic from the list.")


class LessonForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[one_line, DataRequired("Give the lesson a title."), Length(max=200)],
    )
    topic_id = TopicChoiceField(
        "Topic",
        coerce=int,
        validate_choice=True,
        validators=[InputRequired("Choose a topic from the list.")],
    )
    summary = TextAreaField(
        "Summary",
        description="One or two sentences: what a mentee will be able to do afterwards.",
        validators=[DataRequired("Write a short summary."), Length(max=500)],
        render_kw={"rows": 2},
    )
    body = TextAreaField(
        "Lesson (Markdown)",
        description="Use ## for sections, - for lists, | for tables, ``` for code, "
        "and ![description](address) for images.",
        validators=[
            DataRequired("Write the lesson itself."),
            Length(
                max=LESSON_BODY_LIMIT,
                message=f"Keep the lesson under {LESSON_BODY_LIMIT:,} characters "
                "(about 5,000 words), or split it into a series.",
            ),
            renders,
        ],
        render_kw={"rows": 18},
    )
    minutes = IntegerField(
        "Estimated minutes",
        default=10,
        validators=[
            InputRequired("Estimate how many minutes the lesson takes."),
            NumberRange(1, 240, "Enter between 1 and 240 minutes."),
        ],
    )
    preview = SubmitField("Preview")
    save = SubmitField("Save draft")
    publish = SubmitField("Save and publish")


class TaskForm(FlaskForm):
    prompt = TextAreaField(
        "Task (Markdown)",
        description="What the mentee should do, step by step.",
        validators=[DataRequired("Describe the task."), Length(max=10_000), renders],
        render_kw={"rows": 6},
    )
    done_when = TextAreaField(
        'What "done" looks like',
        description="How the mentee (and you) can tell the task is complete.",
        validators=[Optional(), Length(max=5_000), renders],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Save task")


class TopicForm(FlaskForm):
    name = StringField(
        "Name", validators=[one_line, DataRequired("Give the topic a name."), Length(max=80)]
    )
    slug = StringField(
        "Address",
        description="Lower-case letters, digits and hyphens; used in the topic's web address.",
        validators=[
            one_line,
            DataRequired("Choose an address such as public-speaking."),
            Length(max=60),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message="Use lower-case letters, digits and single hyphens, e.g. public-speaking.",
            ),
        ],
    )
    description = TextAreaField(
        "Description", validators=[Optional(), Length(max=500)], render_kw={"rows": 3}
    )
    submit = SubmitField("Save topic")


class ConfirmForm(FlaskForm):
    """An empty form: a CSRF token behind a button (publish, archive, delete, move)."""


class SubmissionForm(FlaskForm):
    body = TextAreaField(
        "Your answer (Markdown)",
        description="What you did, and what you noticed. Lists, links and tables work.",
        validators=[Optional(), Length(max=20_000), renders],
        render_kw={"rows": 8},
    )
    link = URLField(
        "Link",
        description="Optional: the post, document or page you made (https://…).",
        validators=[
            one_line,
            Optional(),
            Length(max=500),
            URL(require_tld=True, message="Enter a web address starting with https:// or http://."),
        ],
    )
    submit = SubmitField("Submit answer")

    def validate_link(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a web address starting with https:// or http://.")

    def validate_body(self, field):
        if not (field.data or "").strip() and not (self.link.data or "").strip():
            raise ValidationError("Write an answer or give a link (or both).")


class AssignForm(FlaskForm):
    mentee = SelectField("Mentee", coerce=int, validators=[InputRequired("Choose a mentee.")])
    due = DateField("Due date", validators=[Optional()], description="Optional.")
    submit = SubmitField("Assign lesson")
