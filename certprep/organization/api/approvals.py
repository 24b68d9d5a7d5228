"""The decision log and the approvals through the API."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.api_refs import body_ref, body_refs
from certprep.core.schemas import Choice, InputSchema, IsoDate, VersionQuery
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.organization.access import approval_for, decision_for
from certprep.organization.choices import Concerns
from certprep.organization.models import Decision
from certprep.organization.selectors.approvals import ApprovalState, approval_state, approval_states
from certprep.organization.selectors.team import decisions_of
from certprep.organization.services.approvals import approval_revoke, document_approve
from certprep.organization.services.team import decision_create, decision_delete, decision_update
from certprep.people.models import Person
from certprep.planning.models import Task

router = Router()
BASE = "/{engagement_id}/organization"


class OrganizationDecisionOut(Schema):
    id: int
    decided_on: datetime.date
    title: str
    rationale: str
    decided_by: list[int] = Field(description="Ids of the engagement's people who decided.")
    decided_by_user: str = Field(description="The user name of the user who decided, when they did.")
    concerns: str = Field(description="'', document, task or topic.")
    document: str = Field(description="The approvable document's key (budget, plan, feasibility).")
    task_id: int | None
    topic_id: int | None
    version: int


class OrganizationDecisionIn(InputSchema):
    decided_on: IsoDate
    title: str = Field(min_length=1, max_length=300)
    rationale: str = Field("", max_length=20_000)
    decided_by: list[int] = Field(default_factory=list, max_length=200)
    by_me: bool = Field(False, description="The calling user decided (or took part).")
    concerns: Choice[Concerns] = Concerns.NOTHING
    document: str = Field("", max_length=40)
    task_id: int | None = None
    topic_id: int | None = None


class OrganizationDecisionPatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    decided_on: IsoDate | None = None
    title: str | None = Field(None, min_length=1, max_length=300)
    rationale: str | None = Field(None, max_length=20_000)
    decided_by: list[int] | None = Field(None, max_length=200)
    by_me: bool | None = None
    concerns: Choice[Concerns] | None = None
    document: str | None = Field(None, max_length=40)
    task_id: int | None = None
    topic_id: int | None = None


class OrganizationFigureOut(Schema):
    key: str
    label: str
    value: str


class OrganizationDifferenceOut(Schema):
    key: str
    label: str
    kind: str = Field(description="changed, added or removed.")
    at_approval: str | None
    now: str | None


class OrganizationApprovalOut(Schema):
    id: int
    number: int = Field(description="The document's approval number (1, 2, ...).")
    approved_by: str = Field(description="The approver's user name.")
    approver_title: str
    approved_at: datetime.datetime
    note: str
    revoked_at: datetime.datetime | None


class OrganizationApprovalStateOut(Schema):
    document: str
    label: str
    state: str = Field(description="never, approved or changed (since the approval in force).")
    digest: str = Field(description="sha256 of the figures now: send it to approve what you read.")
    approval: OrganizationApprovalOut | None = Field(description="The approval in force (the latest not revoked).")
    figures: list[OrganizationFigureOut]
    differences: list[OrganizationDifferenceOut]


class OrganizationApproveIn(InputSchema):
    digest: str = Field(min_length=1, max_length=64, description="The digest of the figures you read (GET approvals).")
    approver_title: str = Field(min_length=1, max_length=150, description="Your name or title, e.g. CEO.")
    note: str = Field("", max_length=20_000)


def decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "decided_on": decision.decided_on,
        "title": decision.title,
        "rationale": decision.rationale,
        "decided_by": [p.pk for p in decision.decided_by.all()],
        "decided_by_user": decision.decided_by_user_name,
        "concerns": decision.concerns,
        "document": decision.document,
        "task_id": decision.task_id,
        "topic_id": decision.topic_id,
        "version": decision.version,
    }


def _links(engagement: Engagement, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in the body as the engagement's objects (404 for another engagement's)."""
    if data.get("decided_by") is not None:
        people = Person.objects.filter(engagement=engagement)
        data["decided_by"] = body_refs(
            people, data["decided_by"], field="decided_by", message=_("No such person in this engagement: %(ids)s.")
        )
    if "task_id" in data:
        pk = data.pop("task_id")
        tasks = Task.objects.filter(plan__engagement=engagement)
        message = _("No such task in this engagement's plan.")
        data["task"] = None if pk is None else body_ref(tasks, pk, field="task_id", message=message)
    if "topic_id" in data:
        pk = data.pop("topic_id")
        topics = ImprovementTopic.objects.filter(engagement=engagement)
        message = _("No such improvement topic in this engagement.")
        data["topic"] = None if pk is None else body_ref(topics, pk, field="topic_id", message=message)
    return data


