"""The size-driven estimate of certification audit days, before any quote exists (pure: no Django).

Initial audit days (stage 1 + stage 2) come from a banded table of people doing work under the SMS (shipped in
data/audit_time.yaml with its source and labelled as an estimate, editable per engagement). Adjustment factors
move it both ways: their reductions together take off at most `max_reduction_percent` (30 %) of the table time,
increases are not capped. Surveillance and recertification take a share of the initial days (about a third and
two thirds). Days are rounded up to the half day, as bodies quote them. Any real quote replaces the estimate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

HALF = Decimal("0.5")


@dataclass(frozen=True)
class Band:
    up_to: int  # the most people in this band
    days: Decimal


@dataclass(frozen=True)
class AuditTimeTable:
    bands: tuple[Band, ...]
    surveillance_share: Decimal
    recertification_share: Decimal
    max_reduction_percent: Decimal
    source: dict[str, str]
    version: int = 1

    def table_days(self, people: int) -> Decimal:
        """The band's days; above the last band the days grow by one per step as wide as the last band's."""
        if people < 1:
            raise ValueError("people must be at least 1")
        for band in self.bands:
            if people <= band.up_to:
                return band.days
        last, before = self.bands[-1], self.bands[-2]
        width = last.up_to - before.up_to
        steps = -(-(people - last.up_to) // width)  # ceiling division
        return last.days + steps


@dataclass(frozen=True)
class Factor:
    """An adjustment with its justification: -10 takes 10 % of the table time off, +15 adds 15 %."""

    name: str
    percent: Decimal


@dataclass(frozen=True)
class AuditDays:
    table: Decimal  # from the table alone
    reduction_percent: Decimal  # applied, after the cap (>= 0)
    increase_percent: Decimal
    capped: bool  # the factors asked for more reduction than allowed
    initial: Decimal  # stage 1 + stage 2
    surveillance: Decimal  # each of years 1 and 2
    recertification: Decimal


def half_days_up(days: Decimal) -> Decimal:
    return (days / HALF).to_integral_value(rounding=ROUND_CEILING) * HALF


def estimate(
    table: AuditTimeTable,
    people: int,
    factors: Sequence[Factor] = (),
    *,
    surveillance_share: Decimal | None = None,
    recertification_share: Decimal | None = None,
) -> AuditDays:
    base = table.table_days(people)
    asked = -sum((f.percent for f in factors if f.percent < 0), Decimal(0))
    increase = sum((f.percent for f in factors if f.percent > 0), Decimal(0))
    reduction = min(asked, table.max_reduction_percent)
    initial = half_days_up(base * (100 - reduction + increase) / 100)
    initial = max(initial, HALF)
    surveillance = half_days_up(initial * (surveillance_share or table.surveillance_share))
    recertification = half_days_up(initial * (recertification_share or table.recertification_share))
    return AuditDays(
        table=base,
        reduction_percent=reduction,
        increase_percent=increase,
        capped=asked > table.max_reduction_percent,
        initial=initial,
        surveillance=surveillance,
        recertification=recertification,
    )


def table_from(data: dict[str, Any]) -> AuditTimeTable:
    """The table from its YAML form, checked: bands in increasing order, positive days, shares in (0, 1]."""
    bands = tuple(Band(int(b["up_to"]), Decimal(str(b["days"]))) for b in data["bands"])
    if len(bands) < 2 or any(a.up_to >= b.up_to or a.days > b.days for a, b in zip(bands, bands[1:], strict=False)):
        raise ValueError("bands must grow in people and days")
    if any(b.days <= 0 for b in bands):
        raise ValueError("audit days must be positive")
    shares = Decimal(str(data["surveillance_share"])), Decimal(str(data["recertification_share"]))
    if any(not 0 < share <= 1 for share in shares):
        raise ValueError("shares must be above 0 and at most 1")
    return AuditTimeTable(
        bands=bands,
        surveillance_share=shares[0],
        recertification_share=shares[1],
        max_reduction_percent=Decimal(str(data["max_reduction_percent"])),
        source=dict(data["source"]),
        version=int(data.get("version", 1)),
    )


@cache
def shipped_table() -> AuditTimeTable:
    text = resources.files("certprep.budget").joinpath("data/audit_time.yaml").read_text(encoding="utf-8")
    return table_from(yaml.safe_load(text))
