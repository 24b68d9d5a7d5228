"""Answer values: read from the answering form, checked against the question, judged answered or not.

Plain functions over plain data. A question's inputs are named after it ("q12", "q12-r0-source" for
table cells), so the autosave of one question and the whole form read the same way.

Stored values by question kind: text kinds a string; single choice and yes/no the option value;
multiple choice and related processes a list of values; scale an integer 0-5; number an int or float;
date "YYYY-MM-DD"; table a list of rows {column key: text}; attachment nothing (the files are the answer).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.text import without_control_characters
from certprep.core.wording import join_entries, join_names
from certprep.survey.choices import QuestionKind

MAX_TEXT = 20_000
MAX_SHORT_TEXT = 500
MAX_TABLE_ROWS = 100
MAX_CELL = 1_000
YES_NO = ("yes", "no")
_CELL = re.compile(r"^q(\d+)-r(\d+)-([\w-]+)$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+$")  # 1,250 or 12,000,000


class FormData(Protocol):
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class QuestionSpec:
    """What the rules need to know about a question."""

    id: int
    kind: str
    options: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()


def spec_of(question: Any, process_codes: Iterable[str] = ()) -> QuestionSpec:
    """The spec of a Question row; related-process questions accept the lens's process codes."""
    if question.kind == QuestionKind.PROCESS_REF:
        options = tuple(process_codes)
    else:
        options = tuple(str(o["value"]) for o in question.options or [])
    return QuestionSpec(
        id=question.pk,
        kind=question.kind,
        options=options,
        columns=tuple(str(c["key"]) for c in question.columns or []),
    )


def _no_nul(text: str) -> str:
    """Drop control characters (NUL, vertical tab, ... as a paste from an office program may carry):
    neither the databases nor the Word and Excel exports can hold them."""
    return without_control_characters(text)


def value_from_form(spec: QuestionSpec, data: FormData) -> Any:
    """The raw value of one question as the form sent it (not yet checked)."""
    name = f"q{spec.id}"
    if spec.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.PROCESS_REF):
        return [v for v in data.getlist(name) if v != ""]
    if spec.kind == QuestionKind.TABLE:
        rows: dict[int, dict[str, str]] = {}
        keys = data.keys() if isinstance(data, Mapping) else []
        for key in keys:
            match = _CELL.match(key)
            if match and int(match.group(1)) == spec.id:
                values = data.getlist(key)
                rows.setdefault(int(match.group(2)), {})[match.group(3)] = values[-1] if values else ""
        return [rows[n] for n in sorted(rows)]
    if spec.kind == QuestionKind.ATTACHMENT:
        return None
    values = data.getlist(name)
    return values[-1] if values else ""


def clean_value(spec: QuestionSpec, raw: Any) -> Any:
    """The value to store, or ServiceError with a message for the respondent. Empty answers become None."""
    kind = spec.kind
    if raw is None or raw == "" or raw == []:
        return None
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        if not isinstance(raw, str):
            raise ServiceError(_("Expected text."))
        text = _no_nul(raw).replace("\r\n", "\n")  # controls first: "\r\x00\n" is one line break
        limit = MAX_SHORT_TEXT if kind == QuestionKind.SHORT_TEXT else MAX_TEXT
        if len(text) > limit:
            raise ServiceError(_("The answer is longer than %(limit)s characters.") % {"limit": limit})
        return text if text.strip() else None
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
        allowed = YES_NO if kind == QuestionKind.YES_NO else spec.options
        if raw not in allowed:
            raise ServiceError(_("Choose one of the offered answers."))
        return raw
    if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.PROCESS_REF):
        if not isinstance(raw, list) or any(v not in spec.options for v in raw):
            raise ServiceError(_("Choose among the offered answers."))
        return [v for v in spec.options if v in raw]  # the offered order, no duplicates
    if kind == QuestionKind.SCALE:
        try:
            level = int(str(raw))
        except ValueError as exc:
            raise ServiceError(_("Choose a level from 0 to 5.")) from exc
        if not 0 <= level <= 5:
            raise ServiceError(_("Choose a level from 0 to 5."))
        return level
    if kind == QuestionKind.NUMBER:
        text = str(raw).strip().replace(" ", "")
        if "," in text and "." in text and text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")  # "1.250,5": points group thousands, the comma is decimal
        if "," in text and "." not in text and not _THOUSANDS.match(text):
            text = text.replace(",", ".", 1)  # "3,5": a decimal comma, as written in much of the world
        text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError as exc:
            raise ServiceError(_("Enter a number, e.g. 120 or 3.5.")) from exc
        if number != number or abs(number) > 1e12:  # NaN or absurd
            raise ServiceError(_("Enter a number, e.g. 120 or 3.5."))
        return int(number) if number.is_integer() else number
    if kind == QuestionKind.DATE:
        try:
            return datetime.date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError as exc:
            raise ServiceError(_("Enter a date as YYYY-MM-DD.")) from exc
    if kind == QuestionKind.TABLE:
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise ServiceError(_("The table could not be read."))
        rows = []
        for row in raw:
            cleaned = {c: _no_nul(str(row.get(c) or "")).strip() for c in spec.columns}
            if any(len(v) > MAX_CELL for v in cleaned.values()):
                raise ServiceError(_("A table cell is longer than %(limit)s characters.") % {"limit": MAX_CELL})
            if any(cleaned.values()):
                rows.append(cleaned)
        if len(rows) > MAX_TABLE_ROWS:
            raise ServiceError(_("A table can have at most %(limit)s rows.") % {"limit": MAX_TABLE_ROWS})
        return rows or None
    if kind == QuestionKind.ATTACHMENT:
        return None
    raise ServiceError(_("Unknown question type."))


def is_answered(kind: str, value: Any, attachment_count: int = 0) -> bool:
    if kind == QuestionKind.ATTACHMENT:
        return attachment_count > 0
    return value not in (None, "", [])


def display_value(kind: str, value: Any, *, labels: Mapping[str, str] | None = None) -> str:
    """An answer as one line of text for summaries, guides and exports."""
    if value in (None, "", []):
        return ""
    labels = labels or {}
    if isinstance(value, list) and kind == QuestionKind.TABLE:
        return join_entries(" | ".join(v for v in row.values() if v) for row in value)
    if isinstance(value, list):
        return join_names(labels.get(v, v) for v in value)
    if kind == QuestionKind.YES_NO:
        return _("Yes") if value == "yes" else _("No")
    return labels.get(str(value), str(value))
