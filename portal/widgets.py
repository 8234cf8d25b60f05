"""Form pieces shared by every area."""

from __future__ import annotations

import unicodedata

from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxListField(SelectMultipleField):
    """A set of checkboxes rendered as a list; values are ints."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        unknown = [v for v in (self.data or []) if v not in known]
        if unknown:
            raise ValidationError("Choose topics from the list.")


def has_control_characters(text: str) -> bool:
    """Tabs, line breaks and other control characters (C0, DEL, C1, U+2028/2029)."""
    return any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text)


def one_line(_form, field) -> None:
    """The validator of every single-line text field; put it first, so that `Optional()`
    cannot wave a lone line break through. A name or title ends up in CSV file names,
    calendar files and e-mail headers, where a line break or a tab does harm."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise StopValidation("Use one line, without line breaks, tabs or control characters.")
