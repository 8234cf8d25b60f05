"""The one form of a conversation: a message in Markdown."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from portal.conversations.services import COMMENT_LIMIT, too_long
from portal.conversations.subjects import render


class WithinLimit:
    """The length check, saying how long the text is (and marking the field's limit, which
    the field macro shows as a character count)."""

    field_flags = {"maxlength": COMMENT_LIMIT}

    def __call__(self, _form, field) -> None:
        if len(field.data or "") > COMMENT_LIMIT:
            raise ValidationError(too_long(len(field.data)))


def renders(_form, field) -> None:
    """The text renders within the pipeline's work budget (checked only within the limit)."""
    if len(field.data or "") > COMMENT_LIMIT:
        return
    try:
        render(field.data or "")
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Your message",
        description="Markdown works: **bold**, - lists, [words](address). "
        "Only the people in this conversation see it.",
        validators=[DataRequired("Write your message first."), WithinLimit(), renders],
        render_kw={"rows": 4},
    )
    submit = SubmitField("Send message")


class EditCommentForm(CommentForm):
    submit = SubmitField("Save changes")
