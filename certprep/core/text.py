"""Plain-text hygiene shared by inputs and documents.

Single-line fields (names, titles, places: everything typed into one text box) follow one rule, `single_line`,
in forms (`SingleLineField`), services (and so the API), spreadsheet imports and engagement files
(`SingleLineText`) alike:

- bidirectional formatting characters are dropped: a right-to-left override typed into a name reverses the
  text shown after it ("invoice\u202efdp.exe" reads "invoiceexe.pdf"), and nobody types them on purpose;
- surrounding white space is dropped;
- any other control character, line breaks and tabs included, is refused with a message naming the field:
  such a name breaks every e-mail header, file name and one-line display it ends up in.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from certprep.core.errors import ServiceError

# C0 control characters except tab, line feed and carriage return: XML 1.0 (Word, Excel, .ics via their
# libraries) cannot hold them, and nobody means to type them; a paste from an office program can carry them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# What has no place on one line: every C0 control (tab, line feed and carriage return included), DEL, the C1
# controls (U+0085 is a line break to Unicode) and the Unicode line and paragraph separators.
LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# Bidirectional formatting: the embeddings and overrides (U+202A-U+202E), the isolates (U+2066-U+2069) and the
# left-to-right, right-to-left and Arabic letter marks.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

SINGLE_LINE_MESSAGE = gettext_lazy(
    "Enter one line of text: line breaks, tabs and other control characters are not allowed."
)


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def without_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def without_controls(text: str) -> str:
    """`text` without any control character (line breaks and tabs included) and without bidirectional
    controls: for names that are cleaned rather than refused, such as the name of an uploaded or a
    downloaded file, which the person chose on their own computer and cannot retype here."""
    return BIDI_CONTROLS.sub("", LINE_CONTROLS.sub("", text))


def single_line(value: Any, *, field: str, label: str, limit: int | None = None) -> str:
    """The text of a single-line field as it is stored: bidirectional controls and surrounding white space
    dropped. Raises ServiceError naming the field (`label`, as the user knows it) when the text holds a line
    break or another control character, or is longer than `limit` characters."""
    text = without_bidi_controls("" if value is None else str(value)).strip()
    if LINE_CONTROLS.search(text):
        raise ServiceError(
            _("%(field)s must be one line of text: line breaks, tabs and other control characters are not allowed.")
            % {"field": label},
            field=field,
        )
    if limit is not None and len(text) > limit:
        raise ServiceError(
            _("%(field)s may hold at most %(n)s characters.") % {"field": label, "n": limit}, field=field
        )
    return text


def _file_single_line(value: Any) -> Any:
    if isinstance(value, str):
        value = without_bidi_controls(value).strip()
        if LINE_CONTROLS.search(value):
            # The message goes in the context: a translation holding braces must not be read as a template.
            raise PydanticCustomError("single_line", "{message}", {"message": str(SINGLE_LINE_MESSAGE)})
    return value


# A single-line field of a file read through pydantic (the engagement export and its sections): the same rule
# as `single_line`, applied before the field's own length limits, so the reader's error names the field's path
# in the file (e.g. survey.people.3.name). Anything but text is left to the `str` check.
SingleLineText = Annotated[str, BeforeValidator(_file_single_line)]


def validate_single_line(value: Any) -> None:
    """The form validator of the single-line rule."""
    if value and LINE_CONTROLS.search(str(value)):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="single_line")


class SingleLineField(forms.CharField):
    """A one-line text box: bidirectional controls are dropped and control characters refused, as
    `single_line` does in the services."""

    default_validators = [validate_single_line]

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, str) and value:
            value = without_bidi_controls(value).strip()
        return value
