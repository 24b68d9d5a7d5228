"""Predecessors in MS Project's notation ("3FS+2d;5SS"), read and written (pure, no database).

Each part names a predecessor by its row number on the plan page (MS Project's task ID), then optionally the
link type (FS when left out) and a lag: a signed number of working days ("+2d", "-1.5d", "+2 days") or a
per cent of the predecessor's duration ("+50%"). Parts are separated by ";" (a "," is read as well, as
MS Project accepts the list separator of the reader's locale). `format_links` writes the shortest form MS
Project itself shows ("3" for a plain finish-to-start), and `parse_links(format_links(x)) == x` for every
valid list. A part that cannot be read is refused naming it, so the person knows what to correct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from certprep.planning.choices import LagUnit, LinkType

MAX_LAG = Decimal(10_000)  # the stored lag's bounds (Dependency.lag)
MAX_LINKS = 200
LAG_PLACES = Decimal("0.01")

_PART = re.compile(
    r"""^\s*(?P<row>\d+)\s*
        (?P<type>[A-Za-z]{2})?\s*
        (?:(?P<sign>[+-])\s*(?P<lag>\d+(?:\.\d+)?)\s*(?P<unit>%|d|day|days|天|ed|edays)?)?\s*$""",
    re.VERBOSE,
)


@dataclass(frozen=True, order=True)
class LinkSpec:
    """One predecessor as written: its row number, the link type, the lag and its unit."""

    row: int
    type: LinkType = LinkType.FS
    lag: Decimal = Decimal(0)
    unit: LagUnit = LagUnit.DAYS


class NotationError(ValueError):
    """A predecessor list that cannot be read; `message` names the part to correct."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _lag_text(lag: Decimal) -> str:
    text = format(lag.normalize(), "f")
    return text if lag else "0"


def format_link(link: LinkSpec) -> str:
    if not link.lag:
        return str(link.row) if link.type == LinkType.FS else f"{link.row}{link.type}"
    sign = "+" if link.lag > 0 else "-"
    return f"{link.row}{link.type}{sign}{_lag_text(abs(link.lag))}{link.unit}"


def format_links(links: list[LinkSpec]) -> str:
    """The list as MS Project shows it: "3;5SS;7FS+2d"."""
    return ";".join(format_link(link) for link in links)


def _parse_part(part: str) -> LinkSpec:
    match = _PART.match(part)
    if match is None:
        raise NotationError(
            _(
                '"%(part)s" is not a predecessor: write a row number, then optionally FS, SS, FF or SF and a lag '
                "such as +2d or -50%%."
            )
            % {"part": part}
        )
    row = int(match["row"])
    if row < 1:
        raise NotationError(_('"%(part)s": row numbers start at 1.') % {"part": part})
    kind = (match["type"] or "FS").upper()
    if kind not in LinkType.values:
        raise NotationError(
            _('"%(part)s": %(type)s is not a link type; use FS, SS, FF or SF.') % {"part": part, "type": match["type"]}
        )
    lag = Decimal(0)
    unit = LagUnit.PERCENT if match["unit"] == "%" else LagUnit.DAYS
    if match["lag"] is not None:
        if match["unit"] in ("ed", "edays"):
            raise NotationError(
                _('"%(part)s": lags are counted in working days (d) or per cent (%%), not elapsed days.')
                % {"part": part}
            )
        try:
            lag = Decimal(match["lag"]).quantize(LAG_PLACES)
        except InvalidOperation:
            lag = MAX_LAG + 1
        if lag > MAX_LAG:
            raise NotationError(_('"%(part)s": a lag can be at most 10,000.') % {"part": part})
        if match["sign"] == "-":
            lag = -lag
    if not lag:
        unit = LagUnit.DAYS
    return LinkSpec(row, LinkType(kind), lag, unit)


def parse_links(text: str) -> list[LinkSpec]:
    """The predecessors a person typed, in the order typed. Refuses, naming the part: what is not a
    predecessor, an unknown link type, a lag beyond the bounds, and a row named twice."""
    parts = [part.strip() for part in re.split(r"[;,，；]", text or "")]
    links: list[LinkSpec] = []
    seen: set[int] = set()
    for part in parts:
        if not part:
            continue
        link = _parse_part(part)
        if link.row in seen:
            raise NotationError(
                _('"%(part)s": row %(row)s is named twice; a task depends on another only once.')
                % {"part": part, "row": link.row}
            )
        seen.add(link.row)
        links.append(link)
    if len(links) > MAX_LINKS:
        raise NotationError(_("A task can have at most %(n)s predecessors.") % {"n": MAX_LINKS})
    return links
