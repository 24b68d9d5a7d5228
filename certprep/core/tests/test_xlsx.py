"""The bounded .xlsx reader: ordinary workbooks read exactly as openpyxl reads them, and crafted
workbooks (width bombs, lying dimensions, huge texts, compressed bombs, entity tricks) are refused or
read within stated bounds of memory, measured with tracemalloc around the read alone."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from certprep.core.errors import ServiceError
from certprep.core.spreadsheets import read_rows
from certprep.core.tests.workbooks import MB, MEMORY_BOUND, SHEET_CLOSE, SHEET_OPEN, crafted, measure, refusal, repeated
from certprep.core.xlsx import SheetLimits, column_index, column_letter, xlsx_rows

# --- ordinary workbooks read the way openpyxl reads them -------------------------------------------


def openpyxl_rows(raw: bytes) -> list[list[Any]]:
    """The independent oracle: openpyxl's full reader, trailing empty cells dropped."""
    sheet = load_workbook(io.BytesIO(raw), data_only=False).worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] in (None, ""):
            values.pop()
        rows.append(values)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def wall_clock(year: int, month: int, day: int) -> datetime.datetime:
    """A datetime without a zone, as a cell holds it: a workbook has no time zones, so these are naive on purpose."""
    return datetime.datetime.combine(datetime.date(year, month, day), datetime.time())


cell_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).filter(lambda f: not f.is_integer()),
    st.booleans(),
    st.datetimes(min_value=wall_clock(1901, 1, 1), max_value=wall_clock(2200, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cell_values, max_size=8), max_size=12))
