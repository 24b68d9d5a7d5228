"""MSPDI's durations (xsd:duration as MS Project writes it, "PT40H0M0S") in certprep's units: working days of
8 hours and whole hours of work (no database)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from certprep.planning.exchange.document import HOURS_PER_DAY

_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
MAX_HOURS = Decimal(10_000_000)


def format_hours(hours: Decimal | int | float) -> str:
    """Hours as MS Project writes a duration: PT40H0M0S, PT4H30M0S."""
    total_seconds = round(Decimal(str(hours)) * 3600)
    sign = "-" if total_seconds < 0 else ""
    whole_hours, rest = divmod(abs(total_seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}PT{whole_hours}H{minutes}M{seconds}S"


def format_days(days: Decimal | int | float) -> str:
    """Working days of 8 hours as an MSPDI duration."""
    return format_hours(Decimal(str(days)) * HOURS_PER_DAY)


def parse_hours(text: str) -> Decimal:
    """The hours of an MSPDI duration (a day counts 8 hours, as MS Project's default calendar); ValueError for
    text that is not one, or one longer than any plan (years and months are not used by MS Project)."""
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in ("P", "PT", "-P", "-PT") or match["years"] or match["months"]:
        raise ValueError(text)
    try:
        hours = (
            Decimal(match["days"] or 0) * HOURS_PER_DAY
            + Decimal(match["hours"] or 0)
            + Decimal(match["minutes"] or 0) / 60
            + Decimal(match["seconds"] or 0) / 3600
        )
    except InvalidOperation as error:
        raise ValueError(text) from error
    if hours > MAX_HOURS:
        raise ValueError(text)
    return -hours if match["sign"] else hours


def parse_days(text: str) -> Decimal:
    """The working days of an MSPDI duration."""
    return parse_hours(text) / HOURS_PER_DAY
