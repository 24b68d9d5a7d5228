"""The scheme's part: the demo's filled scheme, the feasibility section of the engagement file (a lossless round
trip through the real export and import; a bad section refused before anything is written), the approvable
figures, the report sections (texts and figures present; missing data said so) and the dashboard card."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from certprep.core.documents import Bullets, KeyFigures, PageBreak, Paragraph, Table
from certprep.core.errors import ServiceError
from certprep.core.parts import approvables, report_documents, report_sections
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.feasibility.approval import scheme_figures
from certprep.feasibility.models import Benefit, Rating, Recommendation, Risk
from certprep.feasibility.parts import _status
from certprep.feasibility.selectors.economics import economics_of
from certprep.feasibility.selectors.scheme import proposal_of
from certprep.feasibility.services.ratings import rating_update

pytestmark = pytest.mark.django_db

RATING_FIELDS = ("key", "area", "score", "rationale", "evidence", "weight", "version")


def _demo():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    return demo, Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _texts(blocks):
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.extend(block.items)
        elif isinstance(block, KeyFigures):
            out.extend(f"{label}: {value}" for label, value in block.items)
        elif isinstance(block, Table):
            out.extend(" | ".join(row) for row in block.rows)
    return "\n".join(out)


def _build(key, engagement, language="en"):
    with translation.override(language):
        return report_sections()[key].build(engagement)


def test_the_demo_has_every_aspect_rated_with_reasons_and_a_decision_on_the_proposal():
    _user, engagement = _demo()
    ratings = Rating.objects.filter(engagement=engagement)
    assert ratings.count() == 9
    assert all(r.score and r.rationale and r.evidence for r in ratings)
    decision = Recommendation.objects.get(engagement=engagement)
    assert decision.proposed == proposal_of(engagement).proposal.outcome
    assert decision.rationale
    # (3 + 4 + 3) x 2 + 5 + 4 + 3 + 4 + 3 + 4 = 43 over weights 12: 3.583... -> 3.58
    assert decision.inputs["score"] == "3.58"


def test_the_section_survives_a_round_trip_and_a_bad_one_is_refused_before_any_write():
    user, engagement = _demo()
    document = engagement_export(engagement)
    section = document["feasibility"]
    assert len(section["ratings"]) == 9
    assert section["recommendation"]["decided_by"] == "demo"
    copy_of = engagement_import(raw=json.dumps(document).encode(), actor=user)[0]

    def rows(e):
        return [
            {k: v for k, v in r.items() if k != "version"}
            for r in Rating.objects.filter(engagement=e).order_by("key").values(*RATING_FIELDS)
        ]

    assert rows(copy_of) == rows(engagement)
    a = Recommendation.objects.get(engagement=engagement)
    b = Recommendation.objects.get(engagement=copy_of)
    fields = ("proposed", "outcome", "conditions", "rationale", "inputs", "decided_by", "decided_at")
    assert [getattr(b, f) for f in fields] == [getattr(a, f) for f in fields]
    again = engagement_export(copy_of)["feasibility"]
    assert (again["ratings"], again["recommendation"]) == (section["ratings"], section["recommendation"])
    engagements = Engagement.objects.count()
    twice = copy.deepcopy(document)
    twice["feasibility"]["ratings"][1]["key"] = twice["feasibility"]["ratings"][0]["key"]
    overridden = copy.deepcopy(document)
    overridden["feasibility"]["recommendation"] |= {"proposed": "go", "outcome": "no_go", "rationale": " "}
    for bad, words in ((twice, "rated twice"), (overridden, "has no rationale")):
        with pytest.raises(ServiceError) as error:
            engagement_import(raw=json.dumps(bad).encode(), actor=user)
        assert words in error.value.message
    assert Engagement.objects.count() == engagements


def test_the_approval_figures_carry_ratings_weights_score_outcome_benefits_and_risks(engagement, owner):
    rating_update(engagement=engagement, actor=owner, key="technical", expected_version=1, score=4, weight="1.5")
    benefit = Benefit.objects.create(engagement=engagement, title="Fewer repeats", value_per_year=Decimal("1234.5"))
    risk = Risk.objects.create(engagement=engagement, title="Key person leaves", likelihood=3, impact=5)
    with CaptureQueriesContext(connection) as queries:
        figures = {f.key: f.value for f in scheme_figures(engagement)}
    assert len(queries) == 5
    assert figures["rating:technical"] == "4"
    assert figures["weight:technical"] == "1.50"
    assert figures["weight:itil_foundation"] == "2.00"
    assert figures["rating:social"] == ""
    assert figures["score"] == "4.00"
    assert figures["recommendation"] == ""
    assert figures[f"benefit:{benefit.pk}"] == "Fewer repeats: 1234.50 CNY"
    assert figures[f"risk:{risk.pk}"] == "Key person leaves: 3 x 5 = 15"
    assert [a.key for a in approvables()].count("feasibility") == 1


def test_the_report_sections_of_the_demo_carry_the_figures_of_the_page():
    _user, engagement = _demo()
    brief = _build("feasibility.brief", engagement)
    assert isinstance(brief[-1], PageBreak)
    text = _texts(brief)
    assert "Weighted feasibility score: 3.58" in text
    assert "Costs over the 3-year cycle: CN¥" in text
    assert "Approve the recommendation and this scheme." in text
    conditions = Recommendation.objects.get(engagement=engagement).conditions.splitlines()
    assert [b for b in brief if isinstance(b, Bullets)][-1].items == conditions  # each condition its own bullet
    assert "Stage 1 audit |" in text
    dimensions = _texts(_build("feasibility.dimensions", engagement))
    assert "Investment necessity | 5 | 1 |" in dimensions
    assert "= 3.58" in dimensions
    basis = _texts(_build("feasibility.basis", engagement))
    assert "ITIL adoption: Partial" in basis
    assert "(Gap analysis)" in basis
    recommendation = _texts(_build("feasibility.recommendation", engagement))
    assert "go from 3.50" in recommendation
    assert "Recorded by" in recommendation
    chinese = _texts(_build("feasibility.introduction", engagement, "zh-hans"))
    assert "ISO/IEC 20000-1" in chinese


def test_sections_of_an_empty_engagement_say_what_is_missing(engagement):
    brief = _build("feasibility.brief", engagement)
    missing = [b.text for b in brief if isinstance(b, Paragraph) and b.tone == "missing"]
    assert set(economics_of(engagement).missing) <= set(missing)  # the benefits half's words for it
    assert "There is no plan yet." in missing
    assert "Weighted feasibility score: nothing rated yet" in _texts(brief)
    recommendation = _build("feasibility.recommendation", engagement)
    missing = [b.text for b in recommendation if isinstance(b, Paragraph) and b.tone == "missing"]
    assert "No decision recorded yet." in missing
    assert "No maturity known yet, so no dates are proposed." in missing
    dimensions = _build("feasibility.dimensions", engagement)
    assert Paragraph("Nothing rated yet, so there is no score.", tone="missing") in dimensions
    basis = _texts(_build("feasibility.basis", engagement))
    assert "No gap analysis yet: readiness is unknown." in basis


def test_the_feasibility_document_lists_its_sections_in_order():
    [document] = [d for d in report_documents() if d.key == "feasibility"]
    assert document.sections[:4] == (
        "feasibility.brief",
        "feasibility.introduction",
        "feasibility.basis",
        "feasibility.benefits",
    )
    assert document.sections[-1] == "organization.approvals"
    assert document.tabular is False


def test_the_card_counts_ratings_in_two_queries_at_any_size(engagement, owner):
    for key in ("social", "technical"):
        rating_update(engagement=engagement, actor=owner, key=key, expected_version=1, score=3)
    with CaptureQueriesContext(connection) as queries:
        status = _status(engagement)
    assert len(queries) == 2
    assert (status["rated"], status["total"], status["score"], status["decided"]) == (2, 9, Decimal("3.00"), None)
