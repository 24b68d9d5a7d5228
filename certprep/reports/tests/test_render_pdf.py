"""The PDF renderer, read back with poppler's pdftotext and pdfinfo; pages made PNG for people to look at."""

from __future__ import annotations

import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from weasyprint import HTML

from certprep.core.documents import Figure, Table
from certprep.reports.render import Content, Section
from certprep.reports.render.pdf import DataOnlyFetcher, column_widths, css_string, to_html, to_pdf
from certprep.reports.render.samples import chart_svg, sample_content

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "reports"


def _text(pdf: bytes, *options: str) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed poppler tool reading our own bytes
        ["/usr/bin/pdftotext", *options, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def _pages(pdf: bytes) -> list[str]:
    return _text(pdf, "-layout").split("\f")[:-1]


def _info(pdf: bytes) -> dict[str, str]:
    result = subprocess.run(  # noqa: S603 - as above
        ["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=True
    )
    lines = (line.split(":", 1) for line in result.stdout.decode("utf-8").splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in lines}


@pytest.fixture(scope="module")
def english() -> tuple[Content, bytes]:
    content = sample_content("en", sections=3, tables=3, rows=12, figures=1)
    return content, to_pdf(content)


@pytest.fixture(scope="module")
def chinese() -> tuple[Content, bytes]:
    content = sample_content("zh-hans", sections=3, tables=3, rows=12, figures=1)
    return content, to_pdf(content)


def test_every_section_is_present_and_the_contents_gives_its_page(english: tuple[Content, bytes]) -> None:
    content, pdf = english
    pages = _pages(pdf)
    assert len(pages) == int(_info(pdf)["Pages"]) > 1
    for section in content.sections:
        page = next(n for n, text in enumerate(pages, start=1) if n > 2 and section.title in text)
        line = next(line for line in pages[1].splitlines() if section.title in line)
        assert re.search(rf"\. {page}$", line.strip()), line  # "1. Certification ... . . . 3"
    assert "Contents" in pages[1]
    assert "Certification feasibility scheme" in pages[0]
    assert "Generated on 7 December 2026" in pages[0]


def test_pages_say_page_x_of_y_except_the_cover(english: tuple[Content, bytes]) -> None:
    _content, pdf = english
    pages = _pages(pdf)
    total = len(pages)
    assert "Page" not in pages[0]
    for n, text in enumerate(pages[1:], start=2):
        assert f"Page {n} of {total}" in text


def test_the_document_has_its_title_and_language(english: tuple[Content, bytes]) -> None:
    _content, pdf = english
    assert _info(pdf)["Title"] == "Certification feasibility scheme"
    assert '<html lang="en">' in to_html(sample_content("en", sections=1))
    assert '<html lang="zh-Hans">' in to_html(sample_content("zh-hans", sections=1))


def test_tables_and_their_header_on_each_page_and_the_chart_text(english: tuple[Content, bytes]) -> None:
    content, pdf = english
    text = _text(pdf)
    tables = [block for section in content.sections for block in section.blocks if isinstance(block, Table)]
    for table in tables:
        assert table.caption in text
        for row in table.rows:
            assert row[0] in text
            assert row[4] in text
    # the figure's SVG is drawn as vectors: its title, years and legend are text in the PDF
    for words in ("Cost by year", "Year 1", "Year 3", "Consulting", "Certification audit"):
        assert words in text
    assert "Cost by category and year (1)" in text  # the caption
    # Three tables of 40 rows (the most a document prints of one): the later ones cross a page break.
    long = sample_content("en", sections=1, tables=3, rows=40, figures=0)
    pages = _pages(to_pdf(long))
    assert len(pages) >= 5
    assert sum("Page" in page for page in pages[2:]) >= 3
    for page in pages[3:]:
        assert re.search(r"Item\s+Owner\s+Year 1\s+Year 2\s+Total", page)  # thead repeated


def test_a_chinese_report_shows_chinese_text_and_chart(chinese: tuple[Content, bytes]) -> None:
    content, pdf = chinese
    text = _text(pdf)
    for section in content.sections:
        assert section.title in text
    for words in ("目录", "认证可行性方案", "示例信息服务有限公司", "咨询费", "第一年", "按年份的成本"):
        assert words in text
    pages = _pages(pdf)
    assert f"第 2 页，共 {len(pages)} 页" in pages[1]
    fonts = subprocess.run(  # noqa: S603 - a fixed poppler tool
        ["/usr/bin/pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "WenQuanYi" in fonts


def test_the_page_label_is_written_into_css_safely() -> None:
    assert css_string('a"b\\c') == '"a\\000022b\\00005cc"'
    content = sample_content("en", sections=1, tables=0, figures=0)
    hostile = Content(
        **{**content.__dict__, "page_label": 'P" } @page { x: "%(page)s \\ %(pages)s ;} */'},
    )
    pages = _pages(to_pdf(hostile))
    assert f'P" }} @page {{ x: "2 \\ {len(pages)} ;}} */' in pages[1]


class _Counter(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        _Counter.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the http.server interface
        return


def test_nothing_is_fetched_from_the_network() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/tracker.png"
    try:
        typed = f'<img src="{url}"> <link rel="stylesheet" href="{url}">'
        svg = chart_svg("chart", ["2026"], ["a"], [[10]]).replace("</svg>", f'<image href="{url}" width="9"/></svg>')
        content = sample_content("en", sections=1, tables=0, figures=0)
        content = Content(
            **{**content.__dict__, "sections": [Section(typed, [Figure(svg, typed)])], "subtitle": typed},
        )
        fetcher = DataOnlyFetcher()
        pdf = to_pdf(content, fetcher=fetcher)
        assert typed in _text(pdf).replace("\n", " ")  # shown as the text that was typed
        assert fetcher.refused == []  # escaped: never even asked for
        # markup that does reach WeasyPrint is refused by the fetcher, never opened
        HTML(string=f'<img src="{url}"><p style="background: url({url})">x</p>', url_fetcher=fetcher).write_pdf()
        assert url in fetcher.refused
    finally:
        server.shutdown()
        thread.join()
    assert _Counter.requests == []


def test_hostile_text_in_every_block_kind_comes_out_as_text() -> None:
    content = sample_content("en", sections=1, tables=0, rows=2, figures=0, hostile=True)
    pdf = to_pdf(content)
    text = _text(pdf)
    for typed in ("<script>alert('x')</script>", "=1+1", "@SUM(A1:A9)", "{{ 7|add:7 }} {% now 'Y' %} %(page)s"):
        assert typed in text
    assert "controls" in text
    assert "RTL override" in text
    assert "long text long text" in text
    assert "A figure that is not SVG" in text
    assert int(_info(pdf)["Pages"]) > 2


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_as_png_to_look_at(language: str) -> None:
    """Writes test-artifacts/reports/render-<language>-N.png (a cover, contents, a table and a chart) for people to
    look at; asserts only that they were made."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = to_pdf(sample_content(language, sections=3, tables=3, rows=12, figures=2))
    prefix = ARTIFACTS / f"render-{language}"
    for old in ARTIFACTS.glob(f"render-{language}-*.png"):
        old.unlink()
    subprocess.run(  # noqa: S603 - a fixed poppler tool writing into test-artifacts/
        ["/usr/bin/pdftoppm", "-r", "60", "-png", "-", str(prefix)], input=pdf, check=True
    )
    assert len(list(ARTIFACTS.glob(f"render-{language}-*.png"))) == int(_info(pdf)["Pages"])


def test_column_widths_follow_the_longest_text_with_cjk_counting_double() -> None:
    # Item: heading 4, "Consulting" 10 -> 10; Amount: heading 6, "1,234.50" 8 -> 8; 10 + 8 = 18
    assert column_widths(["Item", "Amount"], [["Consulting", "1,234.50"], ["IT", "5.00"]], 2) == ["55.56", "44.44"]
    # 项目 counts 4, 咨询费用 8, the empty third column its minimum 4: 8 + 4 = 12
    assert column_widths(["项目", "x"], [["咨询费用"]], 2) == ["66.67", "33.33"]
    # a 100 kB cell counts as 40 at most, a long heading as 14
    assert column_widths(["A heading that wraps over lines", "b"], [["x" * 100_000, ""]], 2) == ["90.91", "9.09"]
