"""The vendors' report sections: the demo's ranking and 3-year totals are the comparison page's (a weighted score is
the sum of what each criterion adds, a total the sum of its years), the decision names who chose which body and
why; an engagement without vendors says so; user text comes out as typed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from certprep.core.documents import Bullets, Heading, KeyFigures, Paragraph, Table
from certprep.core.parts import engagement_parts
from certprep.engagements.models import Engagement
from certprep.planning.models import AuditBooking
from certprep.vendors.models import Decision, Vendor
from certprep.vendors.report import DOCUMENT, SECTIONS

pytestmark = pytest.mark.django_db
CHINESE = re.compile("[\u4e00-\u9fff]")
BUILD = {section.key: section.build for section in SECTIONS}


def _demo(client):
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    client.force_login(demo)
    return Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _tables(blocks):
    return [block for block in blocks if isinstance(block, Table)]


def test_the_demo_comparison_holds_the_pages_scores_and_totals(client):
    engagement = _demo(client)
    html = client.get(reverse("vendors:comparison", args=[engagement.pk]) + "?kind=certification_body").text
    blocks = BUILD["vendors.comparison"](engagement)
    ranking, totals = _tables(blocks)[:2]
    page_scores = re.findall(r'<td class="num total">([^<]+)</td>', html)
    weighted = ranking.rows[-1][1:]
    assert weighted == page_scores[-len(weighted) :]
    for column, total in enumerate(weighted, 1):
        # "4 (+0.80)": the weighted score is what the criteria add, to the ranking's two decimals.
        added = [Decimal(m) for row in ranking.rows[:-1] for m in re.findall(r"\(\+([0-9.]+)\)", row[column])]
        assert abs(sum(added) - Decimal(total)) <= Decimal("0.01") * len(added)
    assert ranking.columns[1] == "Huaxin Certification (recommended)"
    for text, values in zip(totals.rows, totals.values or [], strict=True):
        assert f">{text[5]}</td>" in html  # the page's total, written the same way
        assert sum(values[1:5]) == values[5]  # the 3-year total is its years
    notes = next(b for b in blocks if isinstance(b, Bullets)).items
    huaxin = next(note for note in notes if note.startswith("Huaxin Certification"))
    assert "certificate management fee: no" in huaxin
    assert "not included: certificate management fee" in huaxin


def test_the_demo_decision_says_who_chose_which_body_when_and_why(client):
    engagement = _demo(client)
    decision = Decision.objects.filter(engagement=engagement, kind="certification_body").first()
    with translation.override("zh-hans"):
        blocks = BUILD["vendors.decision"](engagement)
    figures = dict(next(block for block in blocks if isinstance(block, KeyFigures)).items)
    assert decision.vendor.name in figures.values()
    assert decision.decided_by_label in figures.values()
    assert any(isinstance(b, Paragraph) and decision.rationale in b.text for b in blocks)
    fits = _tables(blocks)[0]
    assert len(fits.rows) == AuditBooking.objects.filter(plan__engagement=engagement).count()
    assert "年" in fits.rows[0][1]  # dates in Chinese


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_engagement_without_vendors_says_so_in_every_section(engagement, language):
    for key, build in BUILD.items():
        with translation.override(language):
            blocks = build(engagement)
        assert language == "en" or CHINESE.search(blocks[0].text), key  # written in the reader's language
        assert len(blocks) == 1, key
        assert isinstance(blocks[0], Paragraph), key
        assert blocks[0].tone == "missing", key


def test_hostile_vendor_names_come_out_as_typed(engagement):
    hostile = '<img src=x onerror=alert(1)>=1+1 "Body" & Co'
    Vendor.objects.create(engagement=engagement, name=hostile, kind="certification_body")
    register = _tables(BUILD["vendors.register"](engagement))[0]
    assert register.rows[0][0] == hostile
    comparison = BUILD["vendors.comparison"](engagement)
    assert isinstance(comparison[0], Heading)
    assert _tables(comparison)[-1].rows[0][0] == hostile  # its 3-year cost row, no quote yet


def test_the_part_declares_the_tabular_vendor_comparison():
    part = next(p for p in engagement_parts() if p.key == "vendors")
    assert part.report_documents == (DOCUMENT,)
    assert DOCUMENT.tabular
    assert [s.key for s in part.report_sections] == list(DOCUMENT.sections)
