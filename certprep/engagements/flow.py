"""The preparation flow: the engagement's steps in order, as the menu and the dashboard show them.

The steps are the declared engagement parts that have a page (core.parts, in settings' order), followed by
the sections no part provides yet, which open a page saying what will come there. A part whose key is one of
those sections takes its place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from certprep.core.parts import EngagementPart, engagement_parts

SECTIONS: dict[str, tuple[Promise, Promise]] = {
    "plan": (
        gettext_lazy("Plan"),
        gettext_lazy("The implementation plan in four stages, with tasks, people, milestones and audit batches."),
    ),
    "budget": (gettext_lazy("Budget"), gettext_lazy("Resources and costs over the 3-year certificate cycle.")),
    "vendors": (gettext_lazy("Vendors"), gettext_lazy("Choosing the consultancy and the certification body.")),
    "feasibility": (
        gettext_lazy("Feasibility"),
        gettext_lazy("The feasibility scheme and recommendation for top management."),
    ),
    "reports": (gettext_lazy("Reports"), gettext_lazy("Word, PDF and Excel reports for top management.")),
}


@dataclass(frozen=True)
class Step:
    """One step of the flow in the menu."""

    label: str | Promise
    url: str
    current: bool


def placeholders(parts: Sequence[EngagementPart[Any]]) -> dict[str, tuple[Promise, Promise]]:
    """The sections not built yet: a part with a placeholder's key and a page of its own (a menu step) replaces
    it; until its pages exist the placeholder stays."""
    built = {part.key for part in parts if part.menu is not None}
    return {slug: texts for slug, texts in SECTIONS.items() if slug not in built}


def steps(engagement_id: int, active: str) -> list[Step]:
    """The menu's steps for an engagement; `active` is the page's `active` context value."""
    parts = engagement_parts()
    shown = [
        Step(part.menu.label, reverse(part.menu.url_name, args=[engagement_id]), part.menu.active == active)
        for part in parts
        if part.menu is not None
    ]
    for slug, (title, _text) in placeholders(parts).items():
        shown.append(Step(title, reverse("engagements:section", args=[engagement_id, slug]), slug == active))
    return shown
