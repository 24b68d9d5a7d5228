"""The gap analysis's part of an engagement (certprep.core.parts): its section of the engagement file, its
demo, its step on the dashboard and its API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from certprep.core.parts import (
    DashboardCard,
    EngagementPart,
    FileSection,
    Handover,
    Handovers,
    MenuEntry,
    StoredFiles,
)
from certprep.engagements.models import Engagement
from certprep.gaps.api import router
from certprep.gaps.demo import load_gaps_demo
from certprep.gaps.models import Assessment, Evidence, ImprovementTopic
from certprep.gaps.report import DOCUMENT, SECTIONS
from certprep.gaps.transfer import GapsPart, gaps_check, gaps_export, gaps_import
from certprep.people.handovers import FILE_PEOPLE, file_people_ids
from certprep.survey.parts import SURVEY_SECTION


def _export(engagement: Engagement) -> dict[str, Any]:
    return gaps_export(engagement, people=file_people_ids(engagement))


# How many improvement topics the file lists: parts after this one refer to a topic by its position among them.
FILE_TOPICS_COUNT: Handover[int] = Handover("improvement topics in the file")


def _check(section: GapsPart, handovers: Handovers) -> None:
    gaps_check(section, survey=handovers.get(SURVEY_SECTION))
    handovers.give(FILE_TOPICS_COUNT, len(section.topics))


def _load(engagement: Engagement, section: GapsPart, handovers: Handovers) -> None:
    gaps_import(engagement=engagement, part=section, people=handovers.get(FILE_PEOPLE) or [], members=handovers.members)


def _evidence_bytes(engagement: Engagement) -> int:
    files = Evidence.objects.filter(rating__assessment__engagement=engagement)
    return files.aggregate(total=Sum("size"))["total"] or 0


def _status(engagement: Engagement) -> Mapping[str, object]:
    """The latest assessment with how many of its requirements are rated, and the number of topics."""
    latest = (
        Assessment.objects.filter(engagement=engagement)
        .annotate(total=Count("ratings"), rated=Count("ratings", filter=Q(ratings__level__isnull=False)))
        .order_by("-assessed_on", "-pk")
        .first()
    )
    return {"assessment": latest, "topics": ImprovementTopic.objects.filter(engagement=engagement).count()}


part = EngagementPart[Engagement](
    key="gaps",
    section=FileSection(
        schema=GapsPart,
        export=_export,
        check=_check,
        load=_load,
        files=StoredFiles(size=_evidence_bytes, label=gettext_lazy("%(mb)s MB on gap ratings")),
    ),
    demo=load_gaps_demo,
    card=DashboardCard(template="gaps/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Gaps"), url_name="gaps:overview", active="gaps"),
    routers=(router,),
    report_sections=SECTIONS,
    report_documents=(DOCUMENT,),
)
