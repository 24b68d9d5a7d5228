"""Pages the survey owner uses to run campaigns: create, send, track, remind, manage links, read answers."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.downloads import download
from certprep.core.errors import ServiceError
from certprep.core.feedback import attempt, run_form
from certprep.core.workbooks import workbook_download
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.people.selectors import departments_of
from certprep.survey.access import answer_for, attachment_for, campaign_for, respondent_for, response_for
from certprep.survey.choices import CampaignStatus
from certprep.survey.exports import campaign_answers_workbook
from certprep.survey.forms.campaigns import CampaignForm
from certprep.survey.models import Attachment
from certprep.survey.selectors.questionnaires import questionnaires_of
from certprep.survey.selectors.respondent import response_sheet
from certprep.survey.selectors.tracking import (
    campaign_tracking,
    campaigns_of,
    progress_choices,
    respondents_mail,
    respondents_with_responses,
)
from certprep.survey.services import campaigns as services

PAGE_SIZE = 100


def _context(membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": membership.engagement,
        "membership": membership,
        "active": "survey",
        "subnav": "campaigns",
        **extra,
    }


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def campaign_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    return render(
        request,
        "survey/campaigns.html",
        _context(membership, editable=can(membership, Role.EDITOR), campaigns=campaigns_of(engagement)),
    )


def _create(request: SignedInRequest, form: CampaignForm, membership: Membership, ids: list[int]) -> Any:
    data = form.cleaned_data
    return services.campaign_create(
        engagement=membership.engagement,
        actor=request.user,
        name=data["name"],
        deadline=data["deadline"],
        questionnaire_ids=ids,
        roles=data["roles"],
        departments=data["departments"],
        grace_days=data["grace_days"],
        reminder_days=data["reminder_days"],
        message=data["message"],
    )


@login_required
def campaign_new(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """A POST previews who receives what (and warns of a short deadline); a POST with confirm=create creates."""
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.OWNER)
    questionnaires = list(questionnaires_of(engagement))
    form = CampaignForm(
        request.POST or None,
        questionnaires=questionnaires,
        departments=departments_of(engagement),
        initial={"questionnaires": [str(q.pk) for q in questionnaires]},
    )
    warning, preview = "", None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ids = [int(i) for i in data["questionnaires"]]
        preview = services.campaign_preview(
            engagement=engagement, questionnaire_ids=ids, roles=data["roles"], departments=data["departments"]
        )
        warning = services.deadline_warning(engagement=engagement, deadline=data["deadline"])
        if request.POST.get("confirm") == "create" and (not warning or data["accept_short_deadline"]):
            campaign, _conflict = run_form(form, lambda: _create(request, form, membership, ids))
            if campaign is not None:
                messages.success(request, _("Campaign created as a draft. Check the respondents, then send it."))
                return redirect("survey:campaign", engagement.pk, campaign.pk)
        if warning:
            data = request.POST.copy()
            data["accept_short_deadline"] = "on"  # a second "create" keeps the deadline knowingly
            form.data = data
    return render(
        request,
        "survey/campaign_new.html",
        _context(membership, form=form, warning=warning, preview=preview, has_questionnaires=bool(questionnaires)),
    )


@login_required
def campaign_detail(request: HttpRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    campaign, membership = campaign_for(request.user, engagement_id, campaign_id)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:100]
    respondents = respondents_with_responses(campaign, status=status, q=q)
    draft = campaign.status == CampaignStatus.DRAFT
    page = Paginator(respondents, PAGE_SIZE).get_page(request.GET.get("page"))
    respondents_mail(page)
    return render(
        request,
        "survey/campaign.html",
        _context(
            membership,
            is_owner=can(membership, Role.OWNER),
            campaign=campaign,
            tracking=campaign_tracking(campaign),
            reminder_hours=services.REMINDER_INTERVAL_HOURS,
            page=page,
            status=status,
            q=q,
            warning=services.deadline_warning(engagement=campaign.engagement, deadline=campaign.deadline)
            if draft
            else "",
            statuses=progress_choices(),
        ),
    )


@login_required
@require_POST
def campaign_send(request: SignedInRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    campaign, _m = campaign_for(request.user, engagement_id, campaign_id, role=Role.OWNER)
    attempt(
        request,
        lambda: services.campaign_send(campaign=campaign, actor=request.user, base_url=_base_url(request)),
        lambda result: (
            _(
                "Campaign sent: %(sent)s invitations are being e-mailed; the table shows when each has gone. "
                "Copy the links of people without an e-mail address from the table."
            )
            % {"sent": result["sent"]}
        ),
    )
    return redirect("survey:campaign", engagement_id, campaign_id)


@login_required
@require_POST
def campaign_close(request: SignedInRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    campaign, _m = campaign_for(request.user, engagement_id, campaign_id, role=Role.OWNER)
    attempt(
        request,
        lambda: services.campaign_close(campaign=campaign, actor=request.user),
        _("Campaign closed: the links no longer open the questionnaires."),
    )
    return redirect("survey:campaign", engagement_id, campaign_id)


@login_required
def campaign_remind(request: SignedInRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    """GET: who would be reminded, to confirm; POST: remind them (never twice within the reminder interval)."""
    campaign, membership = campaign_for(request.user, engagement_id, campaign_id, role=Role.OWNER)
    if request.method != "POST":
        return render(
            request,
            "survey/campaign_remind.html",
            _context(
                membership,
                campaign=campaign,
                preview=services.reminders_preview(campaign=campaign),
                hours=services.REMINDER_INTERVAL_HOURS,
            ),
        )
    run = services.reminders_run(campaign=campaign, actor=request.user, base_url=_base_url(request))
    if run.refusal:
        messages.error(request, run.refusal)
    elif run.sent or not run.recent:
        messages.success(
            request,
            ngettext(
                "%(n)s reminder sent to people who have not submitted yet.",
                "%(n)s reminders sent to people who have not submitted yet.",
                run.sent,
            )
            % {"n": run.sent},
        )
    if run.recent:
        messages.warning(request, _recent_text(run.recent, run.next_at))
    return redirect("survey:campaign", engagement_id, campaign_id)


def _recent_text(recent: int, next_at: datetime.datetime | None) -> str:
    """Why some people were not reminded again, and from when they can be."""
    return ngettext(
        "%(n)s person was not reminded again: they had a reminder less than %(hours)s hours ago. "
        "The next reminder can go from %(when)s.",
        "%(n)s people were not reminded again: they had a reminder less than %(hours)s hours ago. "
        "The next reminder can go from %(when)s.",
        recent,
    ) % {
        "n": recent,
        "hours": services.REMINDER_INTERVAL_HOURS,
        "when": formats.date_format(timezone.localtime(next_at), "DATETIME_FORMAT") if next_at else "—",
    }


@login_required
@require_POST
def respondent_link(request: SignedInRequest, engagement_id: int, respondent_id: int) -> HttpResponse:
    """Show the respondent's current link to copy by hand (a POST, so the link never sits in a URL or log),
    re-issue it or revoke it."""
    respondent, membership = respondent_for(request.user, engagement_id, respondent_id, role=Role.OWNER)
    sent = request.POST.get("action")
    action: services.LinkAction = "reissue" if sent == "reissue" else "revoke" if sent == "revoke" else "show"
    try:
        link = services.link_use(
            respondent=respondent,
            actor=request.user,
            action=action,
            send=bool(request.POST.get("send")),
            base_url=_base_url(request),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("survey:campaign", engagement_id, respondent.campaign_id)
    if action == "revoke":
        messages.success(request, _("The link of %(name)s no longer works.") % {"name": respondent.person.name})
        return redirect("survey:campaign", engagement_id, respondent.campaign_id)
    if action == "reissue":
        messages.success(request, _("A new link was issued; the previous one no longer works."))
    return render(request, "survey/respondent_link.html", _context(membership, respondent=respondent, link=link))


@login_required
def response_detail(request: HttpRequest, engagement_id: int, response_id: int) -> HttpResponse:
    response, membership = response_for(request.user, engagement_id, response_id)
    return render(
        request,
        "survey/response.html",
        _context(
            membership,
            editable=can(membership, Role.EDITOR),
            is_owner=can(membership, Role.OWNER),
            response=response,
            sheet=response_sheet(response),
        ),
    )


@login_required
@require_POST
def response_reopen(request: SignedInRequest, engagement_id: int, response_id: int) -> HttpResponse:
    response, _m = response_for(request.user, engagement_id, response_id, role=Role.OWNER)
    attempt(
        request,
        lambda: services.response_reopen(response=response, actor=request.user),
        _("Reopened: the respondent can change the answers and submit again with the same link."),
    )
    return redirect("survey:response", engagement_id, response.pk)


@login_required
@require_POST
def answer_flag(request: SignedInRequest, engagement_id: int, answer_id: int) -> HttpResponse:
    """An analyst marks (or unmarks) an answer for discussion in an interview."""
    answer, _m = answer_for(request.user, engagement_id, answer_id, role=Role.EDITOR)
    seen = (
        (request.POST.get("seen_flagged") == "1", request.POST.get("seen_note", ""))
        if "seen_flagged" in request.POST
        else None
    )
    attempt(
        request,
        lambda: services.answer_flag(
            answer=answer, actor=request.user, flagged=request.POST.get("flagged") == "1",
            note=request.POST.get("flag_note", ""), seen=seen,
        ),
        _("Discussion mark saved."),
    )  # fmt: skip
    url = reverse("survey:response", args=[engagement_id, answer.response_id])
    return redirect(f"{url}#answer-{answer.question_id}")


@login_required
def attachment_download(request: HttpRequest, engagement_id: int, attachment_id: int) -> HttpResponseBase:
    attachment, _m = attachment_for(request.user, engagement_id, attachment_id)
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> HttpResponseBase:
    """The file as a download (never shown inline, so an HTML or SVG file cannot run in our origin)."""
    return download(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def campaign_answers(request: HttpRequest, engagement_id: int, campaign_id: int) -> HttpResponseBase:
    """All answers of the campaign as an Excel workbook."""
    campaign, _m = campaign_for(request.user, engagement_id, campaign_id)
    return workbook_download(campaign_answers_workbook(campaign), name=f"survey-answers-{campaign.pk}")


urlpatterns = [
    path("e/<int:engagement_id>/survey/campaigns/", campaign_list, name="campaigns"),
    path("e/<int:engagement_id>/survey/campaigns/new/", campaign_new, name="campaign_new"),
    path("e/<int:engagement_id>/survey/campaigns/<int:campaign_id>/", campaign_detail, name="campaign"),
    path("e/<int:engagement_id>/survey/campaigns/<int:campaign_id>/send/", campaign_send, name="campaign_send"),
    path(
        "e/<int:engagement_id>/survey/campaigns/<int:campaign_id>/answers.xlsx",
        campaign_answers,
        name="campaign_answers",
    ),
    path("e/<int:engagement_id>/survey/campaigns/<int:campaign_id>/close/", campaign_close, name="campaign_close"),
    path("e/<int:engagement_id>/survey/campaigns/<int:campaign_id>/remind/", campaign_remind, name="campaign_remind"),
    path("e/<int:engagement_id>/survey/respondents/<int:respondent_id>/link/", respondent_link, name="respondent_link"),
    path("e/<int:engagement_id>/survey/responses/<int:response_id>/", response_detail, name="response"),
    path("e/<int:engagement_id>/survey/responses/<int:response_id>/reopen/", response_reopen, name="response_reopen"),
    path("e/<int:engagement_id>/survey/answers/<int:answer_id>/flag/", answer_flag, name="answer_flag"),
    path("e/<int:engagement_id>/survey/files/<int:attachment_id>/", attachment_download, name="attachment"),
]
