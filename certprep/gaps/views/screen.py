"""The assessment screen (one row per requirement, keyboard-friendly, instant saves) and the page of one
requirement's rating with its evidence and suggestions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.catalogue.refs import ref_sort_key
from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import json_error
from certprep.core.downloads import download
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.feedback import attempt, run_form
from certprep.engagements.access import can, page_role
from certprep.engagements.choices import Role
from certprep.gaps.access import answer_in, assessment_for, evidence_file_for, evidence_for, rating_for, rating_in
from certprep.gaps.changes import already_holds, posted_rating_fields, posted_version, rating_changes
from certprep.gaps.choices import Documentation, EvidenceKind, Scale
from certprep.gaps.forms import EvidenceAnswerForm, EvidenceFileForm, EvidenceLinkForm, RatingForm
from certprep.gaps.legends import level_choices, level_label, priority_bands
from certprep.gaps.models import Rating
from certprep.gaps.rules import ATTRIBUTES
from certprep.gaps.selectors.assessments import top_clauses
from certprep.gaps.selectors.documents import items_for
from certprep.gaps.selectors.lens import processes
from certprep.gaps.selectors.ratings import (
    answer_choices,
    evidence_of,
    linked_statuses,
    neighbours,
    process_names,
    rating_row,
    saved_state_row,
)
from certprep.gaps.selectors.screen import Filters, screen
from certprep.gaps.selectors.suggestions import suggestions_for
from certprep.gaps.services import ratings as services
from certprep.gaps.services.suggestions import suggestion_accept, suggestion_dismiss
from certprep.gaps.views.common import context
from certprep.gaps.views.screen_html import OptionSets, render_rows


def _row_labels() -> dict[str, str]:
    return {
        "rating": _("Rating"),
        "target": _("Target"),
        "documentation": _("Documented information"),
        "owner": _("Assessor"),
        "not_current": _("no longer in the framework"),
        "weight": _("Weight in this engagement"),
    }


@login_required
def assessment(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    current, membership = assessment_for(request.user, engagement_id, assessment_id)
    engagement = current.engagement
    filters = Filters.from_query(request.GET)
    view = screen(current, filters, user=request.user)
    options = OptionSets(default_target=current.default_target, members=view.members)
    for row in view.rows:
        options.row(row)
    lens = processes()
    clauses = sorted(set(top_clauses(current.framework_id)) | ({filters.clause} - {""}), key=ref_sort_key)
    rows_html = render_rows(
        view.rows,
        base=reverse("gaps:rating", args=[engagement.pk, 0]).removesuffix("0/"),
        disabled="" if can(membership, Role.EDITOR) and current.is_open else " disabled",
        labels=_row_labels(),
        attribute_columns=Scale.CAPABILITY in view.scales,
        parents=view.parents,
    )
    return render(
        request,
        "gaps/assessment.html",
        context(
            engagement,
            membership,
            "assessments",
            assessment=current,
            view=view,
            filters=filters,
            processes=lens,
            process_names={p.code: p.tr.name for p in lens},
            clauses=clauses,
            capability=Scale.CAPABILITY in view.scales,
            compliance=Scale.COMPLIANCE in view.scales,
            attributes=ATTRIBUTES,
            documentation_choices=Documentation.choices,
            level_choices=level_choices(current.scale),
            priority_bands=priority_bands(),
            save_url=reverse("gaps:rating_save", args=[engagement.pk, 0]),
            rows_html=rows_html,
        ),
    )


def rating_state(rating: Rating, *, with_linked: bool = False) -> dict[str, Any]:
    """What the screen shows of a rating, for the instant-save reply. with_linked adds the documentation
    status of the other rows of the assessment that share a checklist item with this one."""
    row = saved_state_row(rating)
    return {
        "id": rating.pk,
        "version": rating.version,
        "level": rating.level,
        "level_label": level_label(rating.level, rating.scale),
        "attributes": rating.attributes or {},
        "target": rating.target,
        "effective_target": row.target,
        "gap": row.gap,
        "points": row.points,
        "priority": row.priority or "",
        "priority_label": row.priority_label,
        "weight": row.weight,
        "documentation": rating.documentation,
        "owner": rating.owner_id,
        "linked_documentation": linked_statuses(rating) if with_linked else {},
    }


def _conflict_detail(current: Rating, exc: ConflictError) -> str:
    who = current.rated_by.get_username() if current.rated_by else ""
    if not who:
        return exc.message
    return _(
        "%(who)s changed this requirement while you were looking at it; the row now shows their values. "
        "Your change was not saved."
    ) % {"who": who}


@login_required
@require_POST
def rating_save(request: SignedInRequest, engagement_id: int, rating_id: int) -> HttpResponse:
    """Instant save of one field of a rating from the assessment screen (JSON). The posted `version` is the one
    the screen shows; if someone saved the rating since, the reply is 409 with their values and nothing changes.
    Refusals answer in the API's error shape (core.api_errors), with the row as stored in `current`."""
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    engagement = rating.assessment.engagement
    sent: dict[str, Any] = {}
    try:
        version = posted_version(request.POST)
        sent = posted_rating_fields(request.POST)
        changes = rating_changes(rating, sent)
        rating = services.rating_update(rating=rating, actor=request.user, expected_version=version, **changes)
    except ConflictError as exc:
        current = rating_in(engagement, rating_id)
        if already_holds(current, sent):  # a stale page asking for what is stored already: nothing to refuse
            return JsonResponse(rating_state(current))
        return json_error(409, _conflict_detail(current, exc), current=rating_state(current))
    except ServiceError as exc:
        return json_error(400, exc.message, exc.field, current=rating_state(rating_in(engagement, rating_id)))
    return JsonResponse(rating_state(rating, with_linked="documentation" in sent))


