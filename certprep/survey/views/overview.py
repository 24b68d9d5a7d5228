"""The survey's front page: what exists, how far the campaigns are, what to do next."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.people.selectors import people_count
from certprep.survey.selectors.answers import flagged_count
from certprep.survey.selectors.interviews import upcoming_interviews
from certprep.survey.selectors.questionnaires import questionnaires_of
from certprep.survey.selectors.tracking import campaigns_of
from certprep.survey.services.questionnaires import questionnaire_copy_templates


@login_required
def overview(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    return render(
        request,
        "survey/overview.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "overview",
            "editable": can(membership, Role.EDITOR),
            "questionnaires": questionnaires_of(engagement),
            "people_count": people_count(engagement),
            "campaigns": campaigns_of(engagement)[:5],
            "flagged_count": flagged_count(engagement),
            "upcoming": upcoming_interviews(engagement),
        },
    )


@login_required
@require_POST
def copy_templates(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    created = questionnaire_copy_templates(engagement=engagement, actor=request.user)
    if created:
        messages.success(
            request,
            _("%(n)s questionnaires copied from the shipped templates. Adapt them before you send them.")
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("All shipped questionnaires are already in this engagement."))
    return redirect("survey:questionnaires", engagement.pk)


urlpatterns = [
    path("e/<int:engagement_id>/survey/", overview, name="overview"),
    path("e/<int:engagement_id>/survey/questionnaires/copy/", copy_templates, name="copy_templates"),
]
