"""The gap analysis's report sections: the demo's readiness, clause figures, topics and checklist as the readiness,
topics and checklist pages show them (and as the readiness API gives them); a hand-rated assessment worked out by
hand; an engagement without an assessment says so; hostile text as typed."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from certprep.core.documents import Figure, KeyFigures, Paragraph, Table
from certprep.core.parts import engagement_parts
from certprep.engagements.models import Engagement
from certprep.gaps.models import DocumentItem, ImprovementTopic
from certprep.gaps.report import DOCUMENT, SECTIONS
from certprep.gaps.tests.factories import assessment, rate, rating
from certprep.people.tests.factories import person

pytestmark = pytest.mark.django_db
CHINESE = re.compile("[\u4e00-\u9fff]")
BUILD = {section.key: section.build for section in SECTIONS}
HOSTILE = "<script>alert('x')</script> =CMD() & Co"


def _whole(percent: float) -> Decimal:
    """A share in whole percent, half up, as the readiness page writes it."""
    return Decimal(str(percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _figures(blocks) -> dict[str, str]:
    return dict(next(b for b in blocks if isinstance(b, KeyFigures)).items)


def _table(blocks, sheet=""):
    return next(b for b in blocks if isinstance(b, Table) and (not sheet or b.sheet == sheet))


def test_the_demo_readiness_equals_the_pages_and_the_apis(client, api_token):
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    engagement = Engagement.objects.get(memberships__user=demo, memberships__role="owner")
    client.force_login(demo)
    html = client.get(reverse("gaps:dashboard", args=[engagement.pk])).text
    blocks = BUILD["gaps.readiness"](engagement)
    figures = _figures(blocks)
    overall = re.search(r'id="overall">([^<]+)<', html).group(1)
    coverage = re.search(r'id="coverage">([^<]+)<', html).group(1)
    assert figures["Overall readiness"] == overall
    assert figures["Coverage"].startswith(coverage)
    api = client.get(
        f"/api/v1/engagements/{engagement.pk}/gaps/readiness", HTTP_AUTHORIZATION=f"Bearer {api_token(demo)}"
    ).json()
    latest = api["assessments"][-1]
    assert overall == f"{_whole(latest['overall']['percent'])} %"
    assert figures["Coverage"] == (
        f"{_whole(latest['overall']['coverage'])} % ({latest['overall']['rated']} / {latest['overall']['total']})"
    )
    charts = [b for b in blocks if isinstance(b, Figure)]
    assert len(charts) == 5  # two radars, two heat maps, the trend
    for chart in charts:
        assert chart.svg in html  # the very pictures of the readiness page
    by_clause = _table(BUILD["gaps.by_clause"](engagement))
    for row, clause in zip(by_clause.rows, latest["by_clause"], strict=True):
        assert row[0].startswith(f"{clause['ref_id']} ")
        assert row[-1] == f"{_whole(clause['percent'])} % ({clause['rated']}/{clause['total']})"
    topics = _table(BUILD["gaps.topics"](engagement))
    assert len(topics.rows) == ImprovementTopic.objects.filter(engagement=engagement).count()
    assert topics.rows[0][0] == "High"
    documented = BUILD["gaps.documented"](engagement)
    assert len(_table(documented).rows) == DocumentItem.objects.filter(engagement=engagement).count()
    assert sum(int(n) for n in _figures(documented).values()) == len(_table(documented).rows)


def test_clause_4_read_by_hand_from_its_weights(engagement, owner, catalogue):
    # The catalogue weighs 4.1, 4.2 and 4.4 at 1 and the scope (4.3) at 2: five in all.
    baseline = assessment(engagement, owner, assessed_on=datetime.date(2027, 3, 1))
    rate(owner, baseline, "4.1", level=3)  # the compliance scale's top step: its target reached
    by_clause = _table(BUILD["gaps.by_clause"](engagement))
    assert by_clause.columns[1] == "Baseline 1 Mar 2027"
    assert by_clause.rows[0] == ["4 Context of the organization", "20 % (1/4)"]  # 1 of 5
    assert by_clause.rows[1][1].endswith("(0/4)")
    rate(owner, baseline, "4.3", level=3)
    by_clause = _table(BUILD["gaps.by_clause"](engagement))
    assert by_clause.rows[0][1] == "60 % (2/4)"  # (1 + 2) of 5
    assert by_clause.values[0][1] == Decimal(60)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_engagement_without_an_assessment_says_so(engagement, language):
    for key, build in BUILD.items():
        with translation.override(language):
            blocks = build(engagement)
        assert language == "en" or CHINESE.search(blocks[0].text), key  # written in the reader's language
        assert isinstance(blocks[0], Paragraph), key
        assert blocks[0].tone == "missing", key
    stage1 = BUILD["gaps.readiness"](engagement)[1]  # the stage 1 list stands without ratings
    assert isinstance(stage1, Table)
    assert {row[1] for row in stage1.rows} <= {"Yes", "No", "Unknown"}


def test_hostile_topic_titles_and_owners_come_out_as_typed(engagement, owner, catalogue):
    baseline = assessment(engagement, owner)
    rate(owner, baseline, "6.1", level=0)
    topic = ImprovementTopic.objects.create(
        engagement=engagement,
        title=HOSTILE,
        owner=person(engagement, HOSTILE),
        due_date=datetime.date(2027, 4, 6),
    )
    topic.ratings.add(rating(baseline, "6.1"))
    table = _table(BUILD["gaps.topics"](engagement))
    assert table.rows == [[table.rows[0][0], table.rows[0][1], HOSTILE, "6.1", HOSTILE, "6 Apr 2027", "Open"]]
    assert table.values[0][5] == datetime.date(2027, 4, 6)


def test_the_part_declares_the_tabular_gap_analysis():
    part = next(p for p in engagement_parts() if p.key == "gaps")
    assert part.report_documents == (DOCUMENT,)
    assert DOCUMENT.tabular
    assert [s.key for s in part.report_sections] == list(DOCUMENT.sections)


def _checklist_and_topics(engagement, baseline, count):
    for n in range(count):
        item = DocumentItem.objects.create(
            engagement=engagement, key=f"doc-{count}-{n}", name=f"Record {n}", clause="8.1", status="draft", order=n
        )
        item.requirements.add(rating(baseline, "8.1").requirement)
        topic = ImprovementTopic.objects.create(
            engagement=engagement, title=f"Topic {n}", owner=person(engagement, f"Owner {count}-{n}")
        )
        topic.ratings.add(rating(baseline, "8.1"))


@pytest.mark.parametrize("key", ["gaps.readiness", "gaps.by_clause", "gaps.topics", "gaps.documented"])
def test_the_sections_read_as_many_queries_at_3_and_at_30_items(engagement, owner, catalogue, key):
    baseline = assessment(engagement, owner)
    counts = []
    for count in (3, 30):
        _checklist_and_topics(engagement, baseline, count)
        with CaptureQueriesContext(connection) as queries:
            BUILD[key](engagement)
        counts.append(len(queries))
    assert counts[0] == counts[1]
