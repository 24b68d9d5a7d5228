"""The budget's SVG charts (pure): read back with xml.etree: a visible title, <title> and <desc>, a value axis of
4 to 6 round amounts written short in the reporting currency (en and zh), the years under the bars, a legend, text
escaped, no style attribute, bars in proportion to the axis."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.budget import charts
from certprep.budget.money import money_short_writer

D = Decimal
NS = {"svg": "http://www.w3.org/2000/svg"}
YEARS = ["Initial", "Surveillance 1", "Surveillance 2", "Recertification"]


def fmt(amount: Decimal) -> str:
    return f"{amount:.2f}"


def chart(title: str = "Cost <by> year", *, short=None, years=YEARS) -> charts.Chart:
    return charts.Chart("c1", title, "Initial 400.00, Surveillance 1 100.00", years, fmt, short or fmt)


def texts(root: ElementTree.Element, cls: str) -> list[str]:
    return [t.text or "" for t in root.iterfind(".//svg:text", NS) if cls in (t.get("class") or "").split()]


def bars(root: ElementTree.Element) -> list[float]:
    return [float(r.get("height", "0")) for r in root.iterfind(".//svg:rect", NS) if "bar" in (r.get("class") or "")]


def test_the_stacked_chart_has_title_desc_ticks_years_and_legend_and_escapes_text():
    series = [("<b>consulting</b>", [D(300), D(0), D(0), D(0)]), ("training & more", [D(100), D(100), D(0), D(0)])]
    svg = charts.stacked_svg(chart(), series)
    root = ElementTree.fromstring(svg)  # well-formed: every text escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title"
    assert root.find("svg:title", NS).text == "Cost <by> year"
    assert root.find("svg:desc", NS).text == "Initial 400.00, Surveillance 1 100.00"
    assert texts(root, "chart-title") == ["Cost <by> year"]  # visible, not only in the tooltip
    assert "style=" not in svg
    assert "<b>" not in svg
    # Peak 400: a fifth is 80, the smallest round step reaching it is 100, so 0 to 400 in 5 ticks.
    assert texts(root, "value") == ["0.00", "100.00", "200.00", "300.00", "400.00"]
    assert texts(root, "year") == YEARS
    assert texts(root, "legend") == ["<b>consulting</b>", "training & more"]
    # The plot area is 196 px high and the axis ends at 400: 300 -> 147, 100 -> 49.
    assert bars(root) == [147.0, 49.0, 49.0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["CN¥0", "CN¥25K", "CN¥50K", "CN¥75K", "CN¥100K", "CN¥125K"]),
        ("zh-hans", ["¥0", "¥2.5万", "¥5万", "¥7.5万", "¥10万", "¥12.5万"]),
    ],
)
def test_the_value_axis_writes_round_amounts_short_in_the_readers_language(language, expected):
    # Cumulative cash out reaching 123,456: a fifth is 24,691.2, the step is 25,000, the axis ends at 125,000.
    short = money_short_writer("CNY", language)
    values = [D(40000), D(70000), D(100000), D("123456.00")]
    root = ElementTree.fromstring(charts.line_svg(chart(short=short), "Cash out", values))
    assert texts(root, "value") == expected
    assert texts(root, "legend") == ["Cash out"]
    assert len(root.findall(".//svg:circle", NS)) == 4


def test_the_pair_chart_draws_two_bars_a_year_against_the_same_axis():
    pairs = [("cash", [D(1000)] * 4), ("effort", [D(2000), D(0), D(0), D(3000)])]
    root = ElementTree.fromstring(charts.pair_svg(chart(), pairs))
    # Peak 3,000: a fifth is 600, step 1,000, axis 0 to 3,000 (4 ticks).
    assert texts(root, "value") == ["0.00", "1000.00", "2000.00", "3000.00"]
    heights = bars(root)
    assert len(heights) == 8
    assert heights[:2] == [pytest.approx(196 / 3, abs=0.05), pytest.approx(196 * 2 / 3, abs=0.05)]
    assert heights[-1] == 196.0


def test_an_empty_budget_draws_an_axis_from_0_to_5_and_no_bars():
    root = ElementTree.fromstring(charts.stacked_svg(chart(), [("consulting", [D(0)] * 4)]))
    assert bars(root) == []
    assert texts(root, "value") == ["0.00", "1.00", "2.00", "3.00", "4.00", "5.00"]


@given(st.decimals(min_value=0, max_value=D(10) ** 15, places=2))
def test_any_peak_gets_4_to_6_round_ticks_that_reach_it(peak):
    ticks = charts.value_ticks(peak)
    assert 4 <= len(ticks) <= 6
    assert ticks[0] == 0
    assert ticks[-1] >= peak
    assert ticks[-2] < max(peak, charts.EMPTY_PEAK)  # no tick wasted above the peak
    step = ticks[1]
    assert step.normalize().as_tuple().digits in {(1,), (2,), (2, 5), (5,)}
