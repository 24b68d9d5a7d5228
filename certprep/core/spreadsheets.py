"""Excel and CSV helpers shared by every import and export.

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
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from certprep.core.errors import ServiceError
from certprep.core.text import CONTROL_CHARACTERS, without_control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_SHEET_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


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
    if isinstance(value, str) and value.startswith("'") and len(value) > 1 and value[1:].startswith(FORMULA_STARTS + ("'",)):
        return value[1:]
    return value


def cell_text(value: Any) -> str:
    """A cell as text, as the person sees it: None is empty, 3.0 is "3", neutralized text restored."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(restore(value) if isinstance(value, str) else value).strip()


def read_rows(raw: bytes, filename: str, *, sheet: str | None = None) -> Iterator[tuple[int, list[Any]]]:
    """Rows of an .xlsx or .csv file as (row number as the user sees it, cell values).

    Raises ServiceError for a file that is not a readable spreadsheet. Formulas are read as the text
    of the formula, never evaluated.
    """
    if len(raw) > MAX_SHEET_BYTES:
        raise ServiceError(_("The file is larger than 5 MB."))
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ServiceError(_("The CSV file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again.")) from exc
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > MAX_ROWS:
                raise ServiceError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            yield number, list(row)
        return
    if not name.endswith(".xlsx"):
        raise ServiceError(_("Upload an Excel workbook (.xlsx) or a CSV file."))
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ServiceError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    except Exception as exc:  # zipfile.BadZipFile and XML errors from a damaged file
        raise ServiceError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                raise ServiceError(_("The workbook has no sheet named \"%(sheet)s\".") % {"sheet": sheet})
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise ServiceError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            yield number, list(row)
    finally:
        workbook.close()


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
