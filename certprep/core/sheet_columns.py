"""The columns of a spreadsheet import or export: declared once per sheet, written, read and checked one way.

An app declares each sheet's columns as `Column`s (key, header, help text, width, whether an import reads
it, other headers an import accepts). This module then

- writes the header row (bold, editable columns blue and read-only ones grey, the help as a comment, the
  widths) and data rows (every value through core.spreadsheets.neutralize);
- reads a data row by column key (`Sheet.cells`, every cell through core.spreadsheets.cell_text);
- checks a header row in the export's column order (`check_header`) or finds columns in any order
  (`header_lookup`), accepting each header in every language certprep speaks, since a file exported in
  Chinese may be imported by someone working in English, and the aliases the column declares;
- names the cell of a problem the one way every import does: 'Sheet "Ratings", row 7, column H (Target):
  ...', or 'Row 7, column H (Target): ...' for a file without sheets (CSV).

Reading the file itself (limits, CSV or .xlsx) stays in core.spreadsheets.read_rows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from certprep.core.errors import ServiceError
from certprep.core.spreadsheets import cell_text, neutralize
from certprep.core.xlsx import column_letter

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
READ_ONLY_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
READ_ONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
READ_ONLY_FONT = Font(color="595959")
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
WHOLE = re.compile(r"^[0-9]{1,9}$")


@dataclass(frozen=True)
class Column:
    """One column of a sheet. `header` may be a lazy translation (gettext_lazy): it is read in the language
    active when the header is written or checked. `aliases` are further headers an import accepts (an
    older export's header, a common spelling); they are never written."""

    key: str
    header: str | Promise
    help: str | Promise = ""
    width: int = 12
    editable: bool = True
    wrap: bool = False
    aliases: tuple[str, ...] = ()


Columns = Sequence[Column] | Callable[[], Sequence[Column]]


def _declared(columns: Columns) -> Sequence[Column]:
    return columns() if callable(columns) else columns


# Locations ---------------------------------------------------------------------------------------------


def where(row: int, *, sheet: str | None = None, index: int | None = None, header: str = "") -> str:
    """A cell or row as the user finds it: sheet (when the file has sheets), row, column letter and header."""
    if index is None:
        if sheet is None:
            return _("Row %(row)s") % {"row": row}
        return _('Sheet "%(sheet)s", row %(row)s') % {"sheet": sheet, "row": row}
    place = {"sheet": sheet, "row": row, "column": column_letter(index), "header": header}
    if sheet is None:
        return _("Row %(row)s, column %(column)s (%(header)s)") % place
    return _('Sheet "%(sheet)s", row %(row)s, column %(column)s (%(header)s)') % place


def problem_at(place: str, message: str, *, field: str | None = "file") -> ServiceError:
    """The error for a problem found at `place` (from where())."""
    return ServiceError(_("%(where)s: %(problem)s") % {"where": place, "problem": message}, field=field)


def whole_number(text: str) -> int | None:
    """A cell's text as a whole number of up to nine digits, else None (no sign, no decimals)."""
    return int(text) if WHOLE.match(text) else None


class Sheet:
    """The declared columns of one sheet (or of a sheetless CSV file when `name` is None), to read a row by
    column key and to name a cell in an error."""

    def __init__(self, name: str | None, columns: Sequence[Column], *, field: str | None = "file") -> None:
        self.name = name
        self.columns = list(columns)
        self.index = {c.key: i for i, c in enumerate(self.columns)}
        self.field = field

    def where(self, row: int, key: str | None = None) -> str:
        if key is None:
            return where(row, sheet=self.name)
        index = self.index[key]
        return where(row, sheet=self.name, index=index, header=str(self.columns[index].header))

    def fail(self, row: int, key: str | None, message: str) -> ServiceError:
        """The error for a problem in the cell of column `key` on `row` (the whole row when key is None)."""
        return problem_at(self.where(row, key), message, field=self.field)

    def fail_at(self, row: int, index: int, message: str, *, header: str = "") -> ServiceError:
        """The error for a cell of a column not declared (a column the file adds, or one named by its data)."""
        place = where(row, sheet=self.name, index=index, header=header) if header else self._bare(row, index)
        return problem_at(place, message, field=self.field)

    def _bare(self, row: int, index: int) -> str:
        if index < len(self.columns):
            return where(row, sheet=self.name, index=index, header=str(self.columns[index].header))
        place = {"sheet": self.name, "row": row, "column": column_letter(index)}
        if self.name is None:
            return _("Row %(row)s, column %(column)s") % place
        return _('Sheet "%(sheet)s", row %(row)s, column %(column)s') % place

    def cells(self, values: Sequence[Any]) -> dict[str, str]:
        """A row's declared cells as text by column key; missing cells are empty."""
        return {c.key: cell_text(values[i]) if i < len(values) else "" for i, c in enumerate(self.columns)}


# Headers -----------------------------------------------------------------------------------------------


def header_key(text: Any) -> str:
    """How headers are compared: case, spacing and a trailing "*" or ":" (full-width too) do not matter."""
    return " ".join(str(text).split()).casefold().rstrip(" *:：")


def accepted_headers(columns: Columns) -> list[set[str]]:
    """For each column (in order), every header an import accepts for it, compared by header_key(): its
    header in every language of settings.LANGUAGES and its aliases."""
    accepted = [{header_key(c.header), *(header_key(a) for a in c.aliases)} for c in _declared(columns)]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for index, column in enumerate(_declared(columns)):
                accepted[index].add(header_key(column.header))
    return accepted


def header_lookup(columns: Columns) -> dict[str, str]:
    """Every accepted header (compared by header_key()) -> its column's key, for files whose columns may
    come in any order."""
    keys = [c.key for c in _declared(columns)]
    return {header: keys[index] for index, headers in enumerate(accepted_headers(columns)) for header in headers}


def check_header(sheet: Sheet, rows: Sequence[tuple[int, Sequence[Any]]], columns: Columns | None = None) -> None:
    """The first row must hold the sheet's headers in the export's order (in any language certprep speaks,
    or an alias). `columns` rebuilds the columns in each language when their headers are not lazy."""
    if not rows:
        raise ServiceError(_('Sheet "%(sheet)s" is empty.') % {"sheet": sheet.name}, field=sheet.field)
    number, header = rows[0]
    for index, accepted in enumerate(accepted_headers(columns if columns is not None else sheet.columns)):
        found = cell_text(header[index]) if index < len(header) else ""
        if header_key(found) not in accepted:
            raise sheet.fail(
                number,
                sheet.columns[index].key,
                _(
                    'the column header is "%(found)s" where the export has "%(expected)s". Keep the columns of the '
                    "export in their order: do not insert, move or delete columns."
                )
                % {"found": found, "expected": sheet.columns[index].header},
            )


# Writing -----------------------------------------------------------------------------------------------


def row_values(values: Iterable[Any]) -> list[Any]:
    """Values as written into a row: neutralized, empty text as an empty cell."""
    return [neutralize(None if isinstance(value, str) and value == "" else value) for value in values]


def append_row(worksheet: Worksheet, values: Iterable[Any]) -> None:
    worksheet.append(row_values(values))


def write_header(worksheet: Worksheet, columns: Sequence[Column], *, read_only_grey: bool = True) -> None:
    """The header row: bold, blue for columns an import reads and grey for read-only ones, each column's
    help as a comment on its header, the declared widths."""
    append_row(worksheet, (str(c.header) for c in columns))
    for index, column in enumerate(columns):
        cell = worksheet.cell(row=1, column=index + 1)
        cell.font = BOLD
        cell.fill = HEAD_FILL if column.editable or not read_only_grey else READ_ONLY_HEAD_FILL
        cell.alignment = WRAP
        if column.help:
            cell.comment = Comment(str(neutralize(str(column.help))), "certprep", width=300, height=120)
        worksheet.column_dimensions[column_letter(index)].width = column.width
    if any(column.help for column in columns):
        worksheet.row_dimensions[1].height = 32


def style_body(worksheet: Worksheet, columns: Sequence[Column], rows: int, *, grey_read_only: bool = True) -> None:
    """Data rows 2..rows+1: wrapped or top-aligned by column, read-only columns greyed."""
    for index, column in enumerate(columns):
        for (cell,) in worksheet.iter_rows(min_row=2, max_row=rows + 1, min_col=index + 1, max_col=index + 1):
            cell.alignment = WRAP if column.wrap else TOP
            if grey_read_only and not column.editable:
                cell.fill = READ_ONLY_FILL
                cell.font = READ_ONLY_FONT


def set_widths(worksheet: Worksheet, widths: Mapping[str, int] | Sequence[int]) -> None:
    """Column widths by letter ({"A": 24}) or in column order ([24, 34])."""
    items = widths.items() if isinstance(widths, Mapping) else ((column_letter(i), w) for i, w in enumerate(widths))
    for letter, width in items:
        worksheet.column_dimensions[letter].width = width


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
