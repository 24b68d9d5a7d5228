"""The Word renderer, read back with python-docx and the document's XML."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from certprep.core.documents import Bullets, Figure, Heading, KeyFigures, Paragraph, Table
from certprep.reports.render import Content, Section
from certprep.reports.render.docx import to_docx
from certprep.reports.render.samples import HOSTILE, LONG, sample_content


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


def _blocks(content: Content, kind: type) -> list:
    return [block for section in content.sections for block in section.blocks if isinstance(block, kind)]


@pytest.fixture(scope="module")
def english() -> tuple[Content, bytes]:
    content = sample_content("en", sections=3, tables=3, rows=8, figures=2)
    return content, to_docx(content)


def test_sections_are_heading_1_and_their_headings_heading_2_and_3(english: tuple[Content, bytes]) -> None:
    content, data = english
    document = Document(io.BytesIO(data))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Heading 1"] == [section.title for section in content.sections]
    assert by_style["Heading 2"] == ["Section 1.1"]
    assert by_style["Heading 3"] == ["Section 1.1.1"]
    assert by_style["Title"] == ["Certification feasibility scheme"]
    assert by_style["Subtitle"] == ["Example Services Ltd"]
    assert "Generated on 7 December 2026" in by_style["Cover Date"]


def test_tones_have_their_own_named_styles_and_bullets_list_bullet(english: tuple[Content, bytes]) -> None:
    _content, data = english
    document = Document(io.BytesIO(data))
    style_of = {paragraph.text: paragraph.style.name for paragraph in document.paragraphs}
    assert style_of["The certification audit slot is not booked yet."] == "Warning"
    assert style_of["No budget has been entered yet."] == "Missing"
    assert style_of["Source: the survey of March 2026 and the gap analysis."] == "Note"
    assert style_of[sample_content("en").sections[0].blocks[0].text] == "Lead"  # type: ignore[union-attr]
    assert style_of["Key-person dependency"] == "List Bullet"
    warning = document.styles["Warning"]
    assert warning.font.bold
    assert warning.font.color.rgb is not None
    assert document.styles["Note"].font.size.pt < document.styles["Normal"].font.size.pt


def test_the_contents_is_a_toc_field_word_updates_and_lists_the_sections_before(english: tuple[Content, bytes]) -> None:
    content, data = english
    body = _xml(data, "word/document.xml")
    assert '<w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText>' in body
    begin, separate, end = (body.index(f'w:fldCharType="{kind}"') for kind in ("begin", "separate", "end"))
    assert begin < separate < end
    prefilled = body[separate:end]
    for section in content.sections:
        assert section.title in prefilled
    assert '<w:updateFields w:val="true"/>' in _xml(data, "word/settings.xml")


def test_tables_repeat_their_header_row_and_right_align_figures(english: tuple[Content, bytes]) -> None:
    content, data = english
    document = Document(io.BytesIO(data))
    tables = _blocks(content, Table)
    drawn = [table for table in document.tables if len(table.columns) == 5]
    assert len(drawn) == len(tables) == 3
    for table, block in zip(drawn, tables, strict=True):
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None
        assert header.get(qn("w:val")) == "true"
        assert [cell.text for cell in table.rows[0].cells] == list(block.columns)
        assert [cell.text for cell in table.rows[1].cells] == list(block.rows[0])
        assert len(table.rows) == len(block.rows) + 1
        assert table.rows[1].cells[2].paragraphs[0].style.name == "Table Figure"
        assert table.rows[1].cells[0].paragraphs[0].style.name == "Table Text"
    assert document.styles["Table Figure"].paragraph_format.alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    key_figures = [table for table in document.tables if len(table.columns) == 2]
    assert [[cell.text for cell in row.cells] for row in key_figures[0].rows] == [
        ["3-year total", "CNY 420,000.00"],
        ["Readiness", "64 %"],
    ]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Cost by category and year 1" in captions


def test_each_figure_is_an_inline_picture_with_its_caption_below(english: tuple[Content, bytes]) -> None:
    content, data = english
    document = Document(io.BytesIO(data))
    figures = _blocks(content, Figure)
    assert len(document.inline_shapes) == len(figures) == 2
    assert document.inline_shapes[0].width.mm == pytest.approx(160, abs=0.5)
    paragraphs = document.paragraphs
    for n, paragraph in enumerate(paragraphs):
        if paragraph._p.xpath(".//pic:pic"):
            assert paragraphs[n + 1].style.name == "Caption"
            assert paragraphs[n + 1].text.startswith("Cost by category and year (")


def test_the_footer_says_page_x_of_y_with_page_and_numpages_fields(english: tuple[Content, bytes]) -> None:
    _content, data = english
    footer = (
        _xml(data, "word/footer1.xml") if "word/footer1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist() else ""
    )
    document = Document(io.BytesIO(data))
    footer_xml = footer if footer else document.sections[0].footer._element.xml
    assert "> PAGE <" in footer_xml
    assert "> NUMPAGES <" in footer_xml
    texts = [paragraph.text for paragraph in document.sections[0].footer.paragraphs]
    assert texts == ["Page 1 of 1"]  # the fields' placeholders, until Word computes them


def test_the_document_is_a4_and_its_properties_name_title_and_language(english: tuple[Content, bytes]) -> None:
    _content, data = english
    document = Document(io.BytesIO(data))
    assert round(document.sections[0].page_width.mm) == 210
    assert round(document.sections[0].page_height.mm) == 297
    assert document.core_properties.title == "Certification feasibility scheme"
    assert document.core_properties.language == "en-US"


def test_a_chinese_document_declares_its_language_and_east_asian_font() -> None:
    content = sample_content("zh-hans", sections=2, tables=1, rows=3, figures=1)
    data = to_docx(content)
    document = Document(io.BytesIO(data))
    styles = _xml(data, "word/styles.xml")
    assert '<w:lang w:val="zh-CN" w:eastAsia="zh-CN"' in styles
    assert 'w:eastAsia="Microsoft YaHei"' in styles
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "Microsoft YaHei"
    assert heading.get(qn("w:eastAsiaTheme")) is None
    assert document.core_properties.language == "zh-CN"
    assert [p.text for p in document.paragraphs if p.style.name == "TOC Heading"] == ["目录"]
    assert document.sections[0].footer.paragraphs[0].text == "第 1 页，共 1 页"
    assert "认证可行性方案" in [p.text for p in document.paragraphs if p.style.name == "Title"]


def test_hostile_text_in_every_block_kind_comes_out_as_text() -> None:
    content = sample_content("en", sections=1, tables=1, rows=2, figures=0, hostile=True)
    data = to_docx(content)
    document = Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for text in ("<script>alert('x')</script>", "=1+1", "@SUM(A1:A9)", '<img src="http://127.0.0.1:9/tracker.png">'):
        assert text in texts  # a heading, as it was typed
        assert text in cells
    assert "\t\n\ncontrols" in cells  # C0 controls dropped; tab kept, line feed and carriage return are breaks
    assert "\u202eRTL override\u200f and mark" in texts
    assert "emoji \U0001f600\U0001f44d" in texts
    assert LONG.rstrip() in [text.rstrip() for text in texts]
    assert any(cell.rstrip() == LONG.rstrip() for cell in cells)  # Word keeps the 100 kB cell whole
    body = _xml(data, "word/document.xml")
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    assert len(document.inline_shapes) == len(HOSTILE)  # the figure that is not SVG keeps its caption only
    assert "A figure that is not SVG" in texts


def test_an_empty_report_still_makes_a_document() -> None:
    content = Content(
        title="",
        subtitle="",
        language="en",
        generated="",
        sections=[Section("Only", [Heading("h"), Paragraph("p", "missing")])],
        contents_label="Contents",
        page_label="%(page)s",
    )
    document = Document(io.BytesIO(to_docx(content)))
    assert document.sections[0].footer.paragraphs[0].text == "1"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["Only"]


def test_empty_blocks_and_a_table_without_rows_make_a_valid_document() -> None:
    content = Content(
        title="t",
        subtitle="s",
        language="en",
        generated="g",
        sections=[Section("Empty", [KeyFigures([]), Bullets([]), Table(columns=[], rows=[]), Heading("h", level=3)])],
        contents_label="Contents",
        page_label="Page %(page)s of %(pages)s",
    )
    document = Document(io.BytesIO(to_docx(content)))
    assert all(len(table.rows) >= 1 for table in document.tables)
    assert len(document.tables) == 1
    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 3"] == ["h"]
