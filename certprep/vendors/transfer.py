"""The vendors' section of the engagement file: vendors with their auditors, availability windows and quotes,
the criteria, the scores and the decisions, exported through the same part models the import validates.

Vendors, criteria and a vendor's quotes are referred to by their position in the section's lists. Amounts
travel as decimal strings (never floats), so the round trip is exact. The check refuses an inconsistent
section before anything is written; the import then writes it inside the engagement import's transaction."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice
from certprep.engagements.models import Engagement
from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.criteria import CODES
from certprep.vendors.currency import currency_codes
from certprep.vendors.models import Auditor, AvailabilityWindow, Criterion, Decision, Quote, Score, Vendor
from certprep.vendors.services.register import AUDITOR_FIELDS, QUOTE_FIELDS, VENDOR_FIELDS, WINDOW_FIELDS

Money = Annotated[Decimal, Field(ge=0, le=10**12, max_digits=16, decimal_places=3)]
DayCount = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=1)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuditorPart(_Part):
    name: str = Field(min_length=1, max_length=200)
    sector_experience: str = Field("", max_length=300)
    languages: str = Field("", max_length=200)
    competence_notes: str = Field("", max_length=20_000)


class WindowPart(_Part):
    starts_on: datetime.date
    ends_on: datetime.date
    note: str = Field("", max_length=300)


class QuotePart(_Part):
    received_on: datetime.date
    valid_until: datetime.date | None = None
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    day_rate: Money = Decimal(0)
    stage1_days: DayCount = Decimal(0)
    stage2_days: DayCount = Decimal(0)
    surveillance1_days: DayCount = Decimal(0)
    surveillance2_days: DayCount = Decimal(0)
    recertification_days: DayCount = Decimal(0)
    travel_per_audit: Money = Decimal(0)
    application_fee: Money = Decimal(0)
    certificate_fee_per_year: Money = Decimal(0)
    consulting_fixed_fee: Money = Decimal(0)
    consulting_days: DayCount = Decimal(0)
    notes: str = Field("", max_length=20_000)
    includes_surveillance: Choice[Answer] = Answer.UNKNOWN
    includes_recertification: Choice[Answer] = Answer.UNKNOWN
    includes_certificate_fee: Choice[Answer] = Answer.UNKNOWN
    includes_travel: Choice[Answer] = Answer.UNKNOWN


class VendorPart(_Part):
    kind: Choice[VendorKind]
    name: str = Field(min_length=1, max_length=200)
    website: str = Field("", max_length=300)
    contacts: str = Field("", max_length=20_000)
    references: str = Field("", max_length=20_000)
    notes: str = Field("", max_length=20_000)
    accreditation_body: str = Field("", max_length=200)
    scope_covers_20000: Choice[Answer] = Answer.UNKNOWN
    accreditation_number: str = Field("", max_length=100)
    accreditation_expires: datetime.date | None = None
    auditors: list[AuditorPart] = Field(default_factory=list, max_length=500)
    availability: list[WindowPart] = Field(default_factory=list, max_length=500)
    quotes: list[QuotePart] = Field(default_factory=list, max_length=500)


class CriterionPart(_Part):
    name: str = Field(min_length=1, max_length=200)
    code: str = Field("", max_length=20, description="Which default criterion it is; blank for one a user made.")
    weight: int = Field(ge=0, le=100)
    order: int = Field(0, ge=0)
    is_price: bool = False


class ScorePart(_Part):
    vendor: int = Field(ge=0, description="Position in the section's vendors.")
    criterion: int = Field(ge=0, description="Position in the section's criteria.")
    score: int = Field(ge=1, le=5)
    rationale: str = Field("", max_length=20_000)


class DecisionPart(_Part):
    kind: Choice[VendorKind]
    vendor: int = Field(ge=0, description="Position in the section's vendors.")
    quote: int | None = Field(None, ge=0, description="Position among that vendor's quotes.")
    decided_by: str = Field("", max_length=150, description="The user name of who decided, when known.")
    decided_by_label: str = Field("", max_length=150)
    decided_at: datetime.datetime
    rationale: str = Field(min_length=1, max_length=20_000)


class VendorsPart(_Part):
    vendors: list[VendorPart] = Field(default_factory=list, max_length=1000)
    criteria: list[CriterionPart] = Field(default_factory=list, max_length=100)
    scores: list[ScorePart] = Field(default_factory=list, max_length=100_000)
    decisions: list[DecisionPart] = Field(default_factory=list, max_length=1000)


def vendors_export(engagement: Engagement) -> dict[str, Any]:
    """The section as JSON-ready data (a fixed number of queries)."""
    vendors = list(
        Vendor.objects.filter(engagement=engagement)
        .order_by("pk")
        .prefetch_related("auditors", "availability", "quotes")
    )
    criteria = list(Criterion.objects.filter(engagement=engagement).order_by("pk"))
    vendor_at = {v.pk: n for n, v in enumerate(vendors)}
    criterion_at = {c.pk: n for n, c in enumerate(criteria)}
    quotes_of = {v.pk: sorted(v.quotes.all(), key=lambda q: q.pk) for v in vendors}
    quote_at = {q.pk: n for quotes in quotes_of.values() for n, q in enumerate(quotes)}
    part = VendorsPart(
        vendors=[
            VendorPart(
                **{name: getattr(v, name) for name in VENDOR_FIELDS},
                auditors=[AuditorPart(**{f: getattr(a, f) for f in AUDITOR_FIELDS}) for a in v.auditors.all()],
                availability=[WindowPart(**{f: getattr(w, f) for f in WINDOW_FIELDS}) for w in v.availability.all()],
                quotes=[QuotePart(**{f: getattr(q, f) for f in QUOTE_FIELDS}) for q in quotes_of[v.pk]],
            )
            for v in vendors
        ],
        criteria=[
            CriterionPart(name=c.name, code=c.code, weight=c.weight, order=c.order, is_price=c.is_price)
            for c in criteria
        ],
        scores=[
            ScorePart(
                vendor=vendor_at[s.vendor_id],
                criterion=criterion_at[s.criterion_id],
                score=s.score,
                rationale=s.rationale,
            )
            for s in Score.objects.filter(vendor__engagement=engagement).order_by("pk")
        ],
        decisions=[
            DecisionPart(
                kind=VendorKind(d.kind),
                vendor=vendor_at[d.vendor_id],
                quote=quote_at.get(d.quote_id) if d.quote_id else None,
                decided_by=d.decided_by.get_username() if d.decided_by else "",
                decided_by_label=d.decided_by_label,
                decided_at=d.decided_at,
                rationale=d.rationale,
            )
            for d in Decision.objects.filter(engagement=engagement).select_related("decided_by").order_by("pk")
        ],
    )
    return part.model_dump(mode="json")


def _refused(message: str) -> ServiceError:
    return ServiceError(_("Vendors section: %(problem)s") % {"problem": message})


def _check_vendors(part: VendorsPart) -> None:
    names = [v.name.strip().casefold() for v in part.vendors]
    if len(set(names)) != len(names):
        raise _refused(_("a vendor's name is used twice."))
    for n, vendor in enumerate(part.vendors, start=1):
        if any(w.ends_on < w.starts_on for w in vendor.availability):
            raise _refused(_("vendor %(n)s has an availability window that ends before it starts.") % {"n": n})
        for quote in vendor.quotes:
            if quote.currency not in currency_codes():
                raise _refused(_("vendor %(n)s has a quote in an unknown currency.") % {"n": n})
            if quote.valid_until is not None and quote.valid_until < quote.received_on:
                raise _refused(_("vendor %(n)s has a quote that expires before it was received.") % {"n": n})


def vendors_check(part: VendorsPart) -> None:
    """Refuse a section that does not hold together, before anything is written."""
    _check_vendors(part)
    criteria = [c.name.strip().casefold() for c in part.criteria]
    if len(set(criteria)) != len(criteria):
        raise _refused(_("two criteria have the same name."))
    if sum(c.is_price for c in part.criteria) > 1:
        raise _refused(_("more than one criterion is the price."))
    if any(c.code and c.code not in CODES for c in part.criteria):
        raise _refused(_("a criterion names a default criterion that does not exist."))
    pairs = set()
    for score in part.scores:
        if score.vendor >= len(part.vendors) or score.criterion >= len(part.criteria):
            raise _refused(_("a score names a vendor or criterion the section does not have."))
        if part.criteria[score.criterion].is_price:
            raise _refused(_("a score is given on the price criterion, which is scored from the quotes."))
        if (score.vendor, score.criterion) in pairs:
            raise _refused(_("two scores for the same vendor and criterion."))
        pairs.add((score.vendor, score.criterion))
    for decision in part.decisions:
        if decision.vendor >= len(part.vendors) or part.vendors[decision.vendor].kind != decision.kind:
            raise _refused(_("a decision names a vendor the section does not have, or one of another kind."))
        if decision.quote is not None and decision.quote >= len(part.vendors[decision.vendor].quotes):
            raise _refused(_("a decision names a quote its vendor does not have."))


def vendors_import(*, engagement: Engagement, part: VendorsPart, members: Collection[str]) -> None:
    """Write a checked section into the new engagement (who decided is matched among the members by user name)."""
    vendors: list[Vendor] = []
    quotes: list[list[Quote]] = []
    for v in part.vendors:
        vendor = Vendor.objects.create(engagement=engagement, **v.model_dump(include=set(VENDOR_FIELDS)))
        vendors.append(vendor)
        Auditor.objects.bulk_create(Auditor(vendor=vendor, **a.model_dump()) for a in v.auditors)
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(vendor=vendor, **w.model_dump()) for w in v.availability
        )
        quotes.append(
            Quote.objects.bulk_create(Quote(engagement=engagement, vendor=vendor, **q.model_dump()) for q in v.quotes)
        )
    criteria = Criterion.objects.bulk_create(Criterion(engagement=engagement, **c.model_dump()) for c in part.criteria)
    Score.objects.bulk_create(
        Score(vendor=vendors[s.vendor], criterion=criteria[s.criterion], score=s.score, rationale=s.rationale)
        for s in part.scores
    )
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=list(members))}
    Decision.objects.bulk_create(
        Decision(
            engagement=engagement,
            kind=d.kind,
            vendor=vendors[d.vendor],
            quote=quotes[d.vendor][d.quote] if d.quote is not None else None,
            decided_by=users.get(d.decided_by) if d.decided_by in members else None,
            decided_by_label=d.decided_by_label,
            decided_at=d.decided_at,
            rationale=d.rationale,
        )
        for d in part.decisions
    )