def _rating_form(request: HttpRequest, rating: Rating, users: list[Any]) -> RatingForm:
    initial: dict[str, Any] = {
        "expected_version": rating.version,
        "level": rating.level,
        "target": rating.target,
        "documentation": rating.documentation,
        "owner": rating.owner_id,
        "notes": rating.notes,
        **{f"pa_{k}": v for k, v in (rating.attributes or {}).items()},
    }
    return RatingForm(
        request.POST or None, initial=initial, assessment=rating.assessment, members=users, scale=rating.scale
    )


def _form_fields(form: RatingForm, scale: str) -> dict[str, Any]:
    """The rating form's values as the fields of a rating (the form sets all of them)."""
    data = form.cleaned_data
    sent = {name: data[name] for name in ("target", "documentation", "notes", "owner")}
    if scale == Scale.COMPLIANCE:
        sent["level"] = data["level"]
    else:
        sent["attributes"] = form.attributes()
    return sent


@login_required
def rating_detail(request: SignedInRequest, engagement_id: int, rating_id: int) -> HttpResponse:
    role = page_role(request)
    rating, membership = rating_for(request.user, engagement_id, rating_id, role=role)
    current = rating.assessment
    engagement = current.engagement
    users = [m.user for m in engagement.memberships.select_related("user").order_by("user__username")]
    form = _rating_form(request, rating, users)
    conflict = False
    if request.method == "POST" and form.is_valid():
        saved, conflict = run_form(
            form,
            lambda: services.rating_update(
                rating=rating,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                **rating_changes(rating, _form_fields(form, rating.scale)),
            ),
        )
        if saved is not None:
            messages.success(request, _("Rating of %(ref)s saved.") % {"ref": rating.requirement.ref_id})
            return redirect("gaps:rating", engagement.pk, rating.pk)
    previous_id, next_id, position, count = neighbours(rating)
    return render(
        request,
        "gaps/rating.html",
        context(
            engagement,
            membership,
            "assessments",
            assessment=current,
            rating=rating,
            row=rating_row(rating),
            documents=items_for(engagement.pk, rating.requirement_id),
            level_label=level_label(rating.level, rating.scale),
            form=form,
            conflict=conflict,
            evidence=evidence_of(rating),
            suggestions=suggestions_for(current, [rating]).get(rating.pk, []),
            topics=list(rating.topics.all()),
            processes=process_names(rating),
            link_form=EvidenceLinkForm(),
            file_form=EvidenceFileForm(),
            answer_form=EvidenceAnswerForm(answers=answer_choices(rating)),
            previous_id=previous_id,
            next_id=next_id,
            position=position,
            count=count,
        ),
    )


def _form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def evidence_add(request: SignedInRequest, engagement_id: int, rating_id: int, kind: str) -> HttpResponse:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    back = redirect(reverse("gaps:rating", args=[engagement_id, rating.pk]) + "#evidence")
    if kind == EvidenceKind.LINK:
        link = EvidenceLinkForm(request.POST)
        if not link.is_valid():
            messages.error(request, _form_errors(link))
            return back
        data = link.cleaned_data
        attempt(
            request,
            lambda: services.evidence_add_link(rating=rating, actor=request.user, url=data["url"], title=data["title"]),
            _("Link added as evidence."),
        )
    elif kind == EvidenceKind.FILE:
        upload = EvidenceFileForm(request.POST, request.FILES)
        if not upload.is_valid():
            messages.error(request, _form_errors(upload))
            return back
        data = upload.cleaned_data
        attempt(
            request,
            lambda: services.evidence_add_file(
                rating=rating, actor=request.user, upload=data["file"], title=data["title"]
            ),
            _("File added as evidence."),
        )
    elif kind == EvidenceKind.ANSWER:
        posted = request.POST.get("answer", "")
        answer = answer_in(rating.assessment.engagement, int(posted) if posted.isdigit() else 0)
        attempt(
            request,
            lambda: services.evidence_add_answer(rating=rating, actor=request.user, answer=answer),
            _("Survey answer linked as evidence."),
        )
    else:
        raise Http404
    return back


@login_required
@require_POST
def evidence_delete(request: SignedInRequest, engagement_id: int, evidence_id: int) -> HttpResponse:
    evidence, _m = evidence_for(request.user, engagement_id, evidence_id, role=Role.EDITOR)
    rating_id = evidence.rating_id
    attempt(request, lambda: services.evidence_delete(evidence=evidence, actor=request.user), _("Evidence removed."))
    return redirect(reverse("gaps:rating", args=[engagement_id, rating_id]) + "#evidence")


@login_required
def evidence_download(request: HttpRequest, engagement_id: int, evidence_id: int) -> HttpResponseBase:
    evidence = evidence_file_for(request.user, engagement_id, evidence_id)
    return download(
        evidence.file,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def suggestion_decide(request: SignedInRequest, engagement_id: int, rating_id: int) -> HttpResponse:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    key = request.POST.get("key", "")[:200]
    if request.POST.get("decision") == "accept":
        posted = request.POST.get("version", "")
        version = int(posted) if posted.isdigit() else 0
        attempt(
            request,
            lambda: suggestion_accept(rating=rating, actor=request.user, key=key, expected_version=version),
            _("Suggestion applied; the survey answer is linked as evidence."),
        )
    else:
        attempt(
            request, lambda: suggestion_dismiss(rating=rating, actor=request.user, key=key), _("Suggestion dismissed.")
        )
    return redirect(reverse("gaps:rating", args=[engagement_id, rating.pk]) + "#suggestions")
