"""The Excel renderer, read back with openpyxl."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from certprep.core.documents import Paragraph, Table
from certprep.reports.render import Content, Section
from certprep.reports.render.samples import HOSTILE, LONG, sample_content
from certprep.reports.render.xlsx import sheet_name, to_xlsx


def _workbook(content: Content) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(content)))


def _content(*tables: Table, language: str = "en") -> Content:
    return Content(
        title="Budget",
        subtitle="Example Services Ltd",
        language=language,
        generated="Generated on 7 December 2026",
        sections=[Section("Costs", [Paragraph("intro"), *tables])],
        contents_label="Contents",
        page_label="Page %(page)s of %(pages)s",
    )


def test_an_about_sheet_then_a_sheet_per_named_table() -> None:
    workbook = _workbook(sample_content("en", sections=2, tables=3, rows=4))
    assert workbook.sheetnames == ["About", "Section 1", "Section 2", "Section 3"]
    about = workbook["About"]
    assert [about.cell(row, 1).value for row in (1, 2, 3)] == [
        "Certification feasibility scheme",
        "Example Services Ltd",
        "Generated on 7 December 2026",
    ]
    assert workbook.properties.title == "Certification feasibility scheme"


def test_the_about_sheet_is_named_in_the_reports_language() -> None:
    with translation.override("en"):  # the active language is not the report's
        workbook = _workbook(sample_content("zh-hans", sections=1, tables=1, rows=1))
    assert workbook.sheetnames == ["关于", "章节 1"]


def test_header_bold_and_frozen_numbers_as_numbers_text_as_text() -> None:
    table = Table(
        columns=["Line", "Amount", "Due"],
        rows=[["Consulting", "CNY 1,234.50", "1 March 2027"], ["=cmd|' /C calc'!A0", "CNY 20.00", ""]],
        numeric=frozenset({1}),
        sheet="Lines",
        values=[["Consulting", Decimal("1234.50"), datetime.date(2027, 3, 1)], ["=cmd|' /C calc'!A0", 20, None]],
    )
    sheet = _workbook(_content(table))["Lines"]
    assert [cell.value for cell in sheet[1]] == ["Line", "Amount", "Due"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == pytest.approx(1234.5)
    assert sheet["B2"].data_type == "n"
    assert sheet["B3"].value == 20
    assert sheet["B2"].alignment.horizontal == "right"
    assert sheet["C2"].is_date
    assert sheet["C2"].value.date() == datetime.date(2027, 3, 1)
    assert sheet["C3"].value is None
    assert sheet["A3"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A3"].data_type == "s"
    assert 8 <= sheet.column_dimensions["A"].width <= 60


def test_without_values_the_written_text_goes_in_neutralized() -> None:
    table = Table(columns=["=Name", "Figure"], rows=[["@SUM(A1)", "12"], ["+1", "-3"]], sheet="Plain")
    sheet = _workbook(_content(table))["Plain"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["'=Name", "Figure"],
        ["'@SUM(A1)", "12"],
        ["'+1", "'-3"],
    ]


def test_a_table_without_a_sheet_is_left_out() -> None:
    named = Table(columns=["a"], rows=[["1"]], sheet="Named")
    unnamed = Table(columns=["b"], rows=[["2"]])
    assert _workbook(_content(named, unnamed)).sheetnames == ["About", "Named"]


def test_sheet_names_are_valid_short_and_unique() -> None:
    taken: set[str] = set()
    names = [
        sheet_name("Costs [by year]: 2026/2027?*\\", taken),
        sheet_name("costs by year 20262027", taken),
        sheet_name("A name much longer than thirty-one characters", taken),
        sheet_name("A name much longer than thirty-one characters", taken),
        sheet_name("'quoted'", taken),
        sheet_name("???", taken),
        sheet_name("History", taken),
    ]
    assert names == [
        "Costs by year 20262027",
        "costs by year 20262027 (2)",
        "A name much longer than thirty-",
        "A name much longer than thi (2)",
        "quoted",
        "Sheet",
        "History 1",
    ]
    assert all(len(name) <= 31 for name in names)


def test_hostile_text_is_neutralized_and_kept_within_a_cell() -> None:
    workbook = _workbook(sample_content("en", sections=1, tables=0, hostile=True))
    name = next(name for name in workbook.sheetnames if name.startswith("Hostile"))
    assert name == "Hostile =1+1 a very long sheet"
    sheet = workbook[name]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "<script>alert('x')</script>"
    assert header[1] == "'=1+1"
    assert header[2] == "'@SUM(A1:A9)"
    assert header[3] == "'\t\n\rcontrols"  # C0 controls dropped, the tab that starts it neutralized
    assert header[7] == "emoji \U0001f600\U0001f44d"
    assert sheet["I2"].is_date
    assert sheet["A3"].value == LONG[:32_767]
    assert len(HOSTILE) == len(header)
