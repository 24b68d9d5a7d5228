"""The single-line rule (core.text): what forms, services and imports do with names and titles."""

from __future__ import annotations

import pytest
from django import forms
from pydantic import BaseModel, Field, ValidationError

from certprep.core.errors import ServiceError
from certprep.core.text import SingleLineField, SingleLineText, single_line

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


@pytest.mark.parametrize(
    "text",
    ["Spring\r\nsurvey", "Spring\nsurvey", "Spring\rsurvey", "Spring\tsurvey", "Spring\x0bsurvey",
     "Spring\x00survey", "Spring\x7fsurvey", "Spring\x85survey", "Spring\u2028survey", "Spring\u2029survey"],
)  # fmt: skip
def test_a_line_break_or_control_character_is_refused_naming_the_field(text):
    with pytest.raises(ServiceError) as caught:
        single_line(text, field="name", label="The campaign name")
    assert caught.value.field == "name"
    assert caught.value.message.startswith("The campaign name must be one line of text")


def test_bidirectional_controls_and_surrounding_space_are_dropped():
    assert single_line(f"  Ann{BIDI} Lee\u202e  ", field="name", label="The name") == "Ann Lee"
    assert single_line("gpj.exe\u202eevil", field="name", label="The name") == "gpj.exeevil"


def test_a_single_line_keeps_ordinary_text_and_checks_the_limit():
    assert single_line("李娜 (Service desk) – «ops»", field="name", label="The name") == "李娜 (Service desk) – «ops»"
    assert single_line(None, field="name", label="The name") == ""
    with pytest.raises(ServiceError, match="The name may hold at most 5 characters."):
        single_line("abcdef", field="name", label="The name", limit=5)


class NameForm(forms.Form):
    name = SingleLineField(max_length=50)


@pytest.mark.parametrize("text", ["Ann\r\nLee", "Ann\nBcc: x@example.com", "Ann\tLee"])
def test_the_form_field_refuses_line_breaks_and_control_characters(text):
    form = NameForm({"name": text})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "Enter one line of text: line breaks, tabs and other control characters are not allowed."
    ]


def test_the_form_field_drops_bidirectional_controls():
    form = NameForm({"name": f"  \u202eAnn Lee{BIDI} "})
    assert form.is_valid()
    assert form.cleaned_data["name"] == "Ann Lee"
    only_controls = NameForm({"name": "\u202e\u202c"})
    assert not only_controls.is_valid()
    assert "required" in only_controls.errors["name"][0]


class Part(BaseModel):
    name: SingleLineText = Field(min_length=1, max_length=7)
    people: list[SingleLineText] = Field(default_factory=list)


def test_a_field_of_a_file_follows_the_same_rule_and_is_named_by_its_path():
    assert Part.model_validate({"name": f" \u202eAnn{BIDI} Lee ", "people": [" Li\u2066 Na "]}).model_dump() == {
        "name": "Ann Lee",
        "people": ["Li Na"],
    }
    for bad in ({"name": "Ann\r\nLee"}, {"name": "Ann", "people": ["Li", "Bo\u2028Chen"]}):
        with pytest.raises(ValidationError) as caught:
            Part.model_validate(bad)
        (error,) = caught.value.errors()
        assert error["msg"] == "Enter one line of text: line breaks, tabs and other control characters are not allowed."
        assert error["loc"] in (("name",), ("people", 1))
    with pytest.raises(ValidationError, match="at least 1 character"):
        Part.model_validate({"name": " \u202e "})  # nothing left once the controls and spaces are dropped
