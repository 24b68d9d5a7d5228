"""A report as a PDF: an HTML Django template (autoescaped: user text is text) laid out by WeasyPrint.

A4, the cover, a contents page whose page numbers come from CSS target-counter(), the sections in the Word
document's styles, tables whose header row repeats on every page (thead), charts as their SVG (an <img> with a
data: URI, drawn as vectors with Pango's per-character font fallback), "Page X of Y" from @page counters in the
report's language, a CJK font first for Chinese, the lang attribute and the PDF's title.

WeasyPrint never fetches anything: its URL fetcher refuses every URL but data: ones (the charts), so nothing in a
report can make the server reach the network or read a file. The stylesheet is parsed once per process and the
font configuration is shared (see bench/README.md, "Reports").
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from certprep.core.documents import Block, Bullets, Figure, Heading, KeyFigures, PageBreak, Paragraph, Table
from certprep.reports.render import Content
from certprep.reports.render.common import CJK, clean, html_language
from certprep.reports.render.pictures import data_uri, figure_width_mm
from certprep.reports.render.printed import printed

STYLESHEET = Path(__file__).with_name("document.css")
TEMPLATE = "reports/render/document.html"
_PLACEHOLDERS = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
CELL_CHARACTERS = 4000
MIN_WEIGHT, HEADING_WEIGHT, CELL_WEIGHT = 4, 14, 40
_LOCK = threading.Lock()  # one font configuration, used by one layout at a time


class DataOnlyFetcher(URLFetcher):
    """Gives data: URIs and refuses every other URL (http, https, file, ftp...) before opening anything."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError("A report fetches nothing but data: URIs.")
        return super().fetch(url, headers)


@functools.cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=_fonts(), url_fetcher=DataOnlyFetcher())


def css_string(text: str) -> str:
    """`text` as a CSS string literal: every character but ASCII letters and digits written as a 6-digit hex
    escape, so no quote, backslash, line break or comment in a translation can end the string or the rule. Spaces
    too: CSS takes one white space after an escape as the escape's end, so a literal space there would vanish."""
    return '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in text) + '"'


def footer_css(page_label: str) -> str:
    """The @page footer rule writing `page_label` ("Page %(page)s of %(pages)s") with the page counters."""
    parts: list[str] = []
    rest = clean(page_label)
    while rest:
        found = [(rest.find(key), key) for key in _PLACEHOLDERS if key in rest]
        if not found:
            parts.append(css_string(rest))
            break
        position, key = min(found)
        if position:
            parts.append(css_string(rest[:position]))
        parts.append(_PLACEHOLDERS[key])
        rest = rest[position + len(key) :]
    content = " ".join(parts) or "counter(page)"
    return (
        f"@page {{ @bottom-center {{ content: {content}; }} }} @page :first {{ @bottom-center {{ content: none; }} }}"
    )


def cell_text(text: str) -> str:
    """A table cell's text, at most CELL_CHARACTERS long: WeasyPrint lays a long cell out again for every page it
    spans (100 kB in a narrow column: 15 s and 40 pages); the Word document and the workbook keep it whole."""
    text = clean(text)
    return text if len(text) <= CELL_CHARACTERS else text[: CELL_CHARACTERS - 1] + "\u2026"


def _cells(texts: Sequence[str], numeric: frozenset[int], width: int) -> list[tuple[str, bool]]:
    padded = [cell_text(text) for text in texts[:width]] + [""] * (width - len(texts))
    return [(text, n in numeric) for n, text in enumerate(padded)]


def column_widths(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Each column's share of the table's width in per cent, from its longest text (a CJK character counts double,
    a heading counts up to HEADING_WEIGHT as it may wrap, a cell up to CELL_WEIGHT, every column at least
    MIN_WEIGHT). The tables are laid out with these widths (table-layout: fixed) rather than by WeasyPrint
    measuring every cell twice first: a fifth less time on a long report."""
    weights = [MIN_WEIGHT] * width
    for n, text in enumerate(columns[:width]):
        weights[n] = max(weights[n], min(_measure(text), HEADING_WEIGHT))
    for row in rows:
        for n, text in enumerate(row[:width]):
            if weights[n] < CELL_WEIGHT:
                weights[n] = max(weights[n], min(_measure(text), CELL_WEIGHT))
    total = sum(weights)
    return [f"{100 * weight / total:.2f}" for weight in weights]


def _measure(text: str) -> int:
    text = text[: CELL_WEIGHT * 2]
    return len(text) + len(CJK.findall(text))


def _block(block: Block) -> dict[str, Any]:
    """The block as the template's plain values."""
    if isinstance(block, Heading):
        return {"kind": "heading", "level": block.level, "text": clean(block.text)}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "tone": block.tone, "text": clean(block.text)}
    if isinstance(block, Bullets):
        return {"kind": "bullets", "items": [clean(item) for item in block.items]}
    if isinstance(block, KeyFigures):
        return {"kind": "figures", "items": [(clean(label), clean(value)) for label, value in block.items]}
    if isinstance(block, Table):
        width = max([len(block.columns)] + [len(row) for row in block.rows]) or 1
        return {
            "kind": "table",
            "caption": clean(block.caption),
            "columns": _cells(block.columns, block.numeric, width),
            "rows": [_cells(row, block.numeric, width) for row in block.rows],
            "widths": column_widths(block.columns, block.rows, width),
        }
    if isinstance(block, Figure):
        return {
            "kind": "figure",
            "src": data_uri(block.svg),
            "width_mm": f"{figure_width_mm(block.width_mm):.1f}",
            "caption": clean(block.caption),
        }
    if isinstance(block, PageBreak):
        return {"kind": "break"}
    return {"kind": "unknown"}


def to_html(content: Content) -> str:
    sections = [
        {"title": clean(section.title), "blocks": [_block(block) for block in section.blocks]}
        for section in content.sections
    ]
    context = {
        "content": {
            "title": clean(content.title),
            "subtitle": clean(content.subtitle),
            "generated": clean(content.generated),
            "contents_label": clean(content.contents_label),
        },
        "lang": html_language(content.language),
        "sections": sections,
    }
    return render_to_string(TEMPLATE, context)


def to_pdf(content: Content, *, fetcher: DataOnlyFetcher | None = None) -> bytes:
    fetcher = fetcher or DataOnlyFetcher()
    html = HTML(string=to_html(printed(content)), base_url=None, url_fetcher=fetcher)
    with _LOCK:
        fonts = _fonts()
        footer = CSS(string=footer_css(content.page_label), font_config=fonts, url_fetcher=fetcher)
        data = html.write_pdf(stylesheets=[_stylesheet(), footer], font_config=fonts)
    assert isinstance(data, bytes)
    return data
