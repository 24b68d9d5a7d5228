"""Reading the register and the comparison: each vendor with its flags and its latest quote's 3-year schedule,
the criteria and scores, the ranking and sensitivity among vendors of one kind, the latest decisions, and the
chosen certification body's availability against the plan's audit bookings. A fixed number of queries,
whatever the number of vendors, quotes and scores."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Prefetch

from certprep.engagements.models import Engagement
from certprep.planning.audit_words import audit_name
from certprep.planning.models import AuditBooking
from certprep.vendors import rules, selection
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import AvailabilityWindow, Criterion, Decision, Quote, Score, Vendor


def figures(quote: Quote) -> rules.QuoteFigures:
    return rules.QuoteFigures(**{name: getattr(quote, name) for name in rules.QuoteFigures.__dataclass_fields__})


def schedule_of(vendor: Vendor, quote: Quote) -> list[rules.ScheduleItem]:
    if vendor.kind == VendorKind.CONSULTANCY:
        return rules.consultancy_schedule(figures(quote))
    return rules.certification_schedule(figures(quote))


@dataclass
class VendorRow:
    vendor: Vendor
    quote: Quote | None  # the latest one received
    accreditation: list[rules.AccreditationFlag]
    check: list[tuple[rules.CheckQuestion, rules.Included]]
    items: list[rules.ScheduleItem] = field(default_factory=list)
    years: dict[rules.CycleYear, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    unpriced: bool = False

    @property
    def estimated(self) -> bool:
        return any(item.estimated for item in self.items)


def _row(vendor: Vendor, on: datetime.date) -> VendorRow:
    quotes: list[Quote] = list(vendor.quotes.all())
    quote = quotes[0] if quotes else None
    accreditation = (
        rules.accreditation_flags(
            rules.Accreditation(
                body=vendor.accreditation_body,
                number=vendor.accreditation_number,
                scope_covers_20000=vendor.scope_covers_20000,
                expires=vendor.accreditation_expires,
            ),
            on=on,
        )
        if vendor.kind == VendorKind.CERTIFICATION_BODY
        else []
    )
    row = VendorRow(vendor=vendor, quote=quote, accreditation=accreditation, check=[])
    if quote is not None:
        if vendor.kind == VendorKind.CERTIFICATION_BODY:
            row.check = rules.check_flags(figures(quote))
        row.items = schedule_of(vendor, quote)
        row.years = rules.year_totals(row.items)
        row.total = rules.cycle_total(row.items)
        row.unpriced = any(item.unpriced for item in row.items)
    return row


def register_rows(engagement: Engagement, *, on: datetime.date) -> list[VendorRow]:
    """Every vendor of the engagement with its flags and latest quote (two queries)."""
    vendors = Vendor.objects.filter(engagement=engagement).prefetch_related(
        Prefetch("quotes", queryset=Quote.objects.order_by("-received_on", "-pk"))
    )
    rows = []
    for vendor in vendors:
        vendor.engagement = engagement
        rows.append(_row(vendor, on))
    return rows


@dataclass
class Comparison:
    kind: str
    rows: list[VendorRow]
    criteria: list[Criterion]
    scores: dict[tuple[int, int], Score]
    ranking: selection.Ranking[int, int]
    sensitivity: list[selection.Sensitivity[int, int]]
    currencies: list[str]  # of the quotes compared; price is scored only when there is one
    decisions: dict[str, Decision]  # the latest per kind
    given: dict[tuple[int, int], Fraction | int] = field(default_factory=dict)  # scores, the price's included

    @property
    def price_scored(self) -> bool:
        return len(self.currencies) == 1

    def row_of(self, vendor_id: int) -> VendorRow:
        return next(row for row in self.rows if row.vendor.pk == vendor_id)


def latest_decisions(engagement: Engagement) -> dict[str, Decision]:
    latest: dict[str, Decision] = {}
    for decision in Decision.objects.filter(engagement=engagement).select_related("vendor", "quote", "decided_by"):
        latest.setdefault(decision.kind, decision)  # ordered newest first within each kind
    return latest


def comparison(engagement: Engagement, *, kind: str, on: datetime.date) -> Comparison:
    """The comparison of the vendors of one kind (a fixed number of queries)."""
    rows = [row for row in register_rows(engagement, on=on) if row.vendor.kind == kind]
    criteria = list(Criterion.objects.filter(engagement=engagement))
    scores = {
        (score.vendor_id, score.criterion_id): score
        for score in Score.objects.filter(vendor__engagement=engagement, vendor__kind=kind)
    }
    currencies = sorted({row.quote.currency for row in rows if row.quote is not None})
    given: dict[tuple[int, int], Fraction | int] = {key: score.score for key, score in scores.items()}
    price = next((criterion for criterion in criteria if criterion.is_price), None)
    if price is not None and len(currencies) == 1:
        totals = {row.vendor.pk: row.total for row in rows if row.total is not None}
        for vendor_id, points in selection.price_scores(totals).items():
            given[(vendor_id, price.pk)] = points
    weighted = [selection.WeightedCriterion(key=c.pk, weight=c.weight, is_price=c.is_price) for c in criteria]
    vendor_ids = [row.vendor.pk for row in rows]
    return Comparison(
        kind=kind,
        rows=rows,
        criteria=criteria,
        scores=scores,
        ranking=selection.rank(weighted, vendor_ids, given),
        sensitivity=selection.sensitivity(weighted, vendor_ids, given),
        currencies=currencies,
        decisions=latest_decisions(engagement),
        given=given,
    )


@dataclass(frozen=True)
class AuditFit:
    name: str
    date: datetime.date
    audit_days: int
    available: bool


def availability_against_audits(engagement: Engagement, vendor: Vendor) -> list[AuditFit]:
    """The plan's audit bookings, each with whether the vendor's availability windows cover it (two queries)."""
    windows = [(w.starts_on, w.ends_on) for w in AvailabilityWindow.objects.filter(vendor=vendor)]
    bookings = AuditBooking.objects.filter(plan__engagement=engagement).order_by("date", "pk")
    return [
        AuditFit(
            name=audit_name(booking.kind, booking.batch),
            date=booking.date,
            audit_days=booking.audit_days,
            available=rules.within_a_window(booking.date, booking.audit_days, windows),
        )
        for booking in bookings
    ]


@dataclass(frozen=True)
class RankingCell:
    score: str  # the score given, or the price's computed score; "" when not scored
    plus: str  # what it adds to the weighted score
    rationale: str
    missing: bool


@dataclass(frozen=True)
class RankingRow:
    vendor_id: int
    name: str
    recommended: bool
    total: str
    cells: list[RankingCell]


def ranking_rows(found: Comparison) -> list[RankingRow]:
    """The ranking as the page shows it, worked out once here rather than looked up cell by cell in the template."""
    names = {row.vendor.pk: row.vendor.name for row in found.rows}
    rows = []
    for place, standing in enumerate(found.ranking.standings):
        cells = []
        for criterion in found.criteria:
            score = found.scores.get((standing.vendor, criterion.pk))
            given = found.given.get((standing.vendor, criterion.pk))
            shown = str(score.score) if score else (str(selection.as_decimal(Fraction(given))) if given else "")
            cells.append(
                RankingCell(
                    score=shown,
                    plus=str(selection.as_decimal(standing.contributions[criterion.pk])),
                    rationale=score.rationale if score else "",
                    missing=criterion.pk in standing.missing,
                )
            )
        rows.append(
            RankingRow(
                vendor_id=standing.vendor,
                name=names[standing.vendor],
                recommended=place == 0 and not found.ranking.refused,
                total=str(selection.as_decimal(standing.total)),
                cells=cells,
            )
        )
    return rows
