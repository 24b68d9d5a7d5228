"""Survey objects for tests: the engagement's questionnaires copied from the shipped templates, people
with roles, and a sent campaign with its respondents' links."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from certprep.survey.models import Campaign, Person, Respondent
from certprep.survey.services import campaigns as campaign_services
from certprep.survey.services.questionnaires import questionnaire_copy_templates


def person(engagement: Any, name: str, *, roles: list[str], processes: list[str] = (), email: str | None = None, department: str = "IT Operations") -> Person:  # type: ignore[assignment]
    return Person.objects.create(
        engagement=engagement,
        name=name,
        department=department,
        email=email if email is not None else f"{name.lower().replace(' ', '.')}@client-a.example",
        sms_roles=list(roles),
        processes=list(processes),
    )


def sent_campaign(engagement: Any, actor: Any, *, keys: tuple[str, ...] = ("management-system", "process-incident"), days: int = 21) -> tuple[Campaign, dict[str, str]]:
    """A sent campaign over the given questionnaires; returns it with {person name: link token}."""
    questionnaire_copy_templates(engagement=engagement, actor=actor)
    ids = list(engagement.questionnaires.filter(key__in=keys).values_list("pk", flat=True))
    campaign = campaign_services.campaign_create(
        engagement=engagement,
        actor=actor,
        name="Spring survey",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        questionnaire_ids=ids,
    )
    campaign_services.campaign_send(campaign=campaign, actor=actor, base_url="http://testserver")
    tokens = {
        r.person.name: campaign_services.respondent_token(r) for r in Respondent.objects.filter(campaign=campaign).select_related("person")
    }
    return campaign, tokens
