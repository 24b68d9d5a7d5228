"""Column specs shared by the spreadsheet imports: locations named one way, headers accepted in every
language and by alias, rows read by key, header rows written with their help and neutralized text."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from certprep.core.errors import ServiceError
from certprep.core.sheet_columns import (
    Column,
    Sheet,
    append_row,
    check_header,
    header_key,
    header_lookup,
    whole_number,
    workbook_bytes,
    write_header,
)

COLUMNS = (
    Column("name", gettext_lazy("Name"), "The person's name."),
    Column("email", gettext_lazy("E-mail"), aliases=("email address",), editable=False),
    Column("notes", gettext_lazy("Notes"), wrap=True),
)


def test_a_cell_is_named_by_sheet_row_column_and_header() -> None:
    sheet = Sheet("People", COLUMNS)
    error = sheet.fail(7, "email", "not an address.")
    assert error.message == 'Sheet "People", row 7, column B (E-mail): not an address.'
    assert error.field == "file"
    assert sheet.fail(3, None, "empty.").message == 'Sheet "People", row 3: empty.'


def test_a_sheetless_file_names_row_and_column_only() -> None:
    sheet = Sheet(None, COLUMNS, field=None)
    assert sheet.fail(7, "email", "not an address.").message == "Row 7, column B (E-mail): not an address."
    assert sheet.fail_at(2, 5, "no header.").message == "Row 2, column F: no header."
    assert sheet.fail(2, "name", "x").field is None


def test_a_location_is_written_in_chinese_when_chinese_is_active() -> None:
    with translation.override("zh-hans"):
        message = Sheet("People", COLUMNS).fail(7, "notes", "x").message
    assert message.startswith("工作表“People”，第 7 行，第 C 列")


def test_cells_reads_a_row_by_key_with_missing_cells_empty() -> None:
    assert Sheet("People", COLUMNS).cells(["  Ann ", 3.0]) == {"name": "Ann", "email": "3", "notes": ""}


def test_the_header_is_accepted_in_chinese_english_any_case_and_by_alias() -> None:
    sheet = Sheet("People", COLUMNS)
    with translation.override("zh-hans"):
        chinese = [str(c.header) for c in COLUMNS]
    check_header(sheet, [(1, chinese)])
    check_header(sheet, [(1, ["NAME", "Email Address:", " notes "])])


def test_a_moved_column_is_named_with_what_the_export_has() -> None:
    with pytest.raises(ServiceError) as caught:
        check_header(Sheet("People", COLUMNS), [(1, ["Name", "Notes", "E-mail"])])
    assert caught.value.message == (
        'Sheet "People", row 1, column B (E-mail): the column header is "Notes" where the export has "E-mail". '
        "Keep the columns of the export in their order: do not insert, move or delete columns."
    )


def test_an_empty_sheet_is_refused() -> None:
    with pytest.raises(ServiceError, match='Sheet "People" is empty.'):
        check_header(Sheet("People", COLUMNS), [])


def test_header_lookup_finds_columns_in_any_order() -> None:
    lookup = header_lookup(COLUMNS)
    assert lookup[header_key("E-MAIL ")] == "email"
    assert lookup[header_key("email address")] == "email"
    assert lookup[header_key("姓名")] == "name"
    assert "notes*" not in lookup
    assert lookup[header_key("Notes *")] == "notes"


@given(st.text(max_size=12))
def test_whole_number_reads_only_plain_digits(text: str) -> None:
    value = whole_number(text)
    if text.isascii() and text.isdigit() and len(text) <= 9:
        assert value == int(text)
    else:
        assert value is None


def test_the_header_row_carries_help_and_rows_are_neutralized() -> None:
    book = Workbook()
    worksheet = book.active
    assert worksheet is not None
    write_header(worksheet, COLUMNS)
    append_row(worksheet, ["=SUM(A1)", "", "plain"])
    sheet = load_workbook(io.BytesIO(workbook_bytes(book))).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["Name", "E-mail", "Notes"]
    assert sheet["A1"].comment is not None
    assert sheet["A1"].comment.text == "The person's name."
    assert sheet["B1"].comment is None
    assert sheet["B1"].fill.fgColor.rgb != sheet["A1"].fill.fgColor.rgb  # read-only head is grey
    assert [c.value for c in sheet[2]] == ["'=SUM(A1)", None, "plain"]
