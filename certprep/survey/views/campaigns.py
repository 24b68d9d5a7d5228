"""Pages the survey owner uses to run campaigns: create, send, track, remind, manage links, read answers."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.downloads import download
from certprep.core.errors import ServiceError
from certprep.core.feedback import attempt
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.survey.choices import CampaignStatus
from certprep.survey.exports import campaign_answers_workbook
from certprep.survey.forms.campaigns import CampaignForm
from certprep.survey.models import Answer, Attachment, Campaign, Respondent, Response
from certprep.survey.selectors.respondent import response_sheet
from certprep.survey.selectors.tracking import campaign_tracking, campaigns_of, respondents_of
from certprep.survey.services import campaigns as services


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def campaign_list(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    return render(
        request,
        "survey/campaigns.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "campaigns",
            "editable": can(membership, Role.EDITOR),
            "campaigns": campaigns_of(engagement),
        },
    )


@login_required
def campaign_new(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.OWNER)
    questionnaires = list(engagement.questionnaires.order_by("order", "id"))
    departments = sorted({d for d in engagement.people.values_list("department", flat=True) if d})
    form = CampaignForm(
        request.POST or None,
        questionnaires=questionnaires,
        departments=departments,
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
        confirmed = request.POST.get("confirm") == "create"
        if confirmed and (not warning or data["accept_short_deadline"]):
            try:
                campaign = services.campaign_create(
                    engagement=engagement,
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
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Campaign created as a draft. Check the respondents, then send it."))
                return redirect("survey:campaign", engagement.pk, campaign.pk)
        if warning:
            data = request.POST.copy()
            data["accept_short_deadline"] = "on"  # a second "create" keeps the deadline knowingly
            form.data = data
    return render(
        request,
        "survey/campaign_new.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "campaigns",
            "form": form,
            "warning": warning,
            "preview": preview,
            "has_questionnaires": bool(questionnaires),
        },
    )


@login_required
def campaign_detail(request: HttpRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    campaign = get_object_or_404(Campaign, pk=campaign_id, engagement=engagement)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(respondents_of(campaign, status=status, q=q), 100).get_page(request.GET.get("page"))
    responses = (
        Response.objects.filter(respondent__in=list(page.object_list))
        .select_related("questionnaire")
        .order_by("questionnaire__order")
    )
    by_respondent: dict[int, list[Response]] = {}
    for response in responses:
        by_respondent.setdefault(response.respondent_id, []).append(response)
    for respondent in page.object_list:
        respondent.response_list = by_respondent.get(respondent.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "survey/campaign.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "campaigns",
            "is_owner": can(membership, Role.OWNER),
            "campaign": campaign,
            "tracking": campaign_tracking(campaign),
            "reminder_hours": services.REMINDER_INTERVAL_HOURS,
            "page": page,
            "status": status,
            "q": q,
            "warning": services.deadline_warning(engagement=engagement, deadline=campaign.deadline)
            if campaign.status == CampaignStatus.DRAFT
            else "",
            "statuses": [
                ("", _("All")),
                ("not_started", _("Not started")),
                ("in_progress", _("In progress")),
                ("submitted", _("Submitted")),
            ],
        },
    )


def _owner_campaign(request: HttpRequest, engagement_id: int, campaign_id: int) -> Campaign:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    return get_object_or_404(Campaign.objects.select_related("engagement"), pk=campaign_id, engagement=engagement)


@login_required
@require_POST
def campaign_send(request: HttpRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    campaign = _owner_campaign(request, engagement_id, campaign_id)
    attempt(
        request,
        lambda: services.campaign_send(campaign=campaign, actor=request.user, base_url=_base_url(request)),
        lambda result: (
            _(
                "Campaign sent: %(sent)s invitations e-mailed. "
                "Copy the links of people without an e-mail address from the table."
            )
            % {"sent": result["sent"]}
        ),
    )
    return redirect("survey:campaign", engagement_id, campaign_id)


@login_required
@require_POST
def campaign_close(request: HttpRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    campaign = _owner_campaign(request, engagement_id, campaign_id)
    attempt(
        request,
        lambda: services.campaign_close(campaign=campaign, actor=request.user),
        _("Campaign closed: the links no longer open the questionnaires."),
    )
    return redirect("survey:campaign", engagement_id, campaign_id)


@login_required
def campaign_remind(request: HttpRequest, engagement_id: int, campaign_id: int) -> HttpResponse:
    """GET: who would be reminded, to confirm; POST: remind them (never twice within the reminder interval)."""
    campaign = _owner_campaign(request, engagement_id, campaign_id)
    if request.method != "POST":
        engagement, membership = engagement_for(request.user, engagement_id)
        return render(
            request,
            "survey/campaign_remind.html",
            {
                "engagement": engagement,
                "membership": membership,
                "active": "survey",
                "subnav": "campaigns",
                "campaign": campaign,
                "preview": services.reminders_preview(campaign=campaign),
                "hours": services.REMINDER_INTERVAL_HOURS,
            },
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


def _owner_respondent(request: HttpRequest, engagement_id: int, respondent_id: int) -> Respondent:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    return get_object_or_404(
        Respondent.objects.select_related("person", "campaign", "campaign__engagement"),
        pk=respondent_id,
        campaign__engagement=engagement,
    )


@login_required
@require_POST
def respondent_link(request: HttpRequest, engagement_id: int, respondent_id: int) -> HttpResponse:
    """Show the respondent's current link to copy by hand (a POST, so the link never sits in a URL or log)."""
    respondent = _owner_respondent(request, engagement_id, respondent_id)
    if respondent.campaign.status == CampaignStatus.DRAFT:
        messages.error(request, _("Send the campaign first; links work once it is sent."))
        return redirect("survey:campaign", engagement_id, respondent.campaign_id)
    if request.POST.get("action") == "reissue":
        link = services.link_reissue(
            respondent=respondent, actor=request.user, send=bool(request.POST.get("send")), base_url=_base_url(request)
        )
        messages.success(request, _("A new link was issued; the previous one no longer works."))
    elif request.POST.get("action") == "revoke":
        services.link_revoke(respondent=respondent, actor=request.user)
        messages.success(request, _("The link of %(name)s no longer works.") % {"name": respondent.person.name})
        return redirect("survey:campaign", engagement_id, respondent.campaign_id)
    elif respondent.revoked_at:
        messages.error(request, _("This link was revoked. Issue a new one to let the person answer again."))
        return redirect("survey:campaign", engagement_id, respondent.campaign_id)
    else:
        link = services.respondent_link(services.respondent_token(respondent), _base_url(request))
    engagement = respondent.campaign.engagement
    _engagement, membership = engagement_for(request.user, engagement.pk)
    return render(
        request,
        "survey/respondent_link.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "campaigns",
            "respondent": respondent,
            "link": link,
        },
    )


