"""The engagement's weights (per process, clause or requirement) and the scale of a clause in an assessment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.errors import ServiceError
from certprep.core.feedback import attempt
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.gaps.access import assessment_for
from certprep.gaps.choices import REQUIREMENT_SCALES, WeightScope
from certprep.gaps.rules import WEIGHT_MAX, WEIGHT_MIN
from certprep.gaps.selectors.weights import weight_page
from certprep.gaps.services import weights as services
from certprep.gaps.services.documents import requirements_by_refs
from certprep.gaps.services.ratings import ratings_scale_set
from certprep.gaps.views.common import context


@login_required
def weights(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    page = weight_page(engagement)
    return render(
        request,
        "gaps/weights.html",
        context(
            engagement,
            membership,
            "weights",
            process_rows=page.processes,
            clause_rows=page.clauses,
            requirement_rows=page.requirements,
            weight_choices=list(range(WEIGHT_MIN, WEIGHT_MAX + 1)),
            scopes=WeightScope,
        ),
    )


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def weight_save(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    scope = request.POST.get("scope", "")
    key = request.POST.get("key", "")[:300]
    raw = request.POST.get("weight", "").strip()
    weight = _int(raw)
    if raw and weight is None:
        messages.error(
            request, _("A weight is a whole number from %(min)s to %(max)s.") % {"min": WEIGHT_MIN, "max": WEIGHT_MAX}
        )
        return redirect("gaps:weights", engagement.pk)

    def save() -> object:
        target = key
        if scope == WeightScope.REQUIREMENT and request.POST.get("ref"):
            found = requirements_by_refs(engagement=engagement, refs=[request.POST.get("ref", "")[:100]], field="key")
            target = found[0].urn
        return services.weight_set(
            engagement=engagement,
            actor=request.user,
            scope=scope,
            key=target,
            weight=weight,
            expected_version=_int(request.POST.get("version")),
        )

    attempt(request, save, _("Weight saved.") if weight is not None else _("The catalogue's weight applies again."))
    return redirect(reverse("gaps:weights", args=[engagement.pk]) + f"#{scope}")


@login_required
@require_POST
def assessment_scale(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    """Rate a clause (or a requirement, or everything) of an assessment on another scale."""
    current, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    scale = request.POST.get("scale", "")
    clause = request.POST.get("clause", "")[:100]
    if scale not in REQUIREMENT_SCALES:
        messages.error(request, _("Choose capability or compliance."))
        return redirect("gaps:assessment_edit", engagement_id, current.pk)
    try:
        changed = ratings_scale_set(assessment=current, actor=request.user, scale=scale, clause=clause)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("gaps:assessment_edit", engagement_id, current.pk)
    if changed:
        messages.success(
            request,
            ngettext(
                "%(n)s requirement is now rated on this scale.",
                "%(n)s requirements are now rated on this scale.",
                changed,
            )
            % {"n": changed},
        )
    else:
        messages.info(request, _("Every requirement there is already rated on this scale."))
    return redirect("gaps:assessment", engagement_id, current.pk)
