"""The budget's report sections: the demo's figures are the budget page's, worked out again by hand from the
lines; an engagement without a budget says so; user text comes out as typed; the sections read the same number
of queries at 10 and at 60 lines."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from certprep.budget.models import BudgetLine, BudgetSettings
from certprep.budget.report import DOCUMENT, SECTIONS
from certprep.core.documents import Figure, KeyFigures, Paragraph, Table
from certprep.core.parts import engagement_parts
from certprep.core.wording import in_parentheses
from certprep.engagements.models import Engagement
from certprep.engagements.tests.factories import EngagementFactory

pytestmark = pytest.mark.django_db
CHINESE = re.compile("[\u4e00-\u9fff]")
BUILD = {section.key: section.build for section in SECTIONS}


def _demo(client):
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    client.force_login(demo)
    return Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _cell(html: str, ident: str) -> str:
    found = re.search(rf'id="{ident}">([^<]*)<', html)
    assert found, ident
    return found.group(1)


def _one(blocks, kind):
    found = [block for block in blocks if isinstance(block, kind)]
    assert len(found) == 1, blocks
    return found[0]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_demo_budget_summary_shows_the_pages_totals_worked_out_again_from_the_lines(client, language):
    engagement = _demo(client)
    client.cookies["django_language"] = language
    html = client.get(reverse("budget:overview", args=[engagement.pk])).text
    with translation.override(language):
        summary = BUILD["budget.summary"](engagement)
        lines = BUILD["budget.lines"](engagement)
        superseded = in_parentheses(gettext("superseded by a typed line"))
    figures = dict(_one(summary, KeyFigures).items)
    assert list(figures.values())[0] == _cell(html, "cash-total")
    assert list(figures.values())[1] == _cell(html, "internal-total")
    table = _one(summary, Table)
    assert table.rows[-2][-1] == _cell(html, "cash-total")
    # By hand from every line: a line counts once (not superseded), cash out is every category but internal effort.
    rows = _one(lines, Table).values
    assert len(rows) == BudgetLine.objects.filter(engagement=engagement).count()
    internal_label = table.rows[-1][0]
    counted = [row for row in rows if row[8] is not None and not str(row[2]).endswith(superseded)]
    cash = sum((row[8] for row in counted if row[0] != internal_label), Decimal(0))
    internal = sum((row[8] for row in counted if row[0] == internal_label), Decimal(0))
    assert cash > 0
    assert internal > 0
    assert table.values[-2][-1] == cash
    assert table.values[-1][-1] == internal
    # The 3-year total is the sum of the categories' totals, and each category's the sum of its years.
    assert sum(row[-1] for row in table.values[:-2]) == cash
    assert all(sum(row[1:5]) == row[5] for row in table.values)


def test_the_charts_are_the_pages_three_svg_pictures_with_their_figures_in_words(client):
    engagement = _demo(client)
    html = client.get(reverse("budget:overview", args=[engagement.pk])).text
    blocks = BUILD["budget.charts"](engagement)
    assert [type(block) for block in blocks] == [Figure, Figure, Figure]
    for figure in blocks:
        assert figure.svg.startswith("<svg")
        assert 'role="img"' in figure.svg
        assert figure.svg in html  # the very picture the page shows
    cash_total = _cell(html, "cash-total")
    assert cash_total in blocks[1].caption  # the cumulative line ends on the 3-year cash out


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_engagement_without_a_budget_says_so_in_every_section(engagement, language):
    for key, build in BUILD.items():
        with translation.override(language):
            blocks = build(engagement)
        assert language == "en" or CHINESE.search(blocks[0].text), key  # written in the reader's language
        assert len(blocks) == 1, key
        assert isinstance(blocks[0], Paragraph), key
        assert blocks[0].tone == "missing", key


def test_the_warnings_name_the_missing_training_and_a_missing_rate(engagement):
    BudgetLine.objects.create(
        engagement=engagement, category="consulting", description="Gap review", unit_price=Decimal(1000), currency="CNY"
    )
    BudgetLine.objects.create(
        engagement=engagement, category="material", description="Posters", unit_price=Decimal(50), currency="EUR"
    )
    blocks = BUILD["budget.summary"](engagement)
    warnings = [block.text for block in blocks if isinstance(block, Paragraph) and block.tone == "warning"]
    assert any(text.startswith("No training line.") for text in warnings)
    assert any("EUR" in text and "CNY" in text for text in warnings)
    figures = dict(_one(blocks, KeyFigures).items)
    assert figures["Cash out over the 3-year cycle"] == "CN¥1,000.00"  # the EUR line counts nowhere without a rate
    lines = _one(BUILD["budget.lines"](engagement), Table)
    posters = next(row for row in lines.rows if row[2] == "Posters")
    assert posters[7] == "€50.00"
    assert posters[8] == "no rate"


def test_a_section_recomputes_the_derived_lines_as_the_page_does(engagement):
    # Nobody opened the budget page since the training inputs were entered: 40 people x 4 h x CN¥50 = CN¥8,000.
    engagement.profile.people_in_scope = 40
    engagement.profile.save()
    BudgetSettings.objects.create(
        engagement=engagement, training_hours=Decimal(4), training_rate=Decimal(50), reporting_currency="CNY"
    )
    blocks = BUILD["budget.summary"](engagement)
    assert dict(_one(blocks, KeyFigures).items)["Cash out over the 3-year cycle"] == "CN¥8,000.00"
    assert not [b for b in blocks if isinstance(b, Paragraph) and b.tone == "warning"]
    lines = _one(BUILD["budget.lines"](engagement), Table)
    assert [row for row in lines.rows if row[0] == "Training"] == [
        [
            "Training",
            "Initial certification year",
            "Training of all 40 people in scope, 4 h each",
            "160",
            "person-hours",
            "50",
            "CNY",
            "CN¥8,000.00",
            "CN¥8,000.00",
            "derived",
        ]
    ]


def test_hostile_descriptions_come_out_as_typed(engagement):
    hostile = '<script>alert(1)</script>=HYPERLINK("http://x")\u0007'
    BudgetLine.objects.create(
        engagement=engagement, category="training", description=hostile, unit_price=Decimal(10), currency="CNY"
    )
    table = _one(BUILD["budget.lines"](engagement), Table)
    assert table.rows[0][2] == hostile
    assert table.values is not None
    assert table.values[0][2] == hostile


def _lines(engagement, count):
    BudgetLine.objects.bulk_create(
        BudgetLine(
            engagement=engagement,
            category=["consulting", "training", "material", "tools"][n % 4],
            cycle_year=n % 4,
            description=f"Line {n}",
            quantity=Decimal(n + 1),
            unit_price=Decimal("12.50"),
            currency="EUR" if n % 5 == 0 else "CNY",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("key", ["budget.summary", "budget.lines", "budget.charts"])
def test_the_sections_read_as_many_queries_at_10_and_at_60_lines(engagement, owner, key):
    other = EngagementFactory(owner=owner, name="Bigger")
    _lines(engagement, 10)
    _lines(other, 60)
    counts = []
    for each in (engagement, other):
        with CaptureQueriesContext(connection) as queries:
            BUILD[key](each)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_part_declares_the_tabular_budget_document_of_its_sections():
    part = next(p for p in engagement_parts() if p.key == "budget")
    assert part.report_documents == (DOCUMENT,)
    assert DOCUMENT.tabular
    assert list(DOCUMENT.sections) == ["budget.summary", "budget.charts", "budget.lines"]
    assert [s.key for s in part.report_sections] == list(DOCUMENT.sections)
