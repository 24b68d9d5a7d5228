"""The preparation flow: the engagement's steps in order, as the menu shows them: the declared engagement parts
that have a page (core.parts, in settings' order)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from certprep.core.parts import engagement_parts


@dataclass(frozen=True)
class Step:
    """One step of the flow in the menu."""

    label: str | Promise
    url: str
    current: bool


def steps(engagement_id: int, active: str) -> list[Step]:
    """The menu's steps for an engagement; `active` is the page's `active` context value."""
    return [
        Step(part.menu.label, reverse(part.menu.url_name, args=[engagement_id]), part.menu.active == active)
        for part in engagement_parts()
        if part.menu is not None
    ]