@login_required
def response_detail(request: HttpRequest, engagement_id: int, response_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    response = get_object_or_404(
        Response.objects.select_related("questionnaire", "respondent__person", "respondent__campaign"),
        pk=response_id,
        respondent__campaign__engagement=engagement,
    )
    return render(
        request,
        "survey/response.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "campaigns",
            "editable": can(membership, Role.EDITOR),
            "is_owner": can(membership, Role.OWNER),
            "response": response,
            "sheet": response_sheet(response),
        },
    )


@login_required
@require_POST
def response_reopen(request: HttpRequest, engagement_id: int, response_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    response = get_object_or_404(Response, pk=response_id, respondent__campaign__engagement=engagement)
    attempt(
        request,
        lambda: services.response_reopen(response=response, actor=request.user),
        _("Reopened: the respondent can change the answers and submit again with the same link."),
    )
    return redirect("survey:response", engagement.pk, response.pk)


@login_required
@require_POST
def answer_flag(request: HttpRequest, engagement_id: int, answer_id: int) -> HttpResponse:
    """An analyst marks (or unmarks) an answer for discussion in an interview."""
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    answer = get_object_or_404(Answer, pk=answer_id, response__respondent__campaign__engagement=engagement)
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
    return redirect(
        reverse("survey:response", args=[engagement.pk, answer.response_id]) + f"#answer-{answer.question_id}"
    )


@login_required
def attachment_download(request: HttpRequest, engagement_id: int, attachment_id: int) -> HttpResponseBase:
    engagement, _m = engagement_for(request.user, engagement_id)
    attachment = get_object_or_404(
        Attachment, pk=attachment_id, answer__response__respondent__campaign__engagement=engagement
    )
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
    engagement, _m = engagement_for(request.user, engagement_id)
    campaign = get_object_or_404(Campaign, pk=campaign_id, engagement=engagement)
    return download(
        campaign_answers_workbook(campaign),
        filename=f"survey-answers-{campaign.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


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
