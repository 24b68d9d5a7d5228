"""The respondent's side: a personal link opens that person's questionnaires, without an account.

Every view starts from the link. A wrong, expired or revoked link gets the same page, which tells
nothing about why or about whose link it might have been.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certprep.core.api_errors import json_error
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.timezones import activate_engagement_zone
from certprep.survey.access import own_attachment, own_question, own_response
from certprep.survey.answers import display_value, spec_of, value_from_form
from certprep.survey.choices import QuestionKind, ResponseStatus
from certprep.survey.models import Question, Respondent, Response
from certprep.survey.selectors.respondent import all_submitted, question_of, respondent_home, response_sheet
from certprep.survey.selectors.tracking import process_names
from certprep.survey.services import answers as services
from certprep.survey.views.campaigns import attachment_response


def _wants_json(request: HttpRequest) -> bool:
    """The page's script asks for JSON; it then gets errors in the API's shape (core.api_errors.json_error)."""
    return request.headers.get("Accept", "").startswith("application/json")


def _invalid(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return json_error(404, _("This link no longer works. Reload the page for details."))
    return render(request, "survey/link_invalid.html", status=404)


def _answered_through_link(respondent: Respondent, answer: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """Run the view for a working link, on the organization's clock, and keep the link out of other sites."""
    activate_engagement_zone(respondent.campaign.engagement)  # deadlines and save times as the organization's clock
    response = answer()
    response["Referrer-Policy"] = (
        "same-origin"  # the link must not leak to other sites (no-referrer would make POSTs carry "Origin: null")
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def with_respondent(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Resolve the link to its respondent, or show the invalid-link page."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponseBase:
        respondent = services.respondent_by_token(token)
        if respondent is None:
            return _invalid(request)
        return _answered_through_link(respondent, lambda: view(request, respondent, token, **kwargs))

    return never_cache(wrapper)


def with_response(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Like with_respondent, for a view of one of the respondent's responses: the link and the response are
    found in one query (the autosave runs at every pause in typing). A response that is not the link's is
    not found (404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, response_id: int, **kwargs: Any) -> HttpResponseBase:
        response = services.response_by_link(token=token, response_id=response_id)
        if response is None:
            if services.respondent_by_token(token) is None:
                return _invalid(request)
            raise Http404
        return _answered_through_link(
            response.respondent, lambda: view(request, response.respondent, token, response, **kwargs)
        )

    return never_cache(wrapper)


@with_respondent
def home(request: HttpRequest, respondent: Respondent, token: str) -> HttpResponse:
    services.respondent_seen(respondent)
    responses = respondent_home(respondent)
    return render(
        request,
        "survey/respond_home.html",
        {
            "respondent": respondent,
            "token": token,
            "responses": responses,
            "all_submitted": all_submitted(responses),
            "campaign": respondent.campaign,
        },
    )


def _answer_page(
    request: HttpRequest, respondent: Respondent, token: str, response: Response, *,
    error: str = "", missing: list[Question] | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The questionnaire to answer (read-only once submitted), with an error and the missing questions."""
    return render(
        request,
        "survey/respond.html",
        {
            "respondent": respondent,
            "token": token,
            "response": response,
            "questionnaire": response.questionnaire,
            "sheet": response_sheet(response),
            "readonly": response.status == ResponseStatus.SUBMITTED and not missing,
            "campaign": respondent.campaign,
            "error": error,
            "missing": missing or [],
        },
        status=status,
    )


@with_respondent
def answer_page(request: HttpRequest, respondent: Respondent, token: str, response_id: int) -> HttpResponse:
    return _answer_page(request, respondent, token, own_response(respondent, response_id))


def _flag_fields(request: HttpRequest, question: Question) -> tuple[bool | None, str | None]:
    """The respondent's discussion mark, when this page changed it (so an analyst's mark made meanwhile
    is not cleared by a page that never touched it)."""
    prefix = f"q{question.pk}"
    if request.POST.get(f"{prefix}-flag-sent") != "1":
        return None, None
    flagged, note = request.POST.get(f"{prefix}-flag") == "on", request.POST.get(f"{prefix}-flag-note", "")
    if f"{prefix}-flag-was" in request.POST:
        was = (request.POST.get(f"{prefix}-flag-was") == "on", request.POST.get(f"{prefix}-flag-note-was", ""))
        if (flagged, note) == was:
            return None, None
    return flagged, note


@require_POST
@with_response
def autosave(
    request: HttpRequest, respondent: Respondent, token: str, response: Response, question_id: int
) -> HttpResponse:
    """Save one answer as it is typed. The page sends the answer version it last saw (0 before the first
    save); a save without it is refused, since it could only overwrite whatever another window saved."""
    question = question_of(response, question_id)
    if question is None:
        return json_error(410, _("This question was removed from the questionnaire. Reload the page."))
    expected = _int(request.POST.get("version"))
    if expected is None or expected < 0:
        return json_error(
            400, _("The answer was sent without the version the page last saw. Reload the page."), "version"
        )
    flagged, note = _flag_fields(request, question)
    codes = list(process_names()) if question.kind == QuestionKind.PROCESS_REF else []
    try:
        result = services.answer_save(
            respondent=respondent,
            response=response,
            question=question,
            raw=value_from_form(spec_of(question, codes), request.POST),
            expected_version=expected,
            flagged=flagged,
            flag_note=note,
            process_codes=codes,
        )
    except ConflictError as exc:
        current = exc.current
        labels = dict(question.option_labels()) | process_names()
        # The stored answer travels with the refusal, so the page can offer it beside the one typed.
        return json_error(
            409,
            exc.message,
            conflict=True,
            version=current.version,
            value=current.value,
            text=display_value(question.kind, current.value, labels=labels) or _("(empty)"),
            flagged=current.flagged,
            flag_note=current.flag_note,
        )
    except ServiceError as exc:
        return json_error(400, exc.message, exc.field)
    return JsonResponse(
        {
            "ok": True,
            "version": result.answer.version,
            "answered": result.answered,
            "total": result.total,
            "saved_at": timezone.localtime(result.answer.updated_at).strftime("%H:%M:%S"),
            # The page keeps the progress of the latest count: a reply to an older save may arrive later.
            "progress_at": round(result.counted_at.timestamp() * 1000, 3),
        }
    )


@require_POST
@with_respondent
def upload(
    request: HttpRequest, respondent: Respondent, token: str, response_id: int, question_id: int
) -> HttpResponse:
    response = own_response(respondent, response_id)
    question = own_question(response, question_id)
    upload_file = request.FILES.get("file")
    wants_json = _wants_json(request)
    try:
        if upload_file is None:
            raise ServiceError(_("Choose a file to attach."))
        attachment = services.attachment_add(
            respondent=respondent, response=response, question=question, upload=upload_file
        )
    except ServiceError as exc:
        if wants_json:
            return json_error(400, exc.message, exc.field)
        return _page_with_error(request, respondent, token, response, exc.message)
    if wants_json:
        return JsonResponse(
            {"ok": True, "id": attachment.pk, "name": attachment.original_name, "size": attachment.size}
        )
    return redirect(reverse("survey:respond_questionnaire", args=[token, response.pk]) + f"#question-{question.pk}")


def _page_with_error(
    request: HttpRequest, respondent: Respondent, token: str, response: Response, message: str
) -> HttpResponse:
    return _answer_page(request, respondent, token, response, error=message, status=400)


@require_POST
@with_respondent
def attachment_delete(request: HttpRequest, respondent: Respondent, token: str, attachment_id: int) -> HttpResponse:
    attachment = own_attachment(respondent, attachment_id)
    response = attachment.answer.response
    try:
        services.attachment_delete(respondent=respondent, attachment=attachment)
    except ServiceError as exc:
        return _page_with_error(request, respondent, token, response, exc.message)
    return redirect("survey:respond_questionnaire", token, response.pk)


@with_respondent
def attachment_get(request: HttpRequest, respondent: Respondent, token: str, attachment_id: int) -> HttpResponseBase:
    attachment = own_attachment(respondent, attachment_id)
    return attachment_response(attachment)


@require_POST
@with_respondent
def submit(request: HttpRequest, respondent: Respondent, token: str, response_id: int) -> HttpResponse:
    """Submit the questionnaire. Values posted with the form are saved first (the page also works
    without JavaScript, and nothing typed in the last second is lost)."""
    response = own_response(respondent, response_id)
    codes = list(process_names())
    if response.status != ResponseStatus.SUBMITTED:
        questions = list(response.questionnaire.questions.all())
        versions = {a.question_id: a.version for a in response.answers.all()}
        conflicts: list[str] = []
        problems: list[str] = []
        for question in questions:
            if f"q{question.pk}-present" not in request.POST:
                continue
            raw = value_from_form(spec_of(question, codes), request.POST)
            flagged, note = _flag_fields(request, question)
            seen = request.POST.get(f"q{question.pk}-version", str(versions.get(question.pk, 0)))
            try:
                services.answer_save(
                    respondent=respondent, response=response, question=question, raw=raw,
                    expected_version=_int(seen), flagged=flagged, flag_note=note,
                )  # fmt: skip
            except ConflictError as exc:
                # Another window saved a different answer since this page was loaded: do not submit over
                # it silently; show the page with both and let the person decide.
                labels = dict(question.option_labels()) | process_names()  # labels, never the stored keys
                conflicts.append(
                    _("%(question)s — saved from another window: %(theirs)s; this window had: %(mine)s")
                    % {
                        "question": question.tr.text,
                        "theirs": display_value(question.kind, exc.current.value, labels=labels) or _("(empty)"),
                        "mine": display_value(question.kind, raw, labels=labels) or _("(empty)"),
                    }
                )
            except ServiceError as exc:  # keep saving the other answers, then show every problem
                problems.append(f"{question.tr.text}: {exc.message}")
        if problems:
            return _page_with_error(request, respondent, token, response, " · ".join(problems))
        if conflicts:
            return _answer_page(
                request, respondent, token, response, status=409,
                error=_(
                    "Not submitted: some answers were changed in another window. Check them and submit again. "
                    "%(list)s"
                ) % {"list": " · ".join(conflicts)},
            )  # fmt: skip
    try:
        missing = services.response_submit(
            respondent=respondent, response=response, base_url=request.build_absolute_uri("/").rstrip("/")
        )
    except ServiceError as exc:
        return _page_with_error(request, respondent, token, response, exc.message)
    if missing:
        response.refresh_from_db()
        return _answer_page(
            request, respondent, token, response, missing=missing, status=400,
            error=_("Some required questions are not answered yet; they are marked below."),
        )  # fmt: skip
    return redirect("survey:respond", token)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


urlpatterns = [
    path("r/<str:token>/", home, name="respond"),
    path("r/<str:token>/q/<int:response_id>/", answer_page, name="respond_questionnaire"),
    path("r/<str:token>/q/<int:response_id>/a/<int:question_id>/", autosave, name="respond_autosave"),
    path("r/<str:token>/q/<int:response_id>/files/<int:question_id>/", upload, name="respond_upload"),
    path("r/<str:token>/q/<int:response_id>/submit/", submit, name="respond_submit"),
    path("r/<str:token>/files/<int:attachment_id>/", attachment_get, name="respond_file"),
    path("r/<str:token>/files/<int:attachment_id>/delete/", attachment_delete, name="respond_file_delete"),
]