def test_it_reads_what_openpyxl_wrote_exactly_as_openpyxl_reads_it(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row_number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if value is not None and value != "":
                sheet.cell(row=row_number, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    raw = buffer.getvalue()
    ours = [values for _number, values in xlsx_rows(io.BytesIO(raw))]
    while ours and not ours[-1]:
        ours.pop()
    assert ours == openpyxl_rows(raw)


def test_row_numbers_are_the_ones_the_user_sees_and_formulas_stay_text():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Name"
    sheet["B4"] = "=SUM(1,2)"
    sheet["C4"] = datetime.date(2026, 3, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = list(read_rows(buffer.getvalue(), "people.xlsx"))
    assert rows == [(1, ["Name"]), (2, []), (3, []), (4, [None, "=SUM(1,2)", wall_clock(2026, 3, 1)])]


def test_it_reads_the_named_sheet_and_names_a_missing_one():
    workbook = Workbook()
    workbook.active.title = "First"
    workbook.create_sheet("Second")["A1"] = "here"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert list(read_rows(buffer.getvalue(), "x.xlsx", sheet="Second")) == [(1, ["here"])]
    with pytest.raises(ServiceError, match='no sheet named "Third"'):
        list(read_rows(buffer.getvalue(), "x.xlsx", sheet="Third"))


def test_inline_strings_and_rich_text_runs_are_joined_without_phonetic_hints():
    sheet = (
        SHEET_OPEN
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>Change </t></r><r><t>management</t></r>'
        + b'<rPh><t>hint</t></rPh></is></c><c r="B1" t="s"><v>0</v></c></row></sheetData>'
        + SHEET_CLOSE
    )
    shared = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>owner</t><rPh><t>x</t></rPh></si></sst>'
    assert list(xlsx_rows(io.BytesIO(crafted([sheet], shared=[shared])))) == [(1, ["Change management", "owner"])]


def test_column_names_and_indexes_agree():
    for index in (0, 25, 26, 701, 702, 16383):
        assert column_index(column_letter(index)) == index
    assert column_letter(16383) == "XFD"


# --- crafted workbooks ------------------------------------------------------------------------------


def test_a_width_bomb_of_empty_styled_cells_far_right_reads_in_little_memory():
    """20,000 rows each with an empty formatted cell at ZZZ and a dimension claiming A1:XFD20000: openpyxl
    pads every row to 18,278 columns (gigabytes); the reader keeps each row as wide as its last value."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c r="ZZZ%d" s="1"/></row>'
    rows = b"".join(row.replace(b"%d", str(n).encode()) for n in range(1, 20_001))
    sheet = SHEET_OPEN + b'<dimension ref="A1:XFD20000"/><sheetData>' + rows + b"</sheetData>" + SHEET_CLOSE
    result, peak = measure(crafted([sheet]))
    assert not isinstance(result, ServiceError)
    assert len(result) == 20_000
    assert all(values == ["x"] for _n, values in result)
    assert peak < MEMORY_BOUND


def test_a_value_right_of_the_expected_columns_is_refused_by_its_cell_name():
    sheet = (
        SHEET_OPEN
        + b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="ZZZ1"><v>2</v></c></row></sheetData>'
        + SHEET_CLOSE
    )
    message = refusal(crafted([sheet]), max_columns=12)
    assert message == "Cell ZZZ1 holds a value, but this import reads only the first 12 columns (A to L)."


def test_a_gigabyte_of_inline_text_is_refused_before_it_is_unpacked():
    gigabyte = repeated(
        SHEET_OPEN + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
        b"A" * 1024,
        1024 * 1024,
        b"</t></is></c></row></sheetData>" + SHEET_CLOSE,
    )
    raw = crafted(gigabyte)
    assert len(raw) < 5 * MB
    message = refusal(raw)
    assert "xl/worksheets/sheet1.xml" in message
    assert "at most 30 MB per part" in message


@pytest.mark.parametrize(
    "part",
    ["xl/sharedStrings.xml", "xl/comments1.xml"],
)
def test_a_huge_part_of_any_kind_is_refused_before_anything_is_parsed(part):
    sheet = SHEET_OPEN + b"<sheetData/>" + SHEET_CLOSE
    bomb = repeated(b"<sst>", b" " * 1024, 128 * 1024, b"</sst>")  # 128 MB of white space
    message = refusal(crafted([sheet], extra={part: bomb}))
    assert part in message


def test_a_highly_compressed_part_is_refused_by_its_ratio():
    sheet = SHEET_OPEN + b"<sheetData>" + b" " * (20 * MB) + b"</sheetData>" + SHEET_CLOSE
    assert "compressed more than 200 to 1" in refusal(crafted([sheet]))


def test_one_cell_of_text_larger_than_a_cell_can_hold_stops_while_it_streams():
    """With the ratio check out of the way, the per-cell count stops a 25 MB cell after 32,767 characters."""
    sheet = repeated(
        SHEET_OPEN + b'<sheetData><row r="7"><c r="C7" t="inlineStr"><is><t>',
        b"A" * 1024,
        25 * 1024,
        b"</t></is></c></row></sheetData>" + SHEET_CLOSE,
    )
    message = refusal(crafted(sheet), limits=SheetLimits(max_ratio=10**9))
    assert message == "Cell C7 holds more than 32767 characters, more than one cell can hold."


def test_millions_of_cells_without_coordinates_stop_at_the_cell_limit():
    row = b"<row>" + b"<c/>" * 150 + b"</row>"
    sheet = repeated(SHEET_OPEN + b"<sheetData>", row, 14_000, b"</sheetData>" + SHEET_CLOSE)
    assert refusal(crafted(sheet), limits=SheetLimits(max_ratio=10**9)) == "The sheet has more than 600000 cells."


def test_many_shared_strings_stop_at_their_limit():
    shared = repeated(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        b"<si><t>a</t></si>",
        400_000,
        b"</sst>",
    )
    sheet = SHEET_OPEN + b"<sheetData/>" + SHEET_CLOSE
    assert (
        refusal(crafted([sheet], shared=shared), limits=SheetLimits(max_ratio=10**9))
        == "The workbook holds more than 300000 different texts."
    )


def test_one_long_shared_text_used_by_every_cell_counts_each_time():
    """32,767 characters referenced by 100 cells in each of 20,000 rows would be 65 billion characters."""
    shared = [
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
        b"B" * 32_767,
        b"</t></si></sst>",
    ]
    row = b"<row>" + b'<c t="s"><v>0</v></c>' * 100 + b"</row>"
    sheet = repeated(SHEET_OPEN + b"<sheetData>", row, 5_000, b"</sheetData>" + SHEET_CLOSE)
    message = refusal(crafted(sheet, shared=shared), limits=SheetLimits(max_ratio=10**9))
    assert message == "The sheet holds more than 20,000,000 characters of text in all."


def test_a_row_numbered_beyond_the_row_limit_is_refused_without_walking_the_gap():
    sheet = SHEET_OPEN + b'<sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>' + SHEET_CLOSE
    assert refusal(crafted([sheet])) == "The sheet has more than 20000 rows."


def test_entity_declarations_are_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    assert "document type declaration" in refusal(crafted([laughs]))


def test_not_a_workbook_and_a_damaged_sheet_are_named():
    with pytest.raises(ServiceError, match=r"not a readable Excel workbook \(\.xlsx\)"):
        list(read_rows(b"PK\x03\x04 not really", "people.xlsx"))
    broken = SHEET_OPEN + b'<sheetData><row r="1"><c r="A1"><v>1</v></row>'
    assert "not well-formed XML" in refusal(crafted([broken]))


# --- CSV ----------------------------------------------------------------------------------------------


def test_a_csv_value_right_of_the_expected_columns_is_refused_and_empty_ones_are_ignored():
    assert list(read_rows(b"a,b,,,,\n", "x.csv", max_columns=2)) == [(1, ["a", "b"])]
    with pytest.raises(
        ServiceError, match=r"Cell D1 holds a value, but this import reads only the first 2 columns \(A to B\)"
    ):
        list(read_rows(b"a,b,,zzz\n", "x.csv", max_columns=2))


def test_a_csv_cell_larger_than_a_cell_can_hold_is_refused_not_a_server_error():
    with pytest.raises(ServiceError, match="Cell A1 holds more than 32767 characters"):
        list(read_rows(b"x" * 40_000 + b"\n", "x.csv"))
    with pytest.raises(ServiceError, match="Row 1 of the CSV file cannot be read"):
        list(read_rows(b'"' + b"x" * 200_000 + b"\n", "x.csv"))
