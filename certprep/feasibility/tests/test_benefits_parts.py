"""The benefits half in the engagement's parts: the demo's benefits and worked risk register, the benefits and
risks in the engagement file (a lossless round trip through the real export and import; a bad section refused
before anything is written), and the report sections' blocks in English and Chinese, missing data said plainly."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

from certprep.core.documents import Bullets, Figure, Heading, KeyFigures, Paragraph, Table
from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.report_benefits import SECTIONS, benefits_blocks, risks_blocks
from certprep.feasibility.services.benefits import benefit_create
from certprep.feasibility.services.risks import risk_create
from certprep.feasibility.tests.world_benefits import cost_line
from certprep.people.models import Person

pytestmark = pytest.mark.django_db
BENEFIT_FIELDS = ("code", "title", "effect", "kpi", "baseline", "target", "lenses", "value_per_year", "first_year")
RISK_FIELDS = ("code", "title", "description", "likelihood", "impact", "owner__name", "countermeasure", "due", "status")


def _demo():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    return demo, Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _texts(blocks):
    out = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            out.append(block.text)
        elif isinstance(block, Bullets):
            out.extend(block.items)
        elif isinstance(block, KeyFigures):
            out.extend(f"{label}: {value}" for label, value in block.items)
        elif isinstance(block, Table):
            out.extend(" | ".join(row) for row in block.rows)
    return "\n".join(out)


def test_the_demo_has_priced_benefits_and_a_worked_register_and_survives_a_round_trip():
    user, engagement = _demo()
    priced = Benefit.objects.filter(engagement=engagement, value_per_year__isnull=False)
    assert priced.count() == 5
    assert all(b.kpi and b.baseline and b.target for b in priced)
    risks = Risk.objects.filter(engagement=engagement)
    assert risks.count() >= 8
    assert all(r.owner_id and r.countermeasure and r.due for r in risks)
    assert risks.filter(status="closed").exists()

    document = engagement_export(engagement)
    section = document["feasibility"]["benefits"]
    assert len(section["benefits"]) == Benefit.objects.filter(engagement=engagement).count()
    copy_of = engagement_import(raw=json.dumps(document).encode(), actor=user)[0]

    def rows(model, e, fields):
        return list(model.objects.filter(engagement=e).order_by("position", "pk").values_list(*fields))

    assert rows(Benefit, copy_of, BENEFIT_FIELDS) == rows(Benefit, engagement, BENEFIT_FIELDS)
    assert rows(Risk, copy_of, RISK_FIELDS) == rows(Risk, engagement, RISK_FIELDS)
    assert all(
        r.owner.engagement_id == copy_of.pk for r in Risk.objects.filter(engagement=copy_of, owner__isnull=False)
    )
    assert engagement_export(copy_of)["feasibility"]["benefits"] == section


def test_a_bad_section_is_refused_before_anything_is_written(engagement, owner):
    person = Person.objects.create(engagement=engagement, name="Li Wei")
    benefit_create(engagement=engagement, actor=owner, title="Fewer outages", value_per_year=Decimal("1000.5"))
    risk_create(engagement=engagement, actor=owner, title="Key person", owner=person)
    document = engagement_export(engagement)
    people = len(document["people"]["people"]) if isinstance(document.get("people"), dict) else None
    owner_out_of_range = copy.deepcopy(document)
    owner_out_of_range["feasibility"]["benefits"]["risks"][0]["owner"] = 99
    zero = copy.deepcopy(document)
    zero["feasibility"]["benefits"]["risks"][0]["likelihood"] = 0
    lens = copy.deepcopy(document)
    lens["feasibility"]["benefits"]["benefits"][0]["lenses"] = ["joy"]
    engagements = Engagement.objects.count()
    for bad, words in (
        (owner_out_of_range, "risk 1: its owner is not one of the file's people"),
        (zero, "risk 1:"),
        (lens, "benefit 1: a lens is not one of the list"),
    ):
        with pytest.raises(ServiceError) as error:
            engagement_import(raw=json.dumps(bad).encode(), actor=owner)
        assert words in error.value.message
    assert Engagement.objects.count() == engagements
    assert people is None or people >= 1


def test_the_benefits_section_carries_the_pages_figures_and_says_what_is_missing(engagement, owner):
    empty = _texts(benefits_blocks(engagement))
    assert "No benefit has been recorded yet." in empty
    assert "The budget has no line yet" in empty
    cost_line(engagement, owner, year=0, amount="100000")
    for year in (1, 2, 3):
        cost_line(engagement, owner, year=year, amount="20000")
    benefit_create(engagement=engagement, actor=owner, title="<b>Fewer</b> outages", value_per_year=Decimal(50000))
    benefit_create(engagement=engagement, actor=owner, title="Faster", value_per_year=Decimal(30000), first_year=2)
    blocks = benefits_blocks(engagement)
    text = _texts(blocks)
    assert "<b>Fewer</b> outages | " in text  # plain text in the blocks: each renderer escapes it
    assert "Payback period: 2.17 years" in text
    assert "Net benefit: CN¥50,000.00" in text
    sensitivity = [b for b in blocks if isinstance(b, Table) and b.sheet == "Sensitivity"][0]
    assert [row[0] for row in sensitivity.rows] == ["As expected", "Benefits 30 % lower", "Costs 30 % higher", "Both"]
    benefits = [b for b in blocks if isinstance(b, Table) and b.sheet == "Benefits"][0]
    assert benefits.values[0][4] == Decimal(50000)  # a number in the workbook
    assert benefits.rows[0][4] == "CN¥50,000.00 (from year 1)"
    with translation.override("zh-hans"):
        chinese = _texts(benefits_blocks(engagement))
    assert "投资回收期" in chinese
    assert "¥50,000.00" in chinese


def test_the_risks_section_has_the_register_the_heat_map_and_the_schedule_input(engagement, owner):
    empty = _texts(risks_blocks(engagement))
    assert "No risk has been recorded yet." in empty
    assert "No schedule risk analysis has been run for the plan yet." in empty
    risk_create(engagement=engagement, actor=owner, title="Key <person>", likelihood=4, impact=4)
    risk_create(engagement=engagement, actor=owner, title="Closed one", likelihood=5, impact=5, status="closed")
    blocks = risks_blocks(engagement)
    text = _texts(blocks)
    assert "1 open risks, 1 of them high" in text
    assert "Key <person> | 16 (4 × 4) | no owner named" in text
    figure = next(b for b in blocks if isinstance(b, Figure))
    root = ElementTree.fromstring(figure.svg)
    counts = {
        (g.get("data-likelihood"), g.get("data-impact")): g.get("data-count")
        for g in root.iter("{http://www.w3.org/2000/svg}g")
    }
    assert counts[("4", "4")] == "1"
    assert counts[("5", "5")] == "0"  # the closed risk leaves the map
    assert [s.key for s in SECTIONS] == ["feasibility.benefits", "feasibility.risks"]
