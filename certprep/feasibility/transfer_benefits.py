"""The benefits and the risk register in the feasibility section of the engagement file."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from certprep.engagements.models import Engagement
from certprep.people.models import Person


class BenefitsSection(BaseModel):
    model_config = ConfigDict(extra="forbid")


def benefits_export(engagement: Engagement, *, people: dict[int, int]) -> dict[str, Any]:
    """people: a person's id -> their position in the file."""
    return BenefitsSection().model_dump(mode="json")


def benefits_check(section: BenefitsSection, *, people: int | None) -> None:
    """Refuse a section that would not import, before anything is written (people: how many the file has)."""


def benefits_import(engagement: Engagement, section: BenefitsSection, *, people: list[Person]) -> None:
    """Write a checked section inside the engagement import's transaction."""
