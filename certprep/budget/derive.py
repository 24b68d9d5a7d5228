"""The derived budget lines as a pure module (no database): what the plan's internal effort, the training of
everyone in scope, the size-driven audit estimate and the chosen tool option cost, line by line.

Each derived line has a key naming what it prices ("training", "internal:person:7", "certification:estimate:2"),
so recomputing finds the line again and changes it in place. Descriptions are worded by the service (in the
reader's language); this module gives the figures.

Internal effort of an assignment: a task with an effort in hours shares it among its people by their shares of
time (40 h, two people at 100 % and 50 %: 26.67 h and 13.33 h); a task without one takes duration x share x 8 h.
A person's days (hours / 8) are rounded half-up to the hundredth of a day once, on the person's line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from certprep.budget.audit_time import AuditDays
from certprep.vendors.rules import ScheduleItem

HOURS_PER_DAY = Decimal(8)
DAY_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Derived:
    """One derived line's figures. `what` and `params` let the service word its description."""

    key: str
    category: str
    cycle_year: int
    quantity: Decimal
    unit: str
    unit_price: Decimal
    currency: str
    what: str
    params: Mapping[str, object] = field(default_factory=dict)
    estimate: bool = False
    quote_id: int | None = None  # a line from a quote's 3-year schedule


@dataclass(frozen=True)
class AssignmentFact:
    task_id: int
    person_id: int
    person_name: str
    share: int  # per cent of the person's time
    duration_days: int
    effort_hours: int | None  # the task's whole effort, shared among its people


def person_hours(assignments: Sequence[AssignmentFact]) -> dict[int, Decimal]:
    """Hours of plan work per person (exact, not rounded)."""
    shares: dict[int, int] = defaultdict(int)
    for a in assignments:
        shares[a.task_id] += a.share
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for a in assignments:
        if a.effort_hours is not None:
            hours[a.person_id] += Decimal(a.effort_hours) * a.share / shares[a.task_id]
        else:
            hours[a.person_id] += Decimal(a.duration_days) * a.share / 100 * HOURS_PER_DAY
    return dict(hours)


def day_rate(
    person_id: int,
    roles: Sequence[str],
    *,
    person_rates: Mapping[str, str],
    role_rates: Mapping[str, str],
    default: Decimal,
) -> Decimal:
    """The person's own rate, else the highest rate of the roles they hold, else the default."""
    if str(person_id) in person_rates:
        return Decimal(person_rates[str(person_id)])
    held = [Decimal(role_rates[r]) for r in roles if r in role_rates]
    return max(held) if held else default


def internal_effort(
    assignments: Sequence[AssignmentFact],
    *,
    rates: Mapping[int, Decimal],
    currency: str,
) -> list[Derived]:
    """One line per person with plan work, in the initial year (the plan runs before the certificate)."""
    names = {a.person_id: a.person_name for a in assignments}
    lines = []
    for person_id, hours in sorted(person_hours(assignments).items()):
        days = (hours / HOURS_PER_DAY).quantize(DAY_PLACES, rounding=ROUND_HALF_UP)
        if days == 0:
            continue
        lines.append(
            Derived(
                key=f"internal:person:{person_id}",
                category="internal",
                cycle_year=0,
                quantity=days,
                unit="days",
                unit_price=rates.get(person_id, Decimal(0)),
                currency=currency,
                what="internal",
                params={"person": names[person_id], "hours": hours.quantize(DAY_PLACES, rounding=ROUND_HALF_UP)},
            )
        )
    return lines


def training(*, people: int, hours: Decimal, rate: Decimal, currency: str) -> list[Derived]:
    """Training of every person in scope: people x hours person-hours at the rate, in the initial year."""
    if people <= 0 or hours <= 0:
        return []
    return [
        Derived(
            key="training",
            category="training",
            cycle_year=0,
            quantity=people * hours,
            unit="person-hours",
            unit_price=rate,
            currency=currency,
            what="training",
            params={"people": people, "hours": hours},
        )
    ]


def certification_estimate(days: AuditDays, *, rate: Decimal, currency: str, source: str) -> list[Derived]:
    """Audit days of the size-driven estimate x the day rate entered: initial, two surveillances, recertification;
    labelled as estimates with the table's source."""
    per_year = [
        (0, days.initial, "initial"),
        (1, days.surveillance, "surveillance"),
        (2, days.surveillance, "surveillance"),
        (3, days.recertification, "recertification"),
    ]
    return [
        Derived(
            key=f"certification:estimate:{year}",
            category="certification",
            cycle_year=year,
            quantity=quantity,
            unit="audit days",
            unit_price=rate,
            currency=currency,
            what=f"estimate_{audit}",
            params={"source": source},
            estimate=True,
        )
        for year, quantity, audit in per_year
    ]


def tools(*, name: str, initial: Decimal, yearly: Decimal, currency: str) -> list[Derived]:
    """The chosen tool option: its initial cost in the initial year, its yearly cost in each later year."""
    lines = []
    if initial > 0:
        lines.append(Derived("tools:0", "tools", 0, Decimal(1), "", initial, currency, "tool_initial", {"name": name}))
    if yearly > 0:
        for year in (1, 2, 3):
            lines.append(
                Derived(f"tools:{year}", "tools", year, Decimal(1), "", yearly, currency, "tool_yearly", {"name": name})
            )
    return lines


def from_quote(
    items: Sequence[ScheduleItem], *, quote_id: int, vendor: str, category: str, currency: str
) -> list[Derived]:
    """The decided quote's 3-year schedule (certprep.vendors.rules, with the parts its check says it leaves out
    added as estimates) as lines: one per item, in the quote's currency."""
    return [
        Derived(
            key=f"quote:{quote_id}:{item.part}:{int(item.year)}",
            category=category,
            cycle_year=int(item.year),
            quantity=Decimal(1),  # the item's amount is already rounded once by the quote's schedule
            unit="",
            unit_price=item.amount,
            currency=currency,
            what="quote_part",
            params={
                "vendor": vendor,
                "part": str(item.part),
                "days": "" if item.days is None else str(item.days),
                "unpriced": "1" if item.unpriced else "",
            },
            estimate=item.estimated,
            quote_id=quote_id,
        )
        for item in items
    ]
