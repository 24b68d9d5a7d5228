"""The decision log (decisions and approvals, newest first) and the approvals page: each approvable document's
state with what changed since its approval, approving what one sees, revoking an approval."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.feedback import attempt, attempt_with_version, submit_form
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.organization.access import approval_for, decision_for
from certprep.organization.forms import ApproveForm, DecisionForm
from certprep.organization.selectors.approvals import approval_history, approval_states
from certprep.organization.selectors.team import decision_log
from certprep.organization.services.approvals import approval_revoke, document_approve
from certprep.organization.services.team import decision_create, decision_delete, decision_update
from certprep.organization.views.common import context, write_role


@login_required
def decisions(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """The log, and the form to log a decision (editors)."""
    engagement, membership = engagement_for(request.user, engagement_id, role=write_role(request.method or ""))
    form = DecisionForm(request.POST or None, engagement=engagement, initial={"decided_on": timezone.localdate()})
    saved, _conflict = submit_form(
        request, form, partial(decision_create, engagement=engagement, actor=request.user), _("Decision logged.")
    )
    if saved is not None:
        return redirect("organization:decisions", engagement_id)
    log = decision_log(engagement, approval_history(engagement))
    return render(
        request, "organization/decisions.html", context(engagement, membership, "decisions", form=form, log=log)
    )


@login_required
def decision_edit(request: SignedInRequest, engagement_id: int, decision_id: int) -> HttpResponse:
    decision, membership = decision_for(request.user, engagement_id, decision_id, role=write_role(request.method or ""))
    initial: dict[str, Any] = {
        name: getattr(decision, name) for name in ("decided_on", "title", "rationale", "concerns", "document")
    }
    initial |= {
        "task": decision.task_id,
        "topic": decision.topic_id,
        "decided_by": list(decision.decided_by.all()),
        "by_me": decision.decided_by_user_id is not None,
        "expected_version": decision.version,
    }
    form = DecisionForm(request.POST or None, engagement=decision.engagement, editing=True, initial=initial)
    saved, conflict = submit_form(
        request, form, partial(decision_update, decision=decision, actor=request.user), _("Saved.")
    )
    if saved is not None:
        return redirect("organization:decisions", engagement_id)
    return render(
        request,
        "organization/decision_form.html",
        context(decision.engagement, membership, "decisions", form=form, decision=decision, conflict=conflict),
    )


@login_required
@require_POST
def decision_remove(request: SignedInRequest, engagement_id: int, decision_id: int) -> HttpResponse:
    decision, _m = decision_for(request.user, engagement_id, decision_id, role=Role.EDITOR)
    attempt_with_version(
        request,
        lambda version: decision_delete(decision=decision, actor=request.user, expected_version=version),
        _("Decision removed."),
    )
    return redirect("organization:decisions", engagement_id)


def _page(engagement: Engagement, membership: Membership) -> dict[str, Any]:
    states = approval_states(engagement)
    labels = {state.key: state.label for state in states}
    history = [
        (approval, labels.get(approval.document, approval.document)) for approval in approval_history(engagement)
    ]
    return context(engagement, membership, "approvals", states=states, history=history)


@login_required
def approvals(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    return render(request, "organization/approvals.html", _page(engagement, membership))


@login_required
@require_POST
def approve(request: SignedInRequest, engagement_id: int, document: str) -> HttpResponse:
    """Approve a document as the approver saw it; refused (409) when its figures changed in between."""
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = ApproveForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            document_approve(engagement=engagement, actor=request.user, document=document, **_named(form))
        except ConflictError as exc:
            messages.error(request, exc.message)
            status = 409
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = 400
        else:
            messages.success(request, _("Approved."))
            return redirect("organization:approvals", engagement_id)
    else:
        messages.error(request, _("Write your name or title as the approval should show it."))
        status = 400
    return render(request, "organization/approvals.html", _page(engagement, membership), status=status)


def _named(form: ApproveForm) -> dict[str, str]:
    data = form.cleaned_data
    return {"seen_digest": data["digest"], "approver_title": data["approver_title"], "note": data["note"]}


@login_required
@require_POST
def revoke(request: SignedInRequest, engagement_id: int, approval_id: int) -> HttpResponse:
    approval, _m = approval_for(request.user, engagement_id, approval_id)
    attempt(request, lambda: approval_revoke(approval=approval, actor=request.user), _("Approval revoked."))
    return redirect("organization:approvals", engagement_id)
