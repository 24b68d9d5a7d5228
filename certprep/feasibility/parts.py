"""What the feasibility app contributes to an engagement (see certprep/core/parts.py): its section of the engagement
file (the ratings and decision, with the benefits and risks), its demo, its dashboard card, its menu entry, its
API, the scheme as an approvable document, and its report sections and the feasibility scheme document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handovers, MenuEntry
from certprep.engagements.models import Engagement
from certprep.feasibility.api import router
from certprep.feasibility.approval import scheme_approvable
from certprep.feasibility.choices import Outcome
from certprep.feasibility.demo import load_scheme_demo
from certprep.feasibility.models import Recommendation
from certprep.feasibility.report import DOCUMENT, SECTIONS
from certprep.feasibility.report_benefits import SECTIONS as BENEFIT_SECTIONS
from certprep.feasibility.selectors.scheme import ratings_of, score_of
from certprep.feasibility.transfer import (
    FeasibilitySection,
    feasibility_check,
    feasibility_export,
    feasibility_import,
)
from certprep.people.handovers import FILE_PEOPLE, FILE_PEOPLE_COUNT, file_people_ids


def _export(engagement: Engagement) -> dict[str, Any]:
    return feasibility_export(engagement, people={pk: n for n, pk in enumerate(file_people_ids(engagement))})


def _check(section: FeasibilitySection, handovers: Handovers) -> None:
    feasibility_check(section, people=handovers.get(FILE_PEOPLE_COUNT))


def _load(engagement: Engagement, section: FeasibilitySection, handovers: Handovers) -> None:
    feasibility_import(engagement, section, people=handovers.get(FILE_PEOPLE) or [], members=handovers.members)


def _status(engagement: Engagement) -> Mapping[str, object]:
    """How many aspects are rated, the weighted score and the decision; two queries at any size."""
    ratings = ratings_of(engagement)
    decision = Recommendation.objects.filter(engagement=engagement).values_list("outcome", flat=True).first()
    return {
        "rated": sum(1 for r in ratings if r.score is not None),
        "total": len(ratings),
        "score": score_of(ratings),
        "decided": Outcome(decision).label if decision else None,
    }


part = EngagementPart[Engagement](
    key="feasibility",
    section=FileSection(schema=FeasibilitySection, export=_export, check=_check, load=_load),
    demo=load_scheme_demo,
    card=DashboardCard(template="feasibility/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Feasibility scheme"), url_name="feasibility:overview", active="feasibility"),
    routers=(router,),
    approvables=(scheme_approvable,),
    report_sections=(*SECTIONS, *BENEFIT_SECTIONS),
    report_documents=(DOCUMENT,),
)
