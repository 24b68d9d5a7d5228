"""A report's tables as an Excel workbook (openpyxl): an "About" sheet first (title, organization, generated),
then one sheet per Table that names a `sheet`, in the report's order.

Sheet names are made valid (the characters Excel forbids dropped, at most 31 characters, unique ignoring case).
The header row is bold and frozen; columns get widths from their text (a CJK character counts double). A
table's `values`, when given, fill the cells: numbers as numbers, dates as dates; its written text otherwise.
Every text cell goes through core.spreadsheets.neutralize (formula injection, control characters) and is cut
to the 32,767 characters a cell holds.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from certprep.core.documents import Cell, Table
from certprep.core.spreadsheets import neutralize
from certprep.reports.render import Content
from certprep.reports.render.common import CJK, clean

SHEET_NAME_LENGTH = 31
CELL_CHARACTERS = 32_767
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
RIGHT = Alignment(horizontal="right")
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 8, 60


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid sheet name close to `wanted` and not in `taken` (lower-cased names; the result is added)."""
    base = _FORBIDDEN.sub("", clean(wanted)).strip().strip("'").strip() or "Sheet"
    if base.lower() == "history":  # reserved by Excel
        base = f"{base} 1"
    name, number = base[:SHEET_NAME_LENGTH].rstrip(), 1
    while name.lower() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)].rstrip().rstrip("'") + suffix
    taken.add(name.lower())
    return name


def _text(value: str) -> str:
    return neutralize(clean(value)[:CELL_CHARACTERS])


def _cell(value: Cell, written: str) -> object:
    if value is None:
        return None
    if isinstance(value, bool):  # a bool is an int to Python; a report has none, but never write TRUE/FALSE
        return _text(str(value))
    if isinstance(value, int | Decimal | datetime.date):
        return value
    return _text(str(value) if value is not None else written)


def _width(value: object) -> float:
    if isinstance(value, datetime.date):
        return 11
    text = str(value) if value is not None else ""
    text = text[:200]
    return len(text) + len(CJK.findall(text))


def _sheet(workbook: Workbook, name: str, table: Table) -> None:
    """The table's sheet, written row by row (a write-only workbook: styles and widths are set before the rows)."""
    sheet = workbook.create_sheet(name)
    width = max([len(table.columns)] + [len(row) for row in table.rows]) or 1
    header = [_text(text) for text in table.columns] + [""] * (width - len(table.columns))
    rows: list[list[object]] = []
    widths = [_width(text) + 2 for text in header]
    for r, row in enumerate(table.rows):
        written = list(row[:width]) + [""] * (width - len(row))
        values: Sequence[Cell] | None = table.values[r] if table.values is not None and r < len(table.values) else None
        cells = [
            _cell(values[n], text) if values is not None and n < len(values) else _text(text)
            for n, text in enumerate(written)
        ]
        rows.append(cells)
        for n, value in enumerate(cells):
            widths[n] = max(widths[n], _width(value) + 1)
    for n, measured in enumerate(widths):
        sheet.column_dimensions[get_column_letter(n + 1)].width = min(max(measured, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    right = {column for column in table.numeric if column < width}
    sheet.append([_styled(sheet, text, font=BOLD, right=n in right) for n, text in enumerate(header)])
    for cells in rows:
        sheet.append(
            [
                _styled(sheet, value, right=n in right)
                if n in right or isinstance(value, datetime.date | datetime.datetime)
                else value
                for n, value in enumerate(cells)
            ]
        )


def _styled(sheet: Any, value: object, *, font: Font | None = None, right: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if right:
        cell.alignment = RIGHT
    if isinstance(value, datetime.date | datetime.datetime):
        cell.number_format = DATE_FORMAT
    return cell


def tables_with_sheets(content: Content) -> list[Table]:
    return [
        block for section in content.sections for block in section.blocks if isinstance(block, Table) and block.sheet
    ]


def to_xlsx(content: Content) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    with translation.override(content.language):
        about = workbook.create_sheet(sheet_name(_("About"), taken))
    about.column_dimensions["A"].width = MAX_WIDTH
    about.append([_styled(about, _text(content.title), font=TITLE)])
    about.append([_text(content.subtitle)])
    about.append([_text(content.generated)])
    for table in tables_with_sheets(content):
        _sheet(workbook, sheet_name(table.sheet, taken), table)
    workbook.properties.title = clean(content.title)[:255]
    workbook.properties.subject = clean(content.subtitle)[:255]
    workbook.properties.language = content.language
    workbook.properties.creator = "certprep"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
