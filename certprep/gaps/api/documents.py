"""The documented-information checklist."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema, IsoDate
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.gaps.access import document_for, document_in
from certprep.gaps.api.common import BASE, VERSION_HELP, DocumentStatusIn, GapCountOut, GapPersonRef, person_ref, sent
from certprep.gaps.changes import document_changes
from certprep.gaps.choices import DocumentKind
from certprep.gaps.models import DocumentItem
from certprep.gaps.selectors.documents import checklist_items
from certprep.gaps.services import documents as services

router = Router()


class GapDocumentOut(Schema):
    id: int
    key: str
    kind: str = Field(description="document or record.")
    clause: str
    name: str = Field(description="As stored (the shipped English name or what people typed).")
    name_translated: str = Field(description="In the active language when a translation ships.")
    description: str = Field(description="In the active language when a translation ships.")
    stage1: str = Field(description="The stage 1 readiness item it evidences, if any.")
    requirements: list[str] = Field(
        description="References of the requirements it evidences; its status is their documentation status."
    )
    status: str
    owner: GapPersonRef | None = Field(description="A person of the organization.")
    location: str
    review_date: datetime.date | None
    notes: str
    order: int
    version: int


class GapDocumentIn(InputSchema):
    name: str = Field(min_length=1, max_length=300)
    kind: Choice[DocumentKind] = DocumentKind.DOCUMENT
    clause: str = Field("", max_length=20, description="e.g. 8.5.1")
    requirements: list[str] = Field(
        default_factory=list, max_length=50, description="References of the requirements it evidences, e.g. 8.5.1.1."
    )


class GapDocumentPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    status: DocumentStatusIn | None = None
    owner_id: int | None = Field(None, ge=1, description="A person of this engagement; null: nobody.")
    location: str | None = Field(None, max_length=500)
    review_date: IsoDate | None = None
    notes: str | None = Field(None, max_length=20_000)
    name: str | None = Field(None, min_length=1, max_length=300, description="A new name drops the translations.")
    clause: str | None = Field(None, max_length=20)
    requirements: list[str] | None = Field(
        None, max_length=50, description="Replaces the references of the requirements it evidences."
    )


def document_out(item: DocumentItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "key": item.key,
        "kind": item.kind,
        "clause": item.clause,
        "name": item.name,
        "name_translated": item.tr.name,
        "description": item.tr.description,
        "stage1": item.stage1,
        "requirements": [r.ref_id for r in sorted(item.requirements.all(), key=lambda r: (r.framework_id, r.order))],
        "status": item.status,
        "owner": person_ref(item.owner if item.owner_id else None),
        "location": item.location,
        "review_date": item.review_date,
        "notes": item.notes,
        "order": item.order,
        "version": item.version,
    }


@router.get(
    BASE + "/documents",
    response={200: list[GapDocumentOut], **READ},
    summary="The documented-information checklist with where each item stands",
)
def document_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [document_out(item) for item in checklist_items(engagement)]


@router.post(
    BASE + "/documents/load",
    response={200: GapCountOut, **WRITE},
    summary="Copy the shipped checklist items the engagement does not have yet (editors); safe to repeat",
)
def document_load(request: SignedInRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return {"added": services.checklist_load(engagement=engagement, actor=request.user)}


@router.post(
    BASE + "/documents", response={201: GapDocumentOut, **WRITE}, summary="Add an item to the checklist (editors)"
)
def document_create(request: SignedInRequest, engagement_id: int, payload: GapDocumentIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    item = services.document_create(
        engagement=engagement,
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        clause=payload.clause,
        requirements=payload.requirements,
    )
    return Status(201, document_out(document_in(engagement, item.pk)))


@router.get(BASE + "/documents/{item_id}", response={200: GapDocumentOut, **READ}, summary="One checklist item")
def document_get(request: HttpRequest, engagement_id: int, item_id: int) -> Any:
    item, _m = document_for(request.user, engagement_id, item_id)
    return document_out(item)


@router.patch(
    BASE + "/documents/{item_id}",
    response={200: GapDocumentOut, **VERSIONED},
    summary="Change a checklist item (editors; send the version you read; null clears owner_id and review_date)",
)
def document_patch(request: SignedInRequest, engagement_id: int, item_id: int, payload: GapDocumentPatch) -> Any:
    item, _m = document_for(request.user, engagement_id, item_id, role=Role.EDITOR)
    changes = document_changes(item.engagement, sent(payload, {"owner_id": "owner"}))
    services.document_update(item=item, actor=request.user, expected_version=payload.version, **changes)
    return document_out(document_in(item.engagement, item_id))


@router.delete(
    BASE + "/documents/{item_id}", response={204: None, **WRITE}, summary="Remove an item from the checklist (editors)"
)
def document_delete(request: SignedInRequest, engagement_id: int, item_id: int) -> Any:
    item, _m = document_for(request.user, engagement_id, item_id, role=Role.EDITOR)
    services.document_delete(item=item, actor=request.user)
    return Status(204, None)
