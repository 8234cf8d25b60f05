"""Feedback forms: the rubric-based feedback form is built per rubric version."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.form import Form
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from feedback.services import MIN_WORDS, TEXT_PARTS, is_substantive
from portal.widgets import one_line, options


class Substantive:
    """Not empty, not a single word: feedback someone can act on."""

    def __init__(self, message: str):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if not is_substantive(field.data):
            raise ValidationError(self.message)


def _text(label: str, name: str, help_text: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=help_text,
        validators=[Substantive(TEXT_PARTS[name]), Length(max=5000)],
        render_kw={"rows": 3},
    )


def _text_parts() -> dict[str, TextAreaField]:
    return {
        "strengths": _text(
            "Strengths: what worked",
            "strengths",
            f"Be specific: what should they keep doing? At least {MIN_WORDS} words.",
        ),
        "improvements": _text(
            "Improvements: what to change",
            "improvements",
            "One or two specific changes, kindly put.",
        ),
        "next_step": _text("Next step", "next_step", "One concrete action for the next attempt."),
    }


class FeedbackForm(FlaskForm):
    strengths, improvements, next_step = _text_parts().values()
    # The feedback coach reads the text; nothing is saved or required (feedback/coach.py).
    check = SubmitField("Check my feedback")
    submit = SubmitField("Send feedback")


def feedback_form(rubric, *, with_outcome: bool, **kwargs) -> FeedbackForm:
    """A feedback form with one 1–4 choice per criterion of this rubric version."""

    class RubricFeedbackForm(FeedbackForm):
        pass

    for criterion in rubric.criteria:
        choices = options(
            (lvl.level, f"{lvl.level} — {lvl.descriptor}") for lvl in criterion.levels
        )
        setattr(
            RubricFeedbackForm,
            f"criterion_{criterion.id}",
            RadioField(
                criterion.name,
                choices=choices,
                coerce=int,
                description=criterion.description,
                validators=[InputRequired(f"Score “{criterion.name}” from 1 to 4.")],
            ),
        )
    # WTForms orders fields by when they were made: the text parts are made again after the
    # criteria, so that errors are listed in the order the page shows the questions.
    for name, text_field in _text_parts().items():
        setattr(RubricFeedbackForm, name, text_field)
    if with_outcome:
        RubricFeedbackForm.outcome = RadioField(
            "Outcome",
            choices=options(
                [
                    ("accept", "Accept — the task is done"),
                    ("revise", "Revise — ask for another attempt"),
                ]
            ),
            validators=[InputRequired("Choose accept or revise.")],
        )
    form = RubricFeedbackForm(**kwargs)
    form.criterion_fields = [form[f"criterion_{c.id}"] for c in rubric.criteria]
    return form


def scores_from(form, rubric) -> dict[int, int]:
    return {c.id: form[f"criterion_{c.id}"].data for c in rubric.criteria}


ONE_TO_FIVE = options((n, str(n)) for n in range(1, 6))


class RatingForm(FlaskForm):
    helpfulness = RadioField(
        "How helpful was it?",
        choices=ONE_TO_FIVE,
        coerce=int,
        description="1 = not at all, 5 = very helpful",
        validators=[InputRequired("Choose from 1 to 5.")],
    )
    clarity = RadioField(
        "How clear was it?",
        choices=ONE_TO_FIVE,
        coerce=int,
        description="1 = confusing, 5 = very clear",
        validators=[InputRequired("Choose from 1 to 5.")],
    )
    comment = TextAreaField(
        "Comment for the author", validators=[Optional(), Length(max=1000)], render_kw={"rows": 2}
    )
    submit = SubmitField("Save rating")


class SelfAssessmentForm(FlaskForm):
    topic = SelectField("Topic", coerce=int, validators=[InputRequired("Choose a topic.")])
    confidence = RadioField(
        "How confident do you feel?",
        choices=ONE_TO_FIVE,
        coerce=int,
        description="1 = just starting, 5 = could teach it",
        validators=[InputRequired("Choose from 1 to 5.")],
    )
    note = StringField("Note to self", validators=[one_line, Optional(), Length(max=500)])
    submit = SubmitField("Record")


class CriterionForm(Form):
    name = StringField("Criterion", validators=[one_line, Optional(), Length(max=80)])
    description = StringField(
        "What it looks at", validators=[one_line, Optional(), Length(max=300)]
    )
    level_1 = StringField("Level 1", validators=[one_line, Optional(), Length(max=300)])
    level_2 = StringField("Level 2", validators=[one_line, Optional(), Length(max=300)])
    level_3 = StringField("Level 3", validators=[one_line, Optional(), Length(max=300)])
    level_4 = StringField("Level 4", validators=[one_line, Optional(), Length(max=300)])

    def validate_name(self, field):
        levels = [self.level_1.data, self.level_2.data, self.level_3.data, self.level_4.data]
        if field.data and not all((text or "").strip() for text in levels):
            raise ValidationError("Describe all four levels of this criterion.")
        if not field.data and any((text or "").strip() for text in levels):
            raise ValidationError("Name this criterion, or clear its levels.")


class RubricForm(FlaskForm):
    criteria = FieldList(FormField(CriterionForm), min_entries=5, max_entries=5)
    submit = SubmitField("Save as a new version")

    def validate_criteria(self, field):
        named = [entry for entry in field.entries if (entry.form.name.data or "").strip()]
        if not 3 <= len(named) <= 5:
            raise ValidationError("A rubric has 3 to 5 criteria.")


class ObservationTopicForm(FlaskForm):
    """Step one of an observation: which topic's rubric to use."""

    topic = SelectField("Topic", coerce=int, validators=[DataRequired()])


class GroupFeedbackForm(FlaskForm):
    went_well = TextAreaField(
        "What the group did well",
        render_kw={"rows": 3},
        validators=[
            Substantive("Say what the group did well (at least a short sentence)."),
            Length(max=5000),
        ],
    )
    work_on = TextAreaField(
        "What to work on next",
        render_kw={"rows": 3},
        validators=[
            Substantive("Say what the group should work on (at least a short sentence)."),
            Length(max=5000),
        ],
    )
    submit = SubmitField("Share with the group")


class AcknowledgeForm(FlaskForm):
    """ "Thanks — I'll try this" on feedback received, with what the person will try."""

    commitment = TextAreaField(
        "What will you try? (a commitment)",
        description="For example: “I will ask one quiet person for their view in each team "
        "meeting.” It appears on your progress page, where you can tick it off.",
        validators=[Optional(), Length(max=300, message="Keep it to 300 characters or fewer.")],
        filters=[lambda text: text.strip() if text else text],
        render_kw={"rows": 2},
    )
    submit = SubmitField("Thanks — I'll try this")


class CommitmentForm(FlaskForm):
    """Tick a commitment off, or take the tick back."""

    done = HiddenField()
