"""A report as a Word document (python-docx): editable, so real styles rather than direct formatting.

Cover (title, organization, generated date), a table of contents as a real TOC field (Word refreshes it on
opening: w:updateFields; until then it lists the section titles), each section under "Heading 1", its headings
"Heading 2"/"Heading 3", paragraphs in named styles per tone (Lead, Note, Warning, Missing), bullets in
"List Bullet", key figures as a two-column table, tables with a header row repeated on each page, charts as PNG
pictures with their caption below, and a footer "Page X of Y" made of PAGE and NUMPAGES fields. A Chinese document
declares its language and East Asian font. User text goes in as text runs only (never parsed as markup), with
the characters XML cannot hold dropped.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tc
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from certprep.core.documents import Block, Bullets, Figure, Heading, KeyFigures, PageBreak, Paragraph, Table
from certprep.reports.render import Content
from certprep.reports.render.common import WORD_EAST_ASIAN_FONT, clean, is_chinese, language_tag
from certprep.reports.render.pictures import png
from certprep.reports.render.printed import printed

TONE_STYLES = {"body": "Normal", "lead": "Lead", "note": "Note", "warning": "Warning", "missing": "Missing"}
TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
# Elements that follow w:updateFields in a settings part (CT_Settings' sequence): it goes before the first found.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)
_BREAKS = re.compile(r"[\t\n\r]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
GREY = RGBColor(0x5D, 0x6B, 0x7C)
AMBER = RGBColor(0x8A, 0x4B, 0x08)
RED = RGBColor(0x9B, 0x2C, 0x2C)


def to_docx(content: Content) -> bytes:
    content = printed(content)
    document = new_document()
    _page_setup(document)
    _styles(document, content.language)
    _properties(document, content)
    _settings(document, content.language)
    _cover(document, content)
    _contents(document, content)
    ids = _StyleIds(document)
    for section in content.sections:
        _paragraph(document, ids, clean(section.title), "Heading 1")
        for block in section.blocks:
            _block(document, ids, block)
    _footer(document, content.page_label)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# --------------------------------------------------------------------------------------------------------------------
# The document's frame: page, styles, properties, settings


def _page_setup(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(22), Mm(22)


def _paragraph_style(document: Document, name: str, *, base: str = "Normal") -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    style.base_style = document.styles[base]
    style.quick_style = True
    return style


def _left_rule(style: ParagraphStyle, colour: str, kind: str = "single") -> None:
    """A rule down the left margin of the style's paragraphs: a warning stands out also when printed in grey."""
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", kind), ("w:sz", "18"), ("w:space", "8"), ("w:color", colour)):
        left.set(qn(key), value)
    borders.append(left)
    style.element.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"
    )


def _styles(document: Document, language: str) -> None:
    styles = document.styles
    normal = styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    lead = _paragraph_style(document, "Lead")
    lead.font.size, lead.font.bold = Pt(12), True
    note = _paragraph_style(document, "Note")
    note.font.size, note.font.color.rgb = Pt(8.5), GREY
    warning = _paragraph_style(document, "Warning")
    warning.font.bold, warning.font.color.rgb = True, AMBER
    _left_rule(warning, "D98B2B")
    missing = _paragraph_style(document, "Missing")
    missing.font.italic, missing.font.color.rgb = True, RED
    _left_rule(missing, "C0392B", "dashed")
    table_text = _paragraph_style(document, "Table Text")
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_heading = _paragraph_style(document, "Table Heading", base="Table Text")
    table_heading.font.bold = True
    figure = _paragraph_style(document, "Table Figure", base="Table Text")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading_figure = _paragraph_style(document, "Table Heading Figure", base="Table Heading")
    heading_figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    key_value = _paragraph_style(document, "Key Figure", base="Table Text")
    key_value.font.size, key_value.font.bold = Pt(12), True
    figure_paragraph = _paragraph_style(document, "Figure")
    figure_paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure_paragraph.paragraph_format.keep_with_next = True  # the caption stays under its picture
    title = styles["Title"]
    assert isinstance(title, ParagraphStyle)
    title.paragraph_format.space_before = Mm(70)  # the cover's title a third down the page
    cover_date = _paragraph_style(document, "Cover Date")
    cover_date.font.color.rgb = GREY
    _language(document, language)


