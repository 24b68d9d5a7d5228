"""Interview pages: the list with what needs a face-to-face follow-up, scheduling, the interview with its
minutes, follow-ups and generated guide, and the guide (.docx) and invitation (.ics) downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.downloads import download
from certprep.core.feedback import run_form
from certprep.engagements.access import can, engagement_for, page_role
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.survey import documents
from certprep.survey.access import follow_up_for, interview_for
from certprep.survey.choices import InterviewStatus, ResponseStatus
from certprep.survey.forms.interviews import FollowUpForm, InterviewForm
from certprep.survey.models import Interview
from certprep.survey.selectors.interviews import (
    follow_up_needs,
    follow_ups_of,
    interview_defaults,
    interview_guide,
    interview_rows,
)
from certprep.survey.services import interviews as services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _context(engagement: Engagement, membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": "survey",
        "subnav": "interviews",
        "editable": can(membership, Role.EDITOR),
        **extra,
    }


def _filename(interview: Interview, suffix: str) -> str:
    slug = slugify(interview.title)[:60]
    return f"interview-{interview.pk}{'-' + slug if slug else ''}{suffix}"


@login_required
def interview_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    upcoming, past = interview_rows(engagement)
    return render(
        request,
        "survey/interviews.html",
        _context(
            engagement,
            membership,
            upcoming=upcoming,
            past=past,
            needs=follow_up_needs(engagement),
            # One word per status everywhere: the panel says what the response and interview pages say.
            in_progress_label=ResponseStatus.IN_PROGRESS.label,
            planned_label=InterviewStatus.PLANNED.label,
        ),
    )


def _prefill(request: HttpRequest, engagement: Engagement) -> dict[str, Any]:
    """Initial values from ?process=<code>&attendees=<ids> (comma-separated or repeated)."""
    ids: list[int] = []
    for raw in request.GET.getlist("attendees"):
        ids.extend(int(part) for part in raw.split(",") if part.strip().isdigit())
    return interview_defaults(
        engagement, process=request.GET.get("process", ""), attendee_ids=ids, interviewer_id=request.user.pk
    )


@login_required
def interview_new(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = InterviewForm(request.POST or None, engagement=engagement, initial=_prefill(request, engagement))
    if request.method == "POST" and form.is_valid():
        interview, _conflict = run_form(
            form,
            lambda: services.interview_create(engagement=engagement, actor=request.user, data=form.service_data()),
        )
        if interview is not None:
            messages.success(request, _("Interview scheduled. Download the guide and the invitation below."))
            return redirect("survey:interview", engagement.pk, interview.pk)
    return render(request, "survey/interview_new.html", _context(engagement, membership, form=form))


def _detail(
    request: HttpRequest,
    engagement: Engagement,
    membership: Membership,
    interview: Interview,
    *,
    form: InterviewForm | None = None,
    followup_form: FollowUpForm | None = None,
    conflict: bool = False,
) -> HttpResponse:
    editable = can(membership, Role.EDITOR)
    if editable and form is None:
        form = InterviewForm(engagement=engagement, instance=interview)
    return render(
        request,
        "survey/interview.html",
        _context(
            engagement,
            membership,
            interview=interview,
            form=form if editable else None,
            conflict=conflict,
            guide=interview_guide(interview),
            **_followups_context(engagement, interview, followup_form),
        ),
    )


def _followups_context(
    engagement: Engagement, interview: Interview, form: FollowUpForm | None = None
) -> dict[str, Any]:
    return {
        "follow_ups": list(follow_ups_of(interview)),
        "followup_form": form or FollowUpForm(engagement=engagement),
    }


@login_required
def interview_detail(request: SignedInRequest, engagement_id: int, interview_id: int) -> HttpResponse:
    role = page_role(request)
    interview, membership = interview_for(request.user, engagement_id, interview_id, role=role)
    engagement = membership.engagement
    if request.method != "POST":
        return _detail(request, engagement, membership, interview)
    form = InterviewForm(request.POST, engagement=engagement, instance=interview)
    conflict = False
    if form.is_valid():
        saved, conflict = run_form(
            form,
            lambda: services.interview_update(
                interview=interview,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                data=form.service_data(),
            ),
        )
        if saved is not None:
            messages.success(request, _("Interview saved. Send the invitation again if the time or people changed."))
            return redirect("survey:interview", engagement.pk, interview.pk)
        interview, _m = interview_for(request.user, engagement_id, interview_id)
    return _detail(request, engagement, membership, interview, form=form, conflict=conflict)


@login_required
@require_POST
def interview_delete(request: SignedInRequest, engagement_id: int, interview_id: int) -> HttpResponse:
    interview, _m = interview_for(request.user, engagement_id, interview_id, role=Role.EDITOR)
    services.interview_delete(interview=interview, actor=request.user)
    messages.success(request, _("Interview deleted."))
    return redirect("survey:interviews", engagement_id)


def _followups_response(
    request: HttpRequest,
    engagement: Engagement,
    membership: Membership,
    interview: Interview,
    form: FollowUpForm | None = None,
) -> HttpResponse:
    """After a follow-up change: the follow-ups fragment for htmx, else back to the interview page."""
    if getattr(request, "htmx", False):
        return render(
            request,
            "survey/partials/interview_followups.html",
            _context(engagement, membership, interview=interview, **_followups_context(engagement, interview, form)),
        )
    if form is not None and form.errors:
        return _detail(request, engagement, membership, interview, followup_form=form)
    return redirect(reverse("survey:interview", args=[engagement.pk, interview.pk]) + "#follow-ups")


@login_required
@require_POST
def followup_add(request: SignedInRequest, engagement_id: int, interview_id: int) -> HttpResponse:
    interview, membership = interview_for(request.user, engagement_id, interview_id, role=Role.EDITOR)
    engagement = membership.engagement
    form = FollowUpForm(request.POST, engagement=engagement)
    if form.is_valid():
        added, _conflict = run_form(
            form, lambda: services.followup_add(interview=interview, actor=request.user, **form.cleaned_data)
        )
        if added is not None:
            if not getattr(request, "htmx", False):
                messages.success(request, _("Follow-up added."))
            return _followups_response(request, engagement, membership, interview)
    return _followups_response(request, engagement, membership, interview, form)


@login_required
@require_POST
def followup_toggle(request: SignedInRequest, engagement_id: int, followup_id: int) -> HttpResponse:
    follow_up, membership = follow_up_for(request.user, engagement_id, followup_id, role=Role.EDITOR)
    wanted = {"1": True, "0": False}.get(request.POST.get("done", ""))
    follow_up = services.followup_toggle(follow_up=follow_up, actor=request.user, done=wanted)
    return _followups_response(request, membership.engagement, membership, follow_up.interview)


@login_required
@require_POST
def followup_delete(request: SignedInRequest, engagement_id: int, followup_id: int) -> HttpResponse:
    follow_up, membership = follow_up_for(request.user, engagement_id, followup_id, role=Role.EDITOR)
    engagement = membership.engagement
    interview = follow_up.interview
    services.followup_delete(follow_up=follow_up, actor=request.user)
    if not getattr(request, "htmx", False):
        messages.success(request, _("Follow-up deleted."))
    return _followups_response(request, engagement, membership, interview)


@login_required
def interview_guide_docx(request: HttpRequest, engagement_id: int, interview_id: int) -> HttpResponseBase:
    interview, _m = interview_for(request.user, engagement_id, interview_id)
    return download(
        documents.guide_docx(interview_guide(interview)),
        filename=_filename(interview, "-guide.docx"),
        content_type=DOCX,
    )


@login_required
def interview_ics(request: HttpRequest, engagement_id: int, interview_id: int) -> HttpResponseBase:
    interview, _m = interview_for(request.user, engagement_id, interview_id)
    url = request.build_absolute_uri(reverse("survey:interview", args=[engagement_id, interview.pk]))
    return download(
        documents.interview_ics(interview_guide(interview), url=url),
        filename=_filename(interview, ".ics"),
        content_type="text/calendar; charset=utf-8",
    )


_BASE = "e/<int:engagement_id>/survey/"

urlpatterns = [
    path(_BASE + "interviews/", interview_list, name="interviews"),
    path(_BASE + "interviews/new/", interview_new, name="interview_new"),
    path(_BASE + "interviews/<int:interview_id>/", interview_detail, name="interview"),
    path(_BASE + "interviews/<int:interview_id>/delete/", interview_delete, name="interview_delete"),
    path(_BASE + "interviews/<int:interview_id>/follow-ups/", followup_add, name="followup_add"),
    path(_BASE + "interviews/<int:interview_id>/guide.docx", interview_guide_docx, name="interview_guide"),
    path(_BASE + "interviews/<int:interview_id>/invite.ics", interview_ics, name="interview_ics"),
    path(_BASE + "follow-ups/<int:followup_id>/toggle/", followup_toggle, name="followup_toggle"),
    path(_BASE + "follow-ups/<int:followup_id>/delete/", followup_delete, name="followup_delete"),
]
