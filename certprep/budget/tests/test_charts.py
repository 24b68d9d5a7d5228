"""The budget's SVG charts (pure): text escaped, no style attribute, role="img" with a title, bars in proportion."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

from certprep.budget import charts

D = Decimal
YEARS = ["Initial", "Surveillance 1", "Surveillance 2", "Recertification"]


def fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


def test_the_stacked_chart_escapes_text_and_stacks_in_proportion():
    series = [("<b>consulting</b>", [D(300), D(0), D(0), D(0)]), ("training & more", [D(100), D(100), D(0), D(0)])]
    svg = charts.stacked_svg("c1", "Cost <by> year", YEARS, series, fmt)
    root = ElementTree.fromstring(svg)  # well-formed: every text escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title"
    assert "style=" not in svg
    assert "<b>" not in svg
    assert "&lt;b&gt;consulting&lt;/b&gt;" in svg
    heights = [float(h) for h in re.findall(r'<rect class="bar s\d" [^>]*height="([\d.]+)"', svg)]
    # 300 and 100 in year 0 (the peak, 400 = the full 200 px), 100 in year 1.
    assert heights == [150.0, 50.0, 50.0]


def test_the_line_and_pair_charts_draw_one_point_or_two_bars_a_year():
    line = charts.line_svg("c2", "Cumulative", YEARS, [D(10), D(20), D(30), D(40)], fmt)
    assert line.count("<circle") == 4
    assert "40.00" in line
    pair = charts.pair_svg("c3", "Cash and effort", YEARS, [("cash", [D(1)] * 4), ("effort", [D(2)] * 4)], fmt)
    assert pair.count('class="bar p') == 8
    ElementTree.fromstring(pair)


def test_an_empty_budget_draws_flat_charts_without_dividing_by_zero():
    svg = charts.stacked_svg("c4", "Empty", YEARS, [("consulting", [D(0)] * 4)], fmt)
    assert 'class="bar' not in svg