def _language(document: Document, language: str) -> None:
    """The document's language (spelling, line breaking) and, in Chinese, the East Asian font of every style."""
    tag = language_tag(language)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    rpr = run_defaults.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        run_defaults.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), "zh-CN")
    if not is_chinese(language):
        return
    fonts = [rpr.find(qn("w:rFonts"))]
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            element = style.element.rPr
            if element is not None and element.rFonts is not None:
                fonts.append(element.rFonts)
    for element in fonts:
        if element is None:
            continue
        element.set(qn("w:eastAsia"), WORD_EAST_ASIAN_FONT)
        element.attrib.pop(qn("w:eastAsiaTheme"), None)
    if rpr.find(qn("w:rFonts")) is None:
        run_fonts = OxmlElement("w:rFonts")
        run_fonts.set(qn("w:eastAsia"), WORD_EAST_ASIAN_FONT)
        rpr.insert(0, run_fonts)


def _properties(document: Document, content: Content) -> None:
    properties = document.core_properties
    properties.title = clean(content.title)[:255]
    properties.subject = clean(content.subtitle)[:255]
    properties.language = language_tag(content.language)
    properties.author = properties.last_modified_by = "certprep"
    properties.comments = ""


def _settings(document: Document, language: str) -> None:
    """w:updateFields: Word offers to refresh the fields (the TOC, page counts) when the document opens."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    following = next(
        (element for name in _AFTER_UPDATE_FIELDS if (element := settings.find(qn(f"w:{name}"))) is not None), None
    )
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)
    theme_language = settings.find(qn("w:themeFontLang"))
    if theme_language is not None and is_chinese(language):
        theme_language.set(qn("w:eastAsia"), "zh-CN")


# --------------------------------------------------------------------------------------------------------------------
# Cover, contents and footer


def _cover(document: Document, content: Content) -> None:
    document.add_paragraph(clean(content.title), style="Title")
    document.add_paragraph(clean(content.subtitle), style="Subtitle")
    document.add_paragraph(clean(content.generated), style="Cover Date")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _field_run(paragraph: DocxParagraph, kind: str, *, dirty: bool = False) -> None:
    character = OxmlElement("w:fldChar")
    character.set(qn("w:fldCharType"), kind)
    if dirty:
        character.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(character)


def _instruction(paragraph: DocxParagraph, text: str) -> None:
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = text
    paragraph.add_run()._r.append(instruction)


def _contents(document: Document, content: Content) -> None:
    """The TOC field spans paragraphs: begin and instruction in the first, then one pre-filled line per section
    (what a reader sees before Word updates it), the end in the last."""
    document.add_paragraph(clean(content.contents_label), style="TOC Heading")
    titles = [clean(section.title) for section in content.sections] or [""]
    first = document.add_paragraph()
    _field_run(first, "begin", dirty=True)
    _instruction(first, TOC_INSTRUCTION)
    _field_run(first, "separate")
    paragraph = first
    for n, title in enumerate(titles):
        if n:
            paragraph = document.add_paragraph()
        paragraph.add_run(title)
    _field_run(paragraph, "end")
    document.add_section(WD_SECTION.NEW_PAGE)


def _simple_field(paragraph: DocxParagraph, instruction: str) -> None:
    _field_run(paragraph, "begin")
    _instruction(paragraph, f" {instruction} ")
    _field_run(paragraph, "separate")
    paragraph.add_run("1")
    _field_run(paragraph, "end")


def _footer(document: Document, page_label: str) -> None:
    """ "Page X of Y" in the report's language: the label's text around PAGE and NUMPAGES fields. Every section
    shares the footer; the cover's page counts but shows none (a different first page)."""
    for number, section in enumerate(document.sections):
        footer = section.footer
        if number:
            footer.is_linked_to_previous = True
            continue
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        label = clean(page_label)
        position = 0
        for match in _PLACEHOLDER.finditer(label):
            if match.start() > position:
                paragraph.add_run(label[position : match.start()])
            _simple_field(paragraph, "PAGE" if match[1] == "page" else "NUMPAGES")
            position = match.end()
        if position < len(label):
            paragraph.add_run(label[position:])
        section.different_first_page_header_footer = True


