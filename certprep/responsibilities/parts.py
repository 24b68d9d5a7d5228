"""The responsibility matrix's part of an engagement (certprep.core.parts): its section of the engagement file,
its step on the dashboard and its API. Its demo comes with the survey's (certprep/survey/parts.py): the demo's
role holders are the survey's demo people."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handovers, MenuEntry
from certprep.engagements.models import Engagement
from certprep.people.handovers import FILE_PEOPLE, FILE_PEOPLE_COUNT, file_people_ids
from certprep.responsibilities.api import router
from certprep.responsibilities.models import Activity, MatrixRole
from certprep.responsibilities.transfer import MatrixPart, matrix_check, matrix_export, matrix_import


def _export(engagement: Engagement) -> dict[str, Any]:
    return matrix_export(engagement, people=file_people_ids(engagement))


def _check(section: MatrixPart, handovers: Handovers) -> None:
    matrix_check(section, people=handovers.get(FILE_PEOPLE_COUNT) or 0)


def _load(engagement: Engagement, section: MatrixPart, handovers: Handovers) -> None:
    matrix_import(engagement=engagement, part=section, people=handovers.get(FILE_PEOPLE) or [])


def _status(engagement: Engagement) -> Mapping[str, object]:
    return {
        "activities": Activity.objects.filter(engagement=engagement).count(),
        "roles": MatrixRole.objects.filter(engagement=engagement).count(),
    }


part = EngagementPart[Engagement](
    key="matrix",
    section=FileSection(schema=MatrixPart, export=_export, check=_check, load=_load),
    card=DashboardCard(template="responsibilities/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(
        label=gettext_lazy("Responsibilities"), url_name="responsibilities:matrix", active="responsibilities"
    ),
    routers=(router,),
)
