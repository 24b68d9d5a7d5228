"""The benefits and the risk register in the feasibility section of the engagement file, exported through the
same models the import validates (lossless: every field a person can set, the usual benefit's or risk's code and
the order). A risk's owner is the person's position in the file's people. The check runs the models' own rules on
every row and refuses the section, naming the row, before anything is written."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import BenefitKey, Lens, RiskStatus
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.services.benefits import MAX_VALUE, validated
from certprep.people.models import Person

MAX_ROWS = 1000
TEXT = 20_000


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BenefitPart(_Part):
    code: str = Field("", max_length=30)
    title: str = Field(max_length=300)
    effect: str = Field("", max_length=TEXT)
    kpi: str = Field("", max_length=300)
    baseline: str = Field("", max_length=100)
    target: str = Field("", max_length=100)
    lenses: list[str] = Field(default_factory=list, max_length=len(Lens))
    value_per_year: str | None = Field(None, pattern=r"^\d{1,13}(\.\d{1,4})?$")
    first_year: int = 1


class RiskPart(_Part):
    code: str = Field("", max_length=40)
    title: str = Field(max_length=300)
    description: str = Field("", max_length=TEXT)
    likelihood: int = 3
    impact: int = 3
    owner: int | None = Field(None, description="The owner's position in the file's people.")
    countermeasure: str = Field("", max_length=TEXT)
    due: datetime.date | None = None
    status: str = RiskStatus.OPEN


class BenefitsSection(_Part):
    benefits: list[BenefitPart] = Field(default_factory=list, max_length=MAX_ROWS)
    risks: list[RiskPart] = Field(default_factory=list, max_length=MAX_ROWS)


def benefits_export(engagement: Engagement, *, people: dict[int, int]) -> dict[str, Any]:
    """people: a person's id -> their position in the file."""
    benefits = [
        BenefitPart(
            code=b.code,
            title=b.title,
            effect=b.effect,
            kpi=b.kpi,
            baseline=b.baseline,
            target=b.target,
            lenses=list(b.lenses),
            value_per_year=None if b.value_per_year is None else str(b.value_per_year),
            first_year=b.first_year,
        )
        for b in Benefit.objects.filter(engagement=engagement).order_by("position", "pk")
    ]
    risks = [
        RiskPart(
            code=r.code,
            title=r.title,
            description=r.description,
            likelihood=r.likelihood,
            impact=r.impact,
            owner=people.get(r.owner_id) if r.owner_id is not None else None,
            countermeasure=r.countermeasure,
            due=r.due,
            status=r.status,
        )
        for r in Risk.objects.filter(engagement=engagement).order_by("position", "pk")
    ]
    return BenefitsSection(benefits=benefits, risks=risks).model_dump(mode="json")


def _benefit(part: BenefitPart, engagement: Engagement | None, position: int) -> Benefit:
    value = None if part.value_per_year is None else Decimal(part.value_per_year)
    return Benefit(
        engagement=engagement,
        code=part.code,
        title=part.title,
        effect=part.effect,
        kpi=part.kpi,
        baseline=part.baseline,
        target=part.target,
        lenses=list(part.lenses),
        value_per_year=value,
        first_year=part.first_year,
        position=position,
    )


def _risk(part: RiskPart, engagement: Engagement | None, position: int, people: list[Person]) -> Risk:
    return Risk(
        engagement=engagement,
        code=part.code,
        title=part.title,
        description=part.description,
        likelihood=part.likelihood,
        impact=part.impact,
        owner=None if part.owner is None or not people else people[part.owner],
        countermeasure=part.countermeasure,
        due=part.due,
        status=part.status,
        position=position,
    )


def _refuse(kind: str, number: int, problem: str) -> ServiceError:
    return ServiceError(
        _("Feasibility section, %(kind)s %(n)s: %(problem)s") % {"kind": kind, "n": number, "problem": problem}
    )


def _check_benefit(part: BenefitPart, number: int) -> None:
    kind = _("benefit")
    if part.code and part.code not in BenefitKey.values:
        raise _refuse(kind, number, _("unknown usual benefit %(code)s.") % {"code": part.code})
    if any(lens not in Lens.values for lens in part.lenses):
        raise _refuse(kind, number, _("a lens is not one of the list."))
    if part.value_per_year is not None and Decimal(part.value_per_year) >= MAX_VALUE:
        raise _refuse(kind, number, _("the money value is too large."))
    try:
        validated(_benefit(part, None, number), exclude=("engagement", "position"))
    except ServiceError as exc:
        raise _refuse(kind, number, exc.message) from None


def _check_risk(part: RiskPart, number: int, people: int | None) -> None:
    kind = _("risk")
    if part.owner is not None and not (0 <= part.owner < (people or 0)):
        raise _refuse(kind, number, _("its owner is not one of the file's people."))
    try:
        validated(_risk(part, None, number, []), exclude=("engagement", "owner", "position"))
    except ServiceError as exc:
        raise _refuse(kind, number, exc.message) from None


def benefits_check(section: BenefitsSection, *, people: int | None) -> None:
    """Refuse a section that would not import, before anything is written (people: how many the file has)."""
    codes = [part.code for part in section.benefits if part.code]
    if len(codes) != len(set(codes)):
        raise ServiceError(_("Feasibility section: a usual benefit appears twice."))
    for number, benefit in enumerate(section.benefits, 1):
        _check_benefit(benefit, number)
    for number, risk in enumerate(section.risks, 1):
        _check_risk(risk, number, people)


def benefits_import(engagement: Engagement, section: BenefitsSection, *, people: list[Person]) -> None:
    """Write a checked section inside the engagement import's transaction."""
    Benefit.objects.bulk_create([_benefit(part, engagement, n) for n, part in enumerate(section.benefits)])
    Risk.objects.bulk_create([_risk(part, engagement, n, people) for n, part in enumerate(section.risks)])