# --------------------------------------------------------------------------------------------------------------------
# Blocks


def _block(document: Document, ids: _StyleIds, block: Block) -> None:
    if isinstance(block, Heading):
        _paragraph(document, ids, clean(block.text), "Heading 3" if block.level == 3 else "Heading 2")
    elif isinstance(block, Paragraph):
        _paragraph(document, ids, clean(block.text), TONE_STYLES.get(block.tone, "Normal"))
    elif isinstance(block, Bullets):
        for item in block.items:
            _paragraph(document, ids, clean(item), "List Bullet")
    elif isinstance(block, KeyFigures):
        _key_figures(document, ids, block)
    elif isinstance(block, Table):
        _table(document, ids, block)
    elif isinstance(block, Figure):
        _figure(document, ids, block)
    elif isinstance(block, PageBreak):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


class _StyleIds:
    """Style names resolved to their ids once: python-docx looks a name up by scanning every style (and the
    default one) on each assignment, which made a 2,000-row table take most of a minute."""

    def __init__(self, document: Document) -> None:
        self.ids = {style.name: style.style_id for style in document.styles if style.name}

    def __getitem__(self, name: str) -> str:
        return self.ids[name]


def _paragraph(document: Document, ids: _StyleIds, text: str, style: str) -> DocxParagraph:
    paragraph = document.add_paragraph(text)
    paragraph._p.style = ids[style]
    return paragraph


def _fill(element: CT_Tc, text: str, style_id: str | None = None) -> None:
    """The cell's text as one run; `style_id` sets its paragraph's style (a template row has it already)."""
    paragraph = element.p_lst[0]
    if style_id is not None:
        paragraph.style = style_id
    if _BREAKS.search(text):
        paragraph.add_r().text = text  # python-docx writes tabs and line breaks as w:tab and w:br
    elif text:
        run = etree.SubElement(paragraph, qn("w:r"))
        written = etree.SubElement(run, qn("w:t"))
        written.text = text
        if text[0].isspace() or text[-1].isspace():
            written.set(_XML_SPACE, "preserve")


def _key_figures(document: Document, ids: _StyleIds, block: KeyFigures) -> None:
    if not block.items:  # Word refuses a table without rows
        return
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    for label, value in block.items:
        cells = table.add_row()._tr.tc_lst
        _fill(cells[0], clean(label), ids["Table Text"])
        _fill(cells[1], clean(value), ids["Key Figure"])
    document.add_paragraph()


def _repeat_as_header(table: DocxTable) -> None:
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)


def _table(document: Document, ids: _StyleIds, block: Table) -> None:
    """Rows are copies of one blank row python-docx made (cell widths from the grid), filled at the XML level."""
    if block.caption:
        _paragraph(document, ids, clean(block.caption), "Caption")
    width = max([len(block.columns)] + [len(row) for row in block.rows]) or 1
    table = document.add_table(rows=2, cols=width)
    table.style = document.styles["Table Grid"]
    header_styles = [ids["Table Heading Figure" if n in block.numeric else "Table Heading"] for n in range(width)]
    for n, cell in enumerate(table.rows[0]._tr.tc_lst):
        _fill(cell, clean(block.columns[n]) if n < len(block.columns) else "", header_styles[n])
    _repeat_as_header(table)
    blank = table.rows[1]._tr
    body = blank.getparent()
    body.remove(blank)
    for n, cell in enumerate(blank.tc_lst):
        cell.p_lst[0].style = ids["Table Figure" if n in block.numeric else "Table Text"]
    for row in block.rows:
        element = copy.deepcopy(blank)
        for cell, text in zip(element.tc_lst, _padded(row, width), strict=True):
            _fill(cell, text)
        body.append(element)
    document.add_paragraph()


def _padded(row: Sequence[str], width: int) -> list[str]:
    return [clean(text) for text in row[:width]] + [""] * (width - len(row))


def _figure(document: Document, ids: _StyleIds, block: Figure) -> None:
    picture = png(block.svg, block.width_mm)
    if picture is not None:
        paragraph = _paragraph(document, ids, "", "Figure")
        paragraph.add_run().add_picture(io.BytesIO(picture.png), width=Mm(picture.width_mm))
    _paragraph(document, ids, clean(block.caption), "Caption")
