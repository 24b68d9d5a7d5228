"""The risk heat map's SVG (certprep.feasibility.heatmap): 25 cells coloured by level with their counts as
text, every text escaped, no style attribute, an accessible name; parsed back as XML."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from certprep.feasibility.heatmap import HeatWords, heat_map_svg, level

NS = {"svg": "http://www.w3.org/2000/svg"}
WORDS = HeatWords(
    title="Risks <b>&</b>",
    desc="2 high",
    likelihood="Likelihood",
    impact='Impact "quoted"',
    cell=lambda li, im, n: f"L{li} I{im}: {n} <risks>",
)


def test_levels_follow_the_score():
    assert (level(1, 1), level(2, 4), level(3, 4), level(3, 5), level(5, 5)) == (
        "low",
        "medium",
        "medium",
        "high",
        "high",
    )
    assert (level(2, 3), level(4, 2), level(1, 5)) == ("low", "medium", "low")  # 6, 8, 5


def test_the_map_has_25_cells_with_counts_and_escaped_texts():
    svg = heat_map_svg({(5, 4): 2, (1, 1): 1}, WORDS)
    root = ElementTree.fromstring(svg)  # well-formed: every text escaped
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Risks <b>&</b>"
    cells = root.findall("svg:g", NS)
    assert len(cells) == 25
    counted = {(c.get("data-likelihood"), c.get("data-impact")): c.get("data-count") for c in cells}
    assert counted[("5", "4")] == "2"
    assert counted[("1", "1")] == "1"
    assert counted[("3", "3")] == "0"
    high = next(c for c in cells if (c.get("data-likelihood"), c.get("data-impact")) == ("5", "4"))
    assert "high" in high.get("class")
    assert [t.text for t in high.findall("svg:text", NS)] == ["2"]  # the count is written, not only coloured
    assert high.find("svg:title", NS).text == "L5 I4: 2 <risks>"
    assert "style=" not in svg
    assert "<b>" not in svg
    assert "&lt;risks&gt;" in svg


def test_a_cell_outside_the_grid_is_refused():
    with pytest.raises(ValueError, match="no cell"):
        heat_map_svg({(0, 3): 1}, WORDS)
