"""Sample contents for the renderers' tests and bench/report_render.py: shaped like real reports (cover words,
sections of every block kind, a chart, tables with figures) in English or Chinese, at any size, and hostile
text in every block kind on request. Plain data only (no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from certprep.core.documents import (
    Block,
    Bullets,
    Cell,
    Figure,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Table,
)
from certprep.reports.render import Content, Section

LONG = "long text " * 10_000  # 100 kB in one string
HOSTILE = (
    "<script>alert('x')</script>",
    "=1+1",
    "@SUM(A1:A9)",
    "".join(chr(code) for code in range(32)) + "controls",
    '<img src="http://127.0.0.1:9/tracker.png">',
    "{{ 7|add:7 }} {% now 'Y' %} %(page)s",
    "\u202eRTL override\u200f and mark",
    "emoji \U0001f600\U0001f44d",
    'quote " backslash \\ ',
)

WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Certification feasibility scheme",
        "subtitle": "Example Services Ltd",
        "generated": "Generated on 7 December 2026",
        "contents": "Contents",
        "page": "Page %(page)s of %(pages)s",
        "section": "Section",
        "lead": "The organization is ready to prepare for ISO/IEC 20000-1 certification within twelve months.",
        "body": "Costs come from the budget; the plan's schedule risk gives the probability of meeting the audit date.",
        "note": "Source: the survey of March 2026 and the gap analysis.",
        "warning": "The certification audit slot is not booked yet.",
        "missing": "No budget has been entered yet.",
        "columns": ["Item", "Owner", "Year 1", "Year 2", "Total"],
        "chart": "Cost by year",
        "caption": "Cost by category and year",
        "figures": [("3-year total", "CNY 420,000.00"), ("Readiness", "64 %")],
        "bullets": ["Weak top-management commitment", "Key-person dependency", "Audit slot not booked in time"],
        "years": ["Year 1", "Year 2", "Year 3"],
        "series": ["Consulting", "Certification audit"],
    },
    "zh-hans": {
        "title": "认证可行性方案",
        "subtitle": "示例信息服务有限公司",
        "generated": "生成于 2026年12月7日",
        "contents": "目录",
        "page": "第 %(page)s 页，共 %(pages)s 页",
        "section": "章节",
        "lead": "本组织已具备在十二个月内准备 ISO/IEC 20000-1 认证的条件。",
        "body": "成本来自预算；计划的进度风险给出按期完成审核的概率。",
        "note": "来源：2026年3月的调研和差距分析。",
        "warning": "认证审核的时间尚未预约。",
        "missing": "尚未录入预算。",
        "columns": ["项目", "负责人", "第一年", "第二年", "合计"],
        "chart": "按年份的成本",
        "caption": "按类别和年份的成本",
        "figures": [("三年合计", "¥420,000.00"), ("就绪度", "64%")],
        "bullets": ["高层管理者承诺不足", "依赖关键人员", "未及时预约审核"],
        "years": ["第一年", "第二年", "第三年"],
        "series": ["咨询费", "认证审核"],
    },
}


def chart_svg(title: str, years: list[str], series: list[str], values: list[list[int]]) -> str:
    """A stacked bar chart shaped as the product's charts are: text escaped, a family list starting with
    system-ui (which alone would give Chinese no glyphs on a PNG), a width of 100% and a viewBox."""
    width, base = 480, 240
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 300" width="100%" role="img" '
        "font-family=\"system-ui, 'Noto Sans CJK SC', sans-serif\">",
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2:.0f}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>',
        f'<line x1="60" y1="{base}" x2="470" y2="{base}" stroke="#666"/>',
    ]
    fills = ("#2f6f9f", "#d98b2b", "#5a9e5a")
    step = 410 / max(len(years), 1)
    for i, year in enumerate(years):
        y = base
        for n in range(len(series)):
            h = values[n][i]
            y -= h
            parts.append(
                f'<rect x="{60 + step * i + step * 0.2:.1f}" y="{y}" width="{step * 0.6:.1f}" height="{h}" '
                f'fill="{fills[n % 3]}"/>'
            )
        parts.append(
            f'<text x="{60 + step * i + step / 2:.1f}" y="{base + 18}" text-anchor="middle">{escape(year)}</text>'
        )
    for n, name in enumerate(series):
        parts.append(
            f'<rect x="{70 + n * 200}" y="{base + 32}" width="10" height="10" fill="{fills[n % 3]}"/>'
            f'<text x="{86 + n * 200}" y="{base + 41}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(words: dict[str, Any], rows: int, number: int) -> Table:
    texts: list[list[str]] = []
    values: list[list[Cell]] = []
    for n in range(rows):
        first, second = Decimal(1000 + 37 * n) / 4, Decimal(500 + 11 * n)
        texts.append(
            [
                f"{words['section']} {number}.{n + 1}",
                "Li Wei",
                f"{first:,.2f}",
                f"{second:,.2f}",
                f"{first + second:,.2f}",
            ]
        )
        values.append([f"{words['section']} {number}.{n + 1}", "Li Wei", first, second, first + second])
    return Table(
        columns=words["columns"],
        rows=texts,
        caption=f"{words['caption']} {number}",
        numeric=frozenset({2, 3, 4}),
        sheet=f"{words['section']} {number}",
        values=values,
    )


def sample_content(
    language: str = "en", *, sections: int = 3, tables: int = 3, rows: int = 12, figures: int = 1, hostile: bool = False
) -> Content:
    """A report of `sections` sections holding `tables` tables of `rows` rows and `figures` charts between them,
    every block kind in the first section; with `hostile`, a section of hostile text in every block kind."""
    words = WORDS["zh-hans" if language.lower().startswith("zh") else "en"]
    drawn: list[Section] = []
    for s in range(sections):
        blocks: list[Block] = [Paragraph(words["lead"], "lead"), Paragraph(words["body"])]
        if s == 0:
            blocks += [
                KeyFigures(words["figures"]),
                Paragraph(words["warning"], "warning"),
                Paragraph(words["missing"], "missing"),
                PageBreak(),
                Heading(f"{words['section']} 1.1"),
                Bullets(words["bullets"]),
                Heading(f"{words['section']} 1.1.1", level=3),
                Paragraph(words["note"], "note"),
            ]
        for t in range(s * tables // sections, (s + 1) * tables // sections):
            blocks.append(_table(words, rows, t + 1))
        for f in range(s * figures // sections, (s + 1) * figures // sections):
            svg = chart_svg(words["chart"], words["years"], words["series"], [[60, 40, 20], [30, 60, 90 - f]])
            blocks.append(Figure(svg, f"{words['caption']} ({f + 1})"))
        drawn.append(Section(f"{s + 1}. {words['title']} {words['section']} {s + 1}", blocks))
    if hostile:
        drawn.append(hostile_section())
    return Content(
        title=words["title"],
        subtitle=words["subtitle"] + (" <b>&amp;" if hostile else ""),
        language=language,
        generated=words["generated"],
        sections=drawn,
        contents_label=words["contents"],
        page_label=words["page"],
    )


def hostile_section() -> Section:
    """Every hostile string in every block kind, the 100 kB string in a paragraph and a table cell."""
    blocks: list[Block] = []
    for text in HOSTILE:
        blocks += [
            Heading(text),
            Heading(text, level=3),
            Paragraph(text, "warning"),
            Bullets([text]),
            KeyFigures([(text, text)]),
            Figure(chart_svg(text, [text, "2027"], [text], [[50, 60]]), text),
        ]
    blocks += [
        Paragraph(LONG),
        Table(
            columns=list(HOSTILE),
            rows=[list(HOSTILE), [LONG] + [""] * (len(HOSTILE) - 1)],
            caption=HOSTILE[0],
            numeric=frozenset({1}),
            sheet="Hostile: [=1+1]?*/\\ a very long sheet name indeed",
            values=[[*HOSTILE[:-1], datetime.date(2026, 12, 7)], [LONG] + [None] * (len(HOSTILE) - 1)],
        ),
        Figure("<svg><not closed", "A figure that is not SVG"),
    ]
    return Section(HOSTILE[0] + " =1+1", blocks)
