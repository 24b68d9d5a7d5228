"""The assessment screen (one row per requirement, keyboard-friendly, instant saves) and the page of one
requirement's rating with its evidence and suggestions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.catalogue.models import Process, Requirement
from certprep.catalogue.refs import ref_sort_key
from certprep.catalogue.selectors import PROCESS_LENS_URN
from certprep.core.downloads import download
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.feedback import attempt, run_form
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.gaps.choices import Capability, Compliance, Documentation, EvidenceKind, Priority, Scale
from certprep.gaps.forms import EvidenceAnswerForm, EvidenceFileForm, EvidenceLinkForm, RatingForm
from certprep.gaps.models import Evidence, Rating
from certprep.gaps.rules import ATTRIBUTES, HIGH_FROM, MEDIUM_FROM
from certprep.gaps.selectors.documents import items_for, linked_documentation
from certprep.gaps.selectors.lens import process_codes_by_requirement, processes
from certprep.gaps.selectors.screen import Filters, row_for, screen
from certprep.gaps.selectors.suggestions import suggestions_for
from certprep.gaps.selectors.weights import weights_by_requirement
from certprep.gaps.services import ratings as services
from certprep.gaps.services.suggestions import suggestion_accept, suggestion_dismiss
from certprep.gaps.views.common import assessment_of, context, rating_of
from certprep.gaps.views.screen_html import OptionSets, render_rows
from certprep.survey.models import Answer


@login_required
def assessment(request: HttpRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    current = assessment_of(engagement, assessment_id)
    filters = Filters.from_query(request.GET)
    view = screen(current, filters, user=request.user)
    options = OptionSets(default_target=current.default_target, members=view.members)
    for row in view.rows:
        options.row(row)
    lens = processes()
    names = {p.code: p.tr.name for p in lens}
    tops = set(
        Requirement.objects.filter(framework_id=current.framework_id, parent__isnull=True).values_list(
            "ref_id", flat=True
        )
    )
    clauses = sorted(tops | ({filters.clause} if filters.clause else set()), key=ref_sort_key)
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
            process_names=names,
            clauses=clauses,
            capability=Scale.CAPABILITY in view.scales,
            compliance=Scale.COMPLIANCE in view.scales,
            attributes=ATTRIBUTES,
            documentation_choices=Documentation.choices,
            level_choices=_level_choices(current.scale),
            priority_bands=_priority_bands(),
            save_url=reverse("gaps:rating_save", args=[engagement.pk, 0]),
            rows_html=render_rows(
                view.rows,
                base=reverse("gaps:rating", args=[engagement.pk, 0]).removesuffix("0/"),
                disabled="" if can(membership, Role.EDITOR) and current.is_open else " disabled",
                labels={
                    "rating": _("Rating"),
                    "target": _("Target"),
                    "documentation": _("Documented information"),
                    "owner": _("Assessor"),
                    "attributes": _("Process attributes of"),
                    "suggestions": _("suggestions"),
                    "not_current": _("no longer in the framework"),
                    "weight": _("Weight in this engagement"),
                },
                attribute_columns=Scale.CAPABILITY in view.scales,
                parents=view.parents,
            ),
        ),
    )


def _level_choices(scale: str) -> list[tuple[int, str]]:
    if scale == Scale.COMPLIANCE:
        return [(c.value, f"{c.value} {c.label}") for c in Compliance]
    return [(c.value, f"{c.value} {c.label}") for c in Capability]


def _priority_bands() -> list[tuple[str, str, str]]:
    """The legend of the priority colour: band, label, from how many points."""
    return [
        (Priority.HIGH, str(Priority.HIGH.label), _("%(n)s points or more") % {"n": HIGH_FROM}),
        (
            Priority.MEDIUM,
            str(Priority.MEDIUM.label),
            _("%(low)s to %(high)s points") % {"low": MEDIUM_FROM, "high": HIGH_FROM - 1},
        ),
        (Priority.LOW, str(Priority.LOW.label), ngettext("%(n)s point", "%(n)s points", 1) % {"n": 1}),
    ]


def _level_label(rating: Rating) -> str:
    if rating.level is None:
        return _("Not rated")
    if rating.scale == Scale.COMPLIANCE:
        return f"{rating.level} {Compliance(rating.level).label}"
    return f"{rating.level} {Capability(rating.level).label}"


def rating_state(rating: Rating, *, with_linked: bool = False) -> dict[str, Any]:
    """What the screen shows of a rating, for the instant-save reply. with_linked adds the documentation
    status of the other rows of the assessment that share a checklist item with this one."""
    row = row_for(
        rating,
        rating.assessment,
        weights=weights_by_requirement(rating.assessment.engagement_id, rating.assessment.framework_id),
    )
    linked: dict[str, str] = {}
    if with_linked:
        linked = linked_documentation(rating)
    return {
        "id": rating.pk,
        "version": rating.version,
        "level": rating.level,
        "level_label": _level_label(rating),
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
        "linked_documentation": linked,
    }


def _int_or_none(value: str | None, field: str) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ServiceError(_("Enter a whole number."), field=field) from exc


@login_required
@require_POST
def rating_save(request: HttpRequest, engagement_id: int, rating_id: int) -> HttpResponse:
    """Instant save of one field of a rating from the assessment screen (JSON). The posted `version` is the one
    the screen shows; if someone saved the rating since, the reply is 409 with their values and nothing changes."""
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = rating_of(engagement, rating_id)
    data = request.POST
    try:
        version = _int_or_none(data.get("version"), "version")
        if version is None:
            raise ServiceError(_("The page did not say which version it shows. Reload it."), field="version")
        kwargs: dict[str, Any] = {}
        if "level" in data:
            kwargs["level"] = _int_or_none(data.get("level"), "level")
        if "attr" in data:
            kwargs["attributes"] = {data.get("attr", ""): data.get("value", "")}
        if "target" in data:
            kwargs["target"] = _int_or_none(data.get("target"), "target")
        if "documentation" in data:
            kwargs["documentation"] = data.get("documentation", "")
        if "owner" in data:
            kwargs["owner"] = services.member_by_id(rating, _int_or_none(data.get("owner"), "owner"))
        if "notes" in data:
            kwargs["notes"] = data.get("notes", "")
        rating = services.rating_update(rating=rating, actor=request.user, expected_version=version, **kwargs)
        if "documentation" in kwargs:
            return JsonResponse(rating_state(rating, with_linked=True))
    except ConflictError as exc:
        current = rating_of(engagement, rating_id)
        if _already_holds(current, data):  # a stale page asking for what is stored already: nothing to refuse
            return JsonResponse(rating_state(current))
        who = current.rated_by.get_username() if current.rated_by else ""
        detail = (
            _(
                "%(who)s changed this requirement while you were looking at it; the row now shows their values. "
                "Your change was not saved."
            )
            % {"who": who}
            if who
            else exc.message
        )
        return JsonResponse({"detail": detail, "current": rating_state(current)}, status=409)
    except ServiceError as exc:
        return JsonResponse(
            {"detail": exc.message, "field": exc.field, "current": rating_state(rating_of(engagement, rating_id))},
            status=400,
        )
    return JsonResponse(rating_state(rating))


def _already_holds(rating: Rating, data: Any) -> bool:
    """Whether the stored rating already has every value the request asks for."""
    checks = []
    if "level" in data:
        checks.append(str(rating.level if rating.level is not None else "") == data.get("level", "").strip())
    if "attr" in data:
        checks.append((rating.attributes or {}).get(data.get("attr", ""), "") == data.get("value", "").strip().upper())
    if "target" in data:
        checks.append(str(rating.target if rating.target is not None else "") == data.get("target", "").strip())
    if "documentation" in data:
        checks.append(rating.documentation == data.get("documentation", ""))
    if "owner" in data:
        checks.append(str(rating.owner_id or "") == data.get("owner", "").strip())
    if "notes" in data:
        checks.append(rating.notes == data.get("notes", "").strip())
    return bool(checks) and all(checks)


def _answer_choices(rating: Rating) -> list[tuple[int, str]]:
    """Survey answers worth linking as evidence: those to the questionnaires of the requirement's processes and
    to the management-system questionnaire."""
    codes = process_codes_by_requirement(rating.assessment.framework_id).get(rating.requirement_id, [])
    answers = (
        Answer.objects.filter(
            response__questionnaire__engagement_id=rating.assessment.engagement_id, value__isnull=False
        )
        .filter(Q(response__questionnaire__process_code__in=codes) | Q(response__questionnaire__kind="management"))
        .select_related("question", "response__respondent__person", "response__questionnaire")
        .order_by("response__questionnaire__key", "question__order", "pk")[:300]
    )
    choices = []
    for answer in answers:
        value = answer.value
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        label = f"{answer.response.respondent.person.name} · {answer.question.tr.text[:80]} → {text[:60]}"
        choices.append((answer.pk, label))
    return choices


@login_required
def rating_detail(request: HttpRequest, engagement_id: int, rating_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    rating = rating_of(engagement, rating_id)
    current = rating.assessment
    members = list(engagement.memberships.select_related("user").order_by("user__username"))
    users = [m.user for m in members]
    initial: dict[str, Any] = {
        "expected_version": rating.version,
        "level": rating.level,
        "target": rating.target,
        "documentation": rating.documentation,
        "owner": rating.owner_id,
        "notes": rating.notes,
        **{f"pa_{k}": v for k, v in (rating.attributes or {}).items()},
    }
    form = RatingForm(request.POST or None, initial=initial, assessment=current, members=users, scale=rating.scale)
    conflict = False
    if request.method == "POST":
        engagement_for(request.user, engagement_id, role=Role.EDITOR)
        if form.is_valid():
            data = form.cleaned_data
            kwargs: dict[str, Any] = {
                "target": data["target"],
                "documentation": data["documentation"],
                "notes": data["notes"],
            }
            if rating.scale == Scale.COMPLIANCE:
                kwargs["level"] = data["level"]
            else:
                kwargs["attributes"] = form.attributes()

            def save() -> Rating:
                owner = services.member_by_id(rating, data["owner"])
                return services.rating_update(
                    rating=rating, actor=request.user, expected_version=data["expected_version"], owner=owner, **kwargs
                )

            saved, conflict = run_form(form, save)
            if saved is not None:
                messages.success(request, _("Rating of %(ref)s saved.") % {"ref": rating.requirement.ref_id})
                return redirect("gaps:rating", engagement.pk, rating.pk)
    siblings = list(
        Rating.objects.filter(assessment=current).order_by("requirement__order", "pk").values_list("pk", flat=True)
    )
    position = siblings.index(rating.pk)
    codes = process_codes_by_requirement(current.framework_id).get(rating.requirement_id, [])
    names = {p.code: p.tr.name for p in Process.objects.filter(lens__urn=PROCESS_LENS_URN, code__in=codes)}
    return render(
        request,
        "gaps/rating.html",
        context(
            engagement,
            membership,
            "assessments",
            assessment=current,
            rating=rating,
            row=row_for(rating, current, weights=weights_by_requirement(engagement.pk, current.framework_id)),
            documents=items_for(engagement.pk, rating.requirement_id),
            level_label=_level_label(rating),
            form=form,
            conflict=conflict,
            evidence=list(
                rating.evidence.select_related("answer__question", "answer__response__respondent__person", "added_by")
            ),
            suggestions=suggestions_for(current, [rating]).get(rating.pk, []),
            topics=list(rating.topics.all()),
            processes=[names.get(c, c) for c in codes],
            link_form=EvidenceLinkForm(),
            file_form=EvidenceFileForm(),
            answer_form=EvidenceAnswerForm(answers=_answer_choices(rating)),
            previous_id=siblings[position - 1] if position > 0 else None,
            next_id=siblings[position + 1] if position + 1 < len(siblings) else None,
            position=position + 1,
            count=len(siblings),
        ),
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, engagement_id: int, rating_id: int, kind: str) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = rating_of(engagement, rating_id)
    back = redirect(reverse("gaps:rating", args=[engagement.pk, rating.pk]) + "#evidence")
    if kind == EvidenceKind.LINK:
        link = EvidenceLinkForm(request.POST)
        if not link.is_valid():
            messages.error(request, " ".join(str(e) for errors in link.errors.values() for e in errors))
            return back
        attempt(
            request,
            lambda: services.evidence_add_link(
                rating=rating, actor=request.user, url=link.cleaned_data["url"], title=link.cleaned_data["title"]
            ),
            _("Link added as evidence."),
        )
    elif kind == EvidenceKind.FILE:
        upload = EvidenceFileForm(request.POST, request.FILES)
        if not upload.is_valid():
            messages.error(request, " ".join(str(e) for errors in upload.errors.values() for e in errors))
            return back
        attempt(
            request,
            lambda: services.evidence_add_file(
                rating=rating,
                actor=request.user,
                upload=upload.cleaned_data["file"],
                title=upload.cleaned_data["title"],
            ),
            _("File added as evidence."),
        )
    elif kind == EvidenceKind.ANSWER:
        answer_id = (
            _int_or_none(request.POST.get("answer"), "answer") if request.POST.get("answer", "").isdigit() else None
        )
        answer = get_object_or_404(
            Answer.objects.select_related("question", "response__respondent__person", "response__respondent__campaign"),
            pk=answer_id or 0,
            response__questionnaire__engagement=engagement,
        )
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
def evidence_delete(request: HttpRequest, engagement_id: int, evidence_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    evidence = get_object_or_404(
        Evidence.objects.select_related("rating__assessment__engagement", "rating__requirement"),
        pk=evidence_id,
        rating__assessment__engagement=engagement,
    )
    rating_id = evidence.rating_id
    attempt(request, lambda: services.evidence_delete(evidence=evidence, actor=request.user), _("Evidence removed."))
    return redirect(reverse("gaps:rating", args=[engagement.pk, rating_id]) + "#evidence")


@login_required
def evidence_download(request: HttpRequest, engagement_id: int, evidence_id: int) -> HttpResponseBase:
    engagement, _m = engagement_for(request.user, engagement_id)
    evidence = get_object_or_404(
        Evidence, pk=evidence_id, rating__assessment__engagement=engagement, kind=EvidenceKind.FILE
    )
    if not evidence.file:
        raise Http404
    return download(
        evidence.file,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, engagement_id: int, rating_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = rating_of(engagement, rating_id)
    key = request.POST.get("key", "")[:200]
    if request.POST.get("decision") == "accept":
        try:
            version = int(request.POST.get("version", "0"))
        except ValueError:
            version = 0
        attempt(
            request,
            lambda: suggestion_accept(rating=rating, actor=request.user, key=key, expected_version=version),
            _("Suggestion applied; the survey answer is linked as evidence."),
        )
    else:
        attempt(
            request, lambda: suggestion_dismiss(rating=rating, actor=request.user, key=key), _("Suggestion dismissed.")
        )
    return redirect(reverse("gaps:rating", args=[engagement.pk, rating.pk]) + "#suggestions")