def state_out(state: ApprovalState) -> dict[str, Any]:
    approval = state.approval
    return {
        "document": state.key,
        "label": state.label,
        "state": state.state,
        "digest": state.digest,
        "approval": None
        if approval is None
        else {
            "id": approval.pk,
            "number": approval.number,
            "approved_by": approval.approved_by_name,
            "approver_title": approval.approver_title,
            "approved_at": approval.approved_at,
            "note": approval.note,
            "revoked_at": approval.revoked_at,
        },
        "figures": [{"key": f.key, "label": f.label, "value": f.value} for f in state.figures],
        "differences": [
            {"key": d.key, "label": d.label, "kind": d.kind, "at_approval": d.before, "now": d.after}
            for d in state.differences
        ],
    }


@router.get(BASE + "/decisions", response={200: list[OrganizationDecisionOut], **READ}, summary="The decision log")
def decision_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [decision_out(d) for d in decisions_of(engagement)]


@router.post(BASE + "/decisions", response={201: OrganizationDecisionOut, **WRITE}, summary="Log a decision")
def decision_post(request: SignedInRequest, engagement_id: int, payload: OrganizationDecisionIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    decision = decision_create(engagement=engagement, actor=request.user, **_links(engagement, payload.dict()))
    return Status(201, decision_out(decision))


@router.get(BASE + "/decisions/{decision_id}", response={200: OrganizationDecisionOut, **READ}, summary="One decision")
def decision_get(request: HttpRequest, engagement_id: int, decision_id: int) -> Any:
    decision, _m = decision_for(request.user, engagement_id, decision_id)
    return decision_out(decision)


@router.patch(
    BASE + "/decisions/{decision_id}", response={200: OrganizationDecisionOut, **VERSIONED}, summary="Change a decision"
)
def decision_patch(
    request: SignedInRequest, engagement_id: int, decision_id: int, payload: OrganizationDecisionPatch
) -> Any:
    decision, _m = decision_for(request.user, engagement_id, decision_id, role=Role.EDITOR)
    data = _links(decision.engagement, payload.dict(exclude_unset=True, exclude={"version"}))
    decision_update(decision=decision, actor=request.user, expected_version=payload.version, **data)
    return decision_out(decision)


@router.delete(BASE + "/decisions/{decision_id}", response={204: None, **VERSIONED}, summary="Remove a decision")
def decision_remove(request: SignedInRequest, engagement_id: int, decision_id: int, query: Query[VersionQuery]) -> Any:
    decision, _m = decision_for(request.user, engagement_id, decision_id, role=Role.EDITOR)
    decision_delete(decision=decision, actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.get(
    BASE + "/approvals",
    response={200: list[OrganizationApprovalStateOut], **READ},
    summary="Each approvable document's state, with what changed since its approval",
)
def approval_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [state_out(s) for s in approval_states(engagement)]


@router.post(
    BASE + "/approvals/{document}",
    response={201: OrganizationApprovalStateOut, **VERSIONED},
    summary="Approve a document as read (editors and owners; a digest no longer current gives 409)",
)
def approval_post(request: SignedInRequest, engagement_id: int, document: str, payload: OrganizationApproveIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    document_approve(
        engagement=engagement,
        actor=request.user,
        document=document,
        seen_digest=payload.digest,
        approver_title=payload.approver_title,
        note=payload.note,
    )
    state = approval_state(engagement, document)
    return Status(201, state_out(state) if state else None)


@router.delete(
    BASE + "/approvals/revoke/{approval_id}", response={204: None, **WRITE}, summary="Revoke an approval (owners)"
)
def approval_delete(request: SignedInRequest, engagement_id: int, approval_id: int) -> Any:
    approval, _m = approval_for(request.user, engagement_id, approval_id)
    approval_revoke(approval=approval, actor=request.user)
    return Status(204, None)
