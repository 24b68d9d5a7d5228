"""The survey's part of an engagement (certprep.core.parts): its section of the engagement file, which also
carries the engagement's people, the demo's survey and matrix, its step on the dashboard and its API."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Sum
from django.utils.translation import gettext_lazy

from certprep.core.actors import Actor
from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handover, Handovers, MenuEntry, StoredFiles
from certprep.engagements.models import Engagement
from certprep.people.handovers import FILE_PEOPLE, FILE_PEOPLE_COUNT
from certprep.survey.api import router as survey_router
from certprep.survey.calendar import interview_events
from certprep.survey.demo import load_matrix_demo, load_survey_demo
from certprep.survey.models import Attachment
from certprep.survey.report import DOCUMENT, SECTIONS
from certprep.survey.selectors.tracking import campaigns_of
from certprep.survey.transfer import SurveyPart, survey_check, survey_export, survey_import

# The gap analysis's evidence may cite survey answers: its check looks them up in the file's survey section.
SURVEY_SECTION: Handover[SurveyPart] = Handover("survey section")


def _check(section: SurveyPart, handovers: Handovers) -> None:
    survey_check(section)
    handovers.give(FILE_PEOPLE_COUNT, len(section.people))
    handovers.give(SURVEY_SECTION, section)


def _load(engagement: Engagement, section: SurveyPart, handovers: Handovers) -> None:
    people = survey_import(engagement=engagement, part=section, members=handovers.members)
    handovers.give(FILE_PEOPLE, people)


def _attachment_bytes(engagement: Engagement) -> int:
    files = Attachment.objects.filter(answer__response__respondent__campaign__engagement=engagement)
    return files.aggregate(total=Sum("size"))["total"] or 0


def _status(engagement: Engagement) -> Mapping[str, object]:
    campaigns = campaigns_of(engagement)
    return {
        "questionnaires": engagement.questionnaires.count(),
        "people": engagement.people.count(),
        "campaign": campaigns[0] if campaigns else None,
    }


def _demo(*, engagement: Engagement, actor: Actor) -> None:
    load_survey_demo(engagement=engagement, actor=actor)
    # The matrix's demo names the survey's demo people as role holders, so it comes right after them; it
    # lives in survey/demo.py beside those people.
    load_matrix_demo(engagement=engagement, actor=actor)


part = EngagementPart[Engagement](
    key="survey",
    section=FileSection(
        schema=SurveyPart,
        export=survey_export,
        check=_check,
        load=_load,
        files=StoredFiles(size=_attachment_bytes, label=gettext_lazy("%(mb)s MB on survey answers")),
    ),
    demo=_demo,
    card=DashboardCard(template="survey/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Survey"), url_name="survey:overview", active="survey"),
    routers=(survey_router,),
    calendar=interview_events,
    report_sections=SECTIONS,
    report_documents=(DOCUMENT,),
)
