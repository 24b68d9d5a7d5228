"""The comparison page (criteria and weights, normalized 3-year totals, scores, ranking, sensitivity, decision,
the chosen body's availability against the audits) and the writes it sends: weights, criteria, scores and the
decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, attempt_with_version, run_form
from certprep.core.workbooks import workbook_download
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.vendors import words
from certprep.vendors.access import criterion_for, vendor_for
from certprep.vendors.choices import VendorKind
from certprep.vendors.forms import CriterionForm, DecisionForm, ScoresForm, WeightsForm
from certprep.vendors.models import Criterion, Score
from certprep.vendors.selectors.comparison import availability_against_audits, comparison, ranking_rows
from certprep.vendors.services.selection import (
    criteria_defaults,
    criterion_create,
    criterion_delete,
    criterion_update,
    decision_record,
    score_set,
)
from certprep.vendors.spreadsheet import comparison_workbook
from certprep.vendors.views.common import context


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or request.POST.get("kind") or VendorKind.CERTIFICATION_BODY
    return kind if kind in VendorKind.values else VendorKind.CERTIFICATION_BODY


def _back(engagement_id: int, kind: str) -> HttpResponse:
    return redirect(f"{reverse('vendors:comparison', args=[engagement_id])}?kind={kind}")


@login_required
def comparison_page(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    kind = _kind(request)
    found = comparison(engagement, kind=kind, on=timezone.localdate())
    vendors = [row.vendor for row in found.rows]
    decision = found.decisions.get(kind)
    chosen = decision.vendor if decision else None
    return render(
        request,
        "vendors/comparison.html",
        context(
            engagement,
            membership,
            "comparison",
            kind=kind,
            kinds=VendorKind.choices,
            found=found,
            ranking=ranking_rows(found),
            weights_form=WeightsForm(criteria=found.criteria),
            criterion_form=CriterionForm(),
            decision_form=DecisionForm(vendors=vendors, initial={"vendor": found.ranking.recommended}),
            decision=decision,
            names={row.vendor.pk: row.vendor.name for row in found.rows},
            criteria_names={criterion.pk: criterion.shown_name for criterion in found.criteria},
            refusal=words.REFUSALS.get(found.ranking.refused) if found.ranking.refused else None,
            fits=availability_against_audits(engagement, chosen)
            if chosen and kind == VendorKind.CERTIFICATION_BODY
            else [],
        ),
    )


@login_required
@require_POST
def criteria_default(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    attempt(request, lambda: criteria_defaults(engagement=engagement, actor=request.user), _("Default criteria added."))
    return _back(engagement_id, _kind(request))


@login_required
@require_POST
def criterion_add(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = CriterionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: criterion_create(engagement=engagement, actor=request.user, **form.cleaned_data),
            _("Criterion added."),
        )
    else:
        messages.error(request, _("Enter the criterion's name and a weight from 0 to 100."))
    return _back(engagement_id, _kind(request))


@login_required
@require_POST
def weights_save(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = WeightsForm(request.POST, criteria=list(Criterion.objects.filter(engagement=engagement)))
    if not form.is_valid():
        messages.error(request, _("Each weight is a whole number from 0 to 100."))
        return _back(engagement_id, _kind(request))

    @transaction.atomic
    def save() -> int:
        for criterion, weight, version in form.weights():
            criterion_update(criterion=criterion, actor=request.user, expected_version=version, weight=weight)
        return len(form.weights())

    attempt(request, save, _("Weights saved."))
    return _back(engagement_id, _kind(request))


@login_required
@require_POST
def criterion_remove(request: SignedInRequest, engagement_id: int, criterion_id: int) -> HttpResponse:
    criterion, _m = criterion_for(request.user, engagement_id, criterion_id, role=Role.EDITOR)
    attempt_with_version(
        request,
        lambda version: criterion_delete(criterion=criterion, actor=request.user, expected_version=version),
        _("Criterion removed."),
    )
    return _back(engagement_id, _kind(request))


@login_required
def scores_edit(request: SignedInRequest, engagement_id: int, vendor_id: int) -> HttpResponse:
    vendor, membership = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    criteria = list(Criterion.objects.filter(engagement=vendor.engagement))
    current = {score.criterion_id: score for score in Score.objects.filter(vendor=vendor)}
    form = ScoresForm(request.POST or None, criteria=criteria, scores=current)
    conflict = False
    if request.method == "POST" and form.is_valid():

        @transaction.atomic
        def save() -> int:
            for criterion, points, rationale, version in form.scores():
                score_set(
                    vendor=vendor,
                    criterion=criterion,
                    actor=request.user,
                    score=points,
                    rationale=rationale,
                    expected_version=version,
                )
            return len(form.scores())

        saved, conflict = run_form(form, save)
        if saved is not None:
            messages.success(request, _("Scores saved."))
            return _back(engagement_id, vendor.kind)
    return render(
        request,
        "vendors/scores.html",
        context(vendor.engagement, membership, "comparison", vendor=vendor, form=form, conflict=conflict),
    )


@login_required
@require_POST
def decide(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    kind = _kind(request)
    vendors = list(engagement.vendors.filter(kind=kind))
    form = DecisionForm(request.POST, vendors=vendors)
    if not form.is_valid():
        messages.error(request, _("Choose the vendor and say why."))
        return _back(engagement_id, kind)
    vendor = next(v for v in vendors if v.pk == form.cleaned_data["vendor"])
    vendor.engagement = engagement
    attempt(
        request,
        lambda: decision_record(vendor=vendor, actor=request.user, rationale=form.cleaned_data["rationale"]),
        _("Decision recorded: %(name)s.") % {"name": vendor.name},
    )
    return _back(engagement_id, kind)


@login_required
def export(request: SignedInRequest, engagement_id: int) -> HttpResponseBase:
    """The comparison of one kind of vendor as an Excel workbook."""
    engagement, _m = engagement_for(request.user, engagement_id)
    kind = _kind(request)
    found = comparison(engagement, kind=kind, on=timezone.localdate())
    return workbook_download(comparison_workbook(found), name=f"vendors-{kind}-{engagement_id}")
