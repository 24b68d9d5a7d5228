"""The benefits' and the risk register's services: versioned writes (a stale version refused), the audit trail,
the usual benefits and risks seeded once in the reader's language and shown translated while unchanged, and
reordering."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import BenefitKey, RiskStatus
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.selectors.economics import benefit_rows
from certprep.feasibility.selectors.risks import risk_rows, risk_summary
from certprep.feasibility.services.benefits import (
    benefit_create,
    benefit_delete,
    benefit_move,
    benefit_update,
    benefits_seed,
)
from certprep.feasibility.services.risks import risk_create, risk_update, risks_seed
from certprep.people.models import Person

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


def test_a_benefit_is_added_changed_and_removed_with_its_version_and_audit_trail(engagement, owner):
    benefit = benefit_create(
        engagement=engagement,
        actor=owner,
        title=" Fewer repeat incidents ",
        kpi="Repeat incidents per month",
        lenses=["workload", "efficiency"],
        value_per_year=Decimal("120000.50"),
        first_year=2,
    )
    assert benefit.title == "Fewer repeat incidents"
    assert benefit.lenses == ["efficiency", "workload"]  # in the list's order
    benefit_update(benefit=benefit, actor=owner, expected_version=1, value_per_year=None, target="2 a month")
    stored = Benefit.objects.get(pk=benefit.pk)
    assert (stored.value_per_year, stored.target, stored.version) == (None, "2 a month", 2)
    with pytest.raises(ConflictError):
        benefit_update(benefit=stored, actor=owner, expected_version=1, title="Stale")
    assert Benefit.objects.get(pk=benefit.pk).title == "Fewer repeat incidents"
    with pytest.raises(ConflictError):
        benefit_delete(benefit=stored, actor=owner, expected_version=1)
    assert benefit_delete(benefit=stored, actor=owner, expected_version=2)
    assert not Benefit.objects.filter(pk=benefit.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="feasibility.benefit", object_id=str(benefit.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]
    update = AuditEntry.objects.get(object_type="feasibility.benefit", action="update")
    assert update.changes["value_per_year"] == ["120000.50", None]


def test_a_benefit_refuses_an_unknown_lens_a_negative_value_and_a_fourth_year(engagement, owner):
    with pytest.raises(ServiceError) as lens:
        benefit_create(engagement=engagement, actor=owner, title="x", lenses=["happiness"])
    assert lens.value.field == "lenses"
    with pytest.raises(ServiceError) as value:
        benefit_create(engagement=engagement, actor=owner, title="x", value_per_year=Decimal(-1))
    assert value.value.field == "value_per_year"
    with pytest.raises(ServiceError) as year:
        benefit_create(engagement=engagement, actor=owner, title="x", first_year=4)
    assert year.value.field == "first_year"
    assert not Benefit.objects.filter(engagement=engagement).exists()


def test_the_usual_benefits_are_seeded_once_in_the_readers_language_and_shown_translated_until_changed(
    engagement, owner
):
    with translation.override("zh-hans"):
        made = benefits_seed(engagement=engagement, actor=owner)
    assert len(made) == len(BenefitKey)
    first = Benefit.objects.get(engagement=engagement, code=BenefitKey.CONTINUAL_IMPROVEMENT)
    assert first.title == "服务的持续改进"
    assert benefits_seed(engagement=engagement, actor=owner) == []  # nothing twice
    rows = benefit_rows(engagement)
    assert rows[0].title == "continual improvement of the services"  # the English reader sees English
    benefit_update(benefit=first, actor=owner, expected_version=1, title="我们自己的标题")
    assert benefit_rows(engagement)[0].title == "我们自己的标题"  # their own words, as written


def test_moving_a_benefit_swaps_it_with_its_neighbour(engagement, owner):
    a, b, c = (benefit_create(engagement=engagement, actor=owner, title=t) for t in "abc")
    benefit_move(benefit=c, actor=owner, expected_version=1, step=-1)
    assert [r.benefit.title for r in benefit_rows(engagement)] == ["a", "c", "b"]
    benefit_move(benefit=a, actor=owner, expected_version=1, step=-1)  # first already: stays
    assert [r.benefit.title for r in benefit_rows(engagement)] == ["a", "c", "b"]
    with pytest.raises(ConflictError):
        benefit_move(benefit=Benefit.objects.get(pk=c.pk), actor=owner, expected_version=1, step=1)


def test_a_risk_owner_must_be_a_person_of_the_engagement(engagement, owner):
    other = Engagement.objects.create(name="Other")
    stranger = Person.objects.create(engagement=other, name="Stranger")
    with pytest.raises(ServiceError) as refused:
        risk_create(engagement=engagement, actor=owner, title="x", owner=stranger)
    assert refused.value.field == "owner"
    ours = Person.objects.create(engagement=engagement, name="Li Wei")
    risk = risk_create(engagement=engagement, actor=owner, title="x", owner=ours, likelihood=5, impact=4)
    risk_update(risk=risk, actor=owner, expected_version=1, owner=None)
    assert Risk.objects.get(pk=risk.pk).owner is None
    with pytest.raises(ServiceError) as zero:
        risk_create(engagement=engagement, actor=owner, title="y", likelihood=0)
    assert zero.value.field == "likelihood"


def test_the_usual_risks_include_the_eight_of_the_brief_and_the_summary_counts_open_high_ones(engagement, owner):
    made = risks_seed(engagement=engagement, actor=owner)
    codes = {r.code for r in made}
    assert {
        "weak_commitment",
        "key_person",
        "trial_workload",
        "audit_slot",
        "scope_creep",
        "paper_system",
        "consultant_dependency",
        "budget_cut",
    } <= codes
    assert risks_seed(engagement=engagement, actor=owner) == []
    # Shipped scores: weak commitment 3x5=15 and paper system 4x4=16 are high; the others below 15.
    summary = risk_summary(engagement)
    assert (summary.open_high, summary.open_total, summary.schedule_probability) == (2, 8, None)
    paper = Risk.objects.get(engagement=engagement, code="paper_system")
    risk_update(risk=paper, actor=owner, expected_version=1, status=RiskStatus.CLOSED)
    assert (risk_summary(engagement).open_high, risk_summary(engagement).open_total) == (1, 7)


def test_an_overdue_countermeasure_is_flagged_until_the_risk_is_closed(engagement, owner):
    late = risk_create(engagement=engagement, actor=owner, title="late", due=datetime.date(2026, 12, 6))
    risk_create(engagement=engagement, actor=owner, title="today", due=TODAY)
    rows = {row.risk.title: row for row in risk_rows(engagement, today=TODAY)}
    assert rows["late"].overdue
    assert not rows["today"].overdue
    risk_update(risk=late, actor=owner, expected_version=1, status=RiskStatus.CLOSED)
    assert not {r.risk.title: r for r in risk_rows(engagement, today=TODAY)}["late"].overdue
