"""An engagement part that no app declares: the tests register it in settings to show that a new app takes
part in the engagement file, the demo and the menu without the engagement app knowing it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from certprep.core.errors import ServiceError
from certprep.core.parts import EngagementPart, FileSection, Handover, Handovers, MenuEntry
from certprep.engagements.models import Engagement

WRITTEN: list[tuple[str, str, Any]] = []  # (engagement name, the note, what the check handed over)
DEMOS: list[str] = []
CHECKED: Handover[str] = Handover("checked note")


class NotesPart(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str


def _export(engagement: Engagement) -> dict[str, Any]:
    return {"note": f"plan for {engagement.name}"}


def _check(section: NotesPart, handovers: Handovers) -> None:
    if "forbidden" in section.note:
        raise ServiceError("The plan's note is refused.", field="plan.note")
    handovers.give(CHECKED, section.note.upper())


def _load(engagement: Engagement, section: NotesPart, handovers: Handovers) -> None:
    WRITTEN.append((engagement.name, section.note, handovers.get(CHECKED)))


def _demo(*, engagement: Engagement, actor: Any) -> None:
    DEMOS.append(engagement.name)


# Declared instead of the planning part, under its key.
part = EngagementPart[Engagement](
    key="plan",
    section=FileSection(schema=NotesPart, export=_export, check=_check, load=_load),
    demo=_demo,
    menu=MenuEntry(label="Notes of the plan", url_name="engagements:members", active="plan"),
)
