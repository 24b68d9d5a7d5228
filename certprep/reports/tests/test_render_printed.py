"""Long tables: Word and PDF print their first rows and say where the rest is (the report's Excel workbook, which
keeps every row; the workbook of the report a section comes from; or certprep's pages). Read back with python-docx,
pdftotext and openpyxl."""

from __future__ import annotations

import io
import subprocess

import docx
import openpyxl
import pytest

from certprep.core.documents import Table
from certprep.reports.render import Content, Section
from certprep.reports.render.docx import to_docx
from certprep.reports.render.pdf import to_pdf
from certprep.reports.render.xlsx import to_xlsx


def _content(rows: int, *, workbook: bool, language: str = "en", sheet: str = "Tasks", held_by: str = "") -> Content:
    table = Table(["Task", "Days"], [[f"task {n:03d}", str(n)] for n in range(1, rows + 1)], sheet=sheet)
    return Content(
        title="Plan",
        subtitle="Harbourline",
        language=language,
        generated="today",
        sections=[Section("Tasks", [table], held_by=held_by)],
        contents_label="Contents",
        page_label="Page %(page)s of %(pages)s",
        workbook=workbook,
    )


def _docx_rows(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [row.cells[0].text for table in document.tables for row in table.rows]


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_with_a_workbook_the_documents_print_40_rows_and_say_where_the_rest_is() -> None:
    content = _content(100, workbook=True)
    rows = _docx_rows(to_docx(content))
    assert rows[0] == "Task"
    assert rows[1:] == [f"task {n:03d}" for n in range(1, 41)]
    assert "The first 40 of 100 rows; the Excel workbook, sheet “Tasks”, holds them all." in _docx_text(
        to_docx(content)
    )
    text = subprocess.run(["pdftotext", "-", "-"], input=to_pdf(content), capture_output=True, check=True).stdout
    assert b"task 040" in text
    assert b"task 041" not in text
    assert "sheet “Tasks”, holds them all".encode() in text.replace(b"\n", b" ")
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(content)))["Tasks"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [f"task {n:03d}" for n in range(1, 101)]


def test_the_note_is_in_the_reports_language() -> None:
    text = _docx_text(to_docx(_content(41, workbook=True, language="zh-hans")))
    assert "此处列出 41 行中的前 40 行；全部内容见 Excel 工作簿的“Tasks”工作表。" in text


@pytest.mark.parametrize("workbook", [True, False])
def test_a_short_table_prints_every_row(workbook: bool) -> None:
    content = _content(40, workbook=workbook)
    assert _docx_rows(to_docx(content))[1:] == [f"task {n:03d}" for n in range(1, 41)]
    assert "The first" not in _docx_text(to_docx(content))


def test_without_a_workbook_the_note_names_the_report_whose_workbook_holds_the_table() -> None:
    content = _content(150, workbook=False, held_by="Implementation plan")
    assert _docx_rows(to_docx(content))[1:] == [f"task {n:03d}" for n in range(1, 41)]
    note = (
        "The first 40 of 150 rows; the Excel workbook of the report “Implementation plan”, sheet “Tasks”, "
        "holds them all."
    )
    assert note in _docx_text(to_docx(content))
    text = subprocess.run(["pdftotext", "-", "-"], input=to_pdf(content), capture_output=True, check=True).stdout
    assert b"task 041" not in text
    assert "“Implementation plan”".encode() in text


@pytest.mark.parametrize(("sheet", "held_by"), [("", "Implementation plan"), ("Changes", "")])
def test_a_table_no_workbook_holds_prints_40_rows_and_points_to_certprep(sheet: str, held_by: str) -> None:
    content = _content(227, workbook=False, sheet=sheet, held_by=held_by)
    assert len(_docx_rows(to_docx(content))) == 41
    assert "The first 40 of 227 rows; certprep shows them all on its pages." in _docx_text(to_docx(content))
    with_zh = _content(227, workbook=False, sheet=sheet, held_by=held_by, language="zh-hans")
    assert "此处列出 227 行中的前 40 行；全部内容可在 certprep 的页面中查看。" in _docx_text(to_docx(with_zh))
