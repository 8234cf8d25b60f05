"""Single-line fields refuse line breaks and control characters, at the form."""

import pytest
from wtforms import Form, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from portal.widgets import has_control_characters, one_line


def _form_classes(base=Form):
    for cls in base.__subclasses__():
        yield cls
        yield from _form_classes(cls)


def _single_line_fields(app):
    """Every (form, field name, field) whose input is one line of text, in every area."""
    for cls in set(_form_classes()):
        if not cls.__module__.startswith(("portal.", "lessons.", "feedback.")):
            continue
        for name in dir(cls):
            field = getattr(cls, name)
            if not isinstance(field, UnboundField):
                continue
            kind = field.field_class
            if issubclass(kind, StringField) and not issubclass(
                kind, TextAreaField | PasswordField | HiddenField
            ):
                yield cls, name, field


def test_every_single_line_field_uses_the_shared_validator_first(app):
    fields = list(_single_line_fields(app))
    assert len(fields) > 15  # names, titles, job titles, places, emails, links, rubric rows
    missing = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls, name, field in fields
        if (field.kwargs.get("validators") or [None])[0] is not one_line
    ]
    assert not missing, f"add portal.widgets.one_line as the first validator: {missing}"


@pytest.mark.parametrize("text", ["a\nb", "a\rb", "tab\there", "bell\x07", "\x85", "a\u2028b"])
def test_control_characters_are_found(text):
    assert has_control_characters(text)


def test_ordinary_text_passes():
    assert not has_control_characters("Zoë O'Brien — “Head of Ops” 👩🏽‍💻")


def test_a_name_with_a_line_break_is_refused_beside_the_field(client, login, make_user):
    person = make_user("Ann Person")
    login(person)
    response = client.post(
        "/profile/edit",
        data={"name": "Ann\nEvil", "job_title": "\n", "seniority": "3", "timezone": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("name", "job_title"):
        assert (
            f'id="{field}-error"><strong>Error:</strong> Use one line, without line breaks' in page
        )
    from portal.extensions import db

    db.session.refresh(person)
    assert person.name == "Ann Person" and not person.job_title
