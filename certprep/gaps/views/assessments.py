"""The gap-analysis home (assessments, with progress), creating and editing assessments, and settings."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, run_form, submit_form
from certprep.engagements.access import engagement_for, page_role
from certprep.engagements.choices import Role
from certprep.gaps.access import assessment_for
from certprep.gaps.choices import AssessmentStatus, Scale
from certprep.gaps.forms import AssessmentCreateForm, AssessmentEditForm, GapSettingsForm
from certprep.gaps.selectors.assessments import assessment_list, clauses_with_children
from certprep.gaps.services import assessments as services
from certprep.gaps.views.common import context


@login_required
def overview(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    rows = list(assessment_list(engagement, newest_first=True))
    form = AssessmentCreateForm(
        engagement=engagement,
        initial={
            "assessed_on": timezone.localdate(),
            "name": _("Baseline") if not rows else _("Reassessment %(n)s") % {"n": len(rows)},
            "framework": services.default_framework(),
            "based_on": rows[0].pk if rows else None,
        },
    )
    return render(
        request,
        "gaps/overview.html",
        context(
            engagement,
            membership,
            "assessments",
            assessments=rows,
            form=form,
            settings=services.settings_for(engagement) if rows else None,
        ),
    )


@login_required
@require_POST
def assessment_create(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = AssessmentCreateForm(request.POST, engagement=engagement)
    if form.is_valid():
        data = form.cleaned_data
        created, _c = run_form(
            form,
            lambda: services.assessment_create(
                engagement=engagement,
                actor=request.user,
                name=data["name"],
                assessed_on=data["assessed_on"],
                framework=data["framework"],
                based_on=data["based_on"],
            ),
        )
        if created is not None:
            count = created.ratings.count()
            messages.success(
                request,
                ngettext(
                    'Assessment "%(name)s" created with %(n)s requirement.',
                    'Assessment "%(name)s" created with %(n)s requirements.',
                    count,
                )
                % {"name": created.name, "n": count},
            )
            return redirect("gaps:assessment", engagement.pk, created.pk)
    rows = list(assessment_list(engagement, newest_first=True))
    return render(
        request,
        "gaps/overview.html",
        context(engagement, membership, "assessments", assessments=rows, form=form),
        status=400,
    )


@login_required
def assessment_edit(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    current, membership = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    engagement = current.engagement
    form = AssessmentEditForm(request.POST or None, instance=current)
    saved, conflict = submit_form(
        request,
        form,
        partial(services.assessment_update, assessment=current, actor=request.user),
        _("Assessment saved."),
    )
    if saved is not None:
        return redirect("gaps:assessment", engagement_id, current.pk)
    return render(
        request,
        "gaps/assessment_edit.html",
        context(
            engagement,
            membership,
            "assessments",
            assessment=current,
            form=form,
            conflict=conflict,
            clauses=clauses_with_children(current.framework_id),
            scales=[(Scale.CAPABILITY, Scale.CAPABILITY.label), (Scale.COMPLIANCE, Scale.COMPLIANCE.label)],
        ),
    )


@login_required
@require_POST
def assessment_status(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    current, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    closing = request.POST.get("status") == AssessmentStatus.CLOSED
    attempt(
        request,
        lambda: services.assessment_update(
            assessment=current,
            actor=request.user,
            expected_version=current.version,
            status=AssessmentStatus.CLOSED if closing else AssessmentStatus.OPEN,
        ),
        _("Assessment closed: its ratings are now read-only.") if closing else _("Assessment reopened."),
    )
    return redirect("gaps:assessment", engagement_id, current.pk)


@login_required
@require_POST
def assessment_delete(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    current, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.OWNER)
    if request.POST.get("confirm") != current.name:
        messages.error(request, _("Type the assessment's name to confirm the deletion."))
        return redirect("gaps:assessment_edit", engagement_id, current.pk)
    attempt(
        request, lambda: services.assessment_delete(assessment=current, actor=request.user), _("Assessment deleted.")
    )
    return redirect("gaps:overview", engagement_id)


@login_required
@require_POST
def assessment_sync(request: SignedInRequest, engagement_id: int, assessment_id: int) -> HttpResponse:
    current, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    attempt(
        request,
        lambda: services.assessment_sync(assessment=current, actor=request.user),
        lambda n: _("%(n)s new requirements added.") % {"n": n},
    )
    return redirect("gaps:assessment", engagement_id, current.pk)


@login_required
def gap_settings(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    role = page_role(request)
    engagement, membership = engagement_for(request.user, engagement_id, role=role)
    current = services.settings_for(engagement)
    form = GapSettingsForm(request.POST or None, instance=current)
    saved, conflict = submit_form(
        request,
        form,
        partial(services.settings_update, engagement=engagement, actor=request.user),
        _("Gap analysis settings saved."),
    )
    if saved is not None:
        return redirect("gaps:overview", engagement_id)
    return render(
        request,
        "gaps/settings.html",
        context(engagement, membership, "settings", form=form, conflict=conflict, settings=current),
    )
