"""How the pages name a rating's values: the level choices of a scale, a level's label, the priority legend.
Plain functions over the vocabularies (choices) and the priority bands (rules); no database."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.gaps.choices import Capability, Compliance, Priority, Scale
from certprep.gaps.rules import HIGH_FROM, MEDIUM_FROM


def level_choices(scale: str) -> list[tuple[int, str]]:
    """The levels of a scale as "value label" (compliance steps, else capability levels)."""
    levels = Compliance if scale == Scale.COMPLIANCE else Capability
    return [(c.value, f"{c.value} {c.label}") for c in levels]


def level_label(level: int | None, scale: str) -> str:
    if level is None:
        return _("Not rated")
    levels = Compliance if scale == Scale.COMPLIANCE else Capability
    return f"{level} {levels(level).label}"


def priority_bands() -> list[tuple[str, str, str]]:
    """The legend of the priority colour: band, label, from how many points."""
    return [
        (Priority.HIGH, str(Priority.HIGH.label), _("%(n)s points or more") % {"n": HIGH_FROM}),
        (
            Priority.MEDIUM,
            str(Priority.MEDIUM.label),
            _("%(low)s to %(high)s points") % {"low": MEDIUM_FROM, "high": HIGH_FROM - 1},
        ),
        (Priority.LOW, str(Priority.LOW.label), ngettext("%(n)s point", "%(n)s points", 1) % {"n": 1}),
    ]
