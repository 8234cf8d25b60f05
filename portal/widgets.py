"""Form pieces shared by every area."""

from __future__ import annotations

from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import ValidationError
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
