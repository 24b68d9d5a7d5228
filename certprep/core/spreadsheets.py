"""Excel and CSV helpers shared by every import and export (the bounded .xlsx reader is core.xlsx).

Text a user typed can start with "=", "+", "-", "@" or a control character; a spreadsheet program would
run it as a formula (formula or CSV injection). Exports neutralize such text with a leading apostrophe,
which Excel shows as a text marker, and imports remove exactly that apostrophe again, so a round trip
gives back what was typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.request_limits import SPREADSHEET_BYTES
from certprep.core.text import CONTROL_CHARACTERS, without_control_characters
from certprep.core.xlsx import DEFAULT_LIMITS, SheetLimits, column_letter, xlsx_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_SHEET_BYTES = SPREADSHEET_BYTES


def neutralize(value: Any) -> Any:
    """The value to write into a cell: text that a spreadsheet would run as a formula gets a leading "'";
    control characters, which a workbook cannot hold, are dropped."""
    if isinstance(value, str):
        value = without_control_characters(value.replace("\r\n", "\n")) if CONTROL_CHARACTERS.search(value) else value
        if value.startswith(FORMULA_STARTS) or value.startswith("'"):
            return "'" + value
    return value


def restore(value: Any) -> Any:
    """Undo neutralize() on a value read back from a cell."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and len(value) > 1
        and value[1:].startswith(FORMULA_STARTS + ("'",))
    ):
        return value[1:]
    return value


def cell_text(value: Any) -> str:
    """A cell as text, as the person sees it: None is empty, 3.0 is "3", neutralized text restored."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(restore(value) if isinstance(value, str) else value).strip()


def read_rows(
    raw: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    max_columns: int | None = None,
    limits: SheetLimits = DEFAULT_LIMITS,
) -> Iterator[tuple[int, list[Any]]]:
    """Rows of an .xlsx or .csv file as (row number as the user sees it, cell values of its first columns).

    Every import reads through here, within `limits` (see core.xlsx): a file breaking one is refused with
    a ServiceError naming it before it can cost more than a few seconds and tens of megabytes. A value
    right of `max_columns` is refused by its cell name. Formulas are read as their text, never evaluated.
    """
    if len(raw) > MAX_SHEET_BYTES:
        raise ServiceError(_("The file is larger than 5 MB."))
    name = filename.lower()
    if name.endswith(".csv"):
        yield from _csv_rows(raw, max_columns=max_columns or limits.max_columns, limits=limits)
    elif name.endswith(".xlsx"):
        yield from xlsx_rows(io.BytesIO(raw), sheet=sheet, max_columns=max_columns, limits=limits)
    else:
        raise ServiceError(_("Upload an Excel workbook (.xlsx) or a CSV file."))


def _csv_rows(raw: bytes, *, max_columns: int, limits: SheetLimits) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceError(_('The CSV file is not UTF-8 text. Save it as "CSV UTF-8" and try again.')) from exc
    reader = csv.reader(io.StringIO(text))
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            if number > limits.max_rows:
                raise ServiceError(_("The sheet has more than %(max)s rows.") % {"max": limits.max_rows})
            for index, value in enumerate(row):
                if len(value) > limits.max_cell_chars:
                    raise ServiceError(
                        _("Cell %(cell)s holds more than %(max)s characters, more than one cell can hold.")
                        % {"cell": f"{column_letter(index)}{number}", "max": limits.max_cell_chars}
                    )
                if index >= max_columns and value.strip():
                    raise ServiceError(
                        _(
                            "Cell %(cell)s holds a value, but this import reads only the first %(max)s columns "
                            "(A to %(last)s)."
                        )
                        % {
                            "cell": f"{column_letter(index)}{number}",
                            "max": max_columns,
                            "last": column_letter(max_columns - 1),
                        }
                    )
            yield number, list(row[:max_columns])
    except csv.Error as exc:
        raise ServiceError(
            _("Row %(row)s of the CSV file cannot be read: %(problem)s.") % {"row": number + 1, "problem": exc}
        ) from exc
