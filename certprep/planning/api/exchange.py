"""The plan exchanged with MS Project: the plan as MS Project XML (MSPDI), and a file from MS Project imported
(previewed with dry_run first)."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED
from certprep.core.api_refs import MAX_ID
from certprep.core.downloads import download
from certprep.core.request_limits import api_upload_limit, read_upload
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE, VERSION_HELP
from certprep.planning.exchange.mspdi_write import CONTENT_TYPE, mspdi_bytes, mspdi_filename
from certprep.planning.exchange.mspdi_xml import MAX_BYTES
from certprep.planning.selectors.exchange import plan_document
from certprep.planning.services.plan_import import plan_import_file, plan_import_preview

router = Router()
EXCHANGE = BASE + "/exchange"
# The plan's version as a form field of the upload (0 while the engagement has no plan).
VERSION_FIELD = Form(0, ge=0, le=MAX_ID, description=VERSION_HELP + " 0 while the engagement has no plan.")


@router.get(
    EXCHANGE + "/mspdi",
    response=READ,
    summary="The plan as MS Project XML (MSPDI), for MS Project 2007 and later and ProjectLibre",
    openapi_extra={"responses": {200: {"description": "The MS Project XML file", "content": {CONTENT_TYPE: {}}}}},
)
def mspdi_export(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return download(
        mspdi_bytes(plan_document(plan)),
        filename=mspdi_filename(plan.engagement.name, timezone.localdate()),
        content_type=CONTENT_TYPE,
    )


class ImportPreviewOut(Schema):
    file_name: str
    format: str = Field(description="mspdi (MS Project XML) or mpp.")
    plan_version: int | None = Field(description="The plan's version the import checks; null: no plan yet.")
    replaced_tasks: int = Field(description="How many of the plan's tasks the import replaces.")
    tasks: int
    dependencies: int
    matched_people: list[str] = Field(description="The engagement's people the file's resources are matched to.")
    unmatched_resources: list[str] = Field(description="Resources with no person of that name: not imported.")
    baselines: list[int] = Field(description="Baseline numbers the file has; they replace the plan's.")
    start: datetime.date
    unrepresented: list[str] = Field(description="What the file holds that certprep cannot represent.")


class PlanImportOut(Schema):
    id: int
    format: str
    file_name: str
    imported_at: datetime.datetime
    task_count: int
    unrepresented: list[str]


@router.post(
    EXCHANGE + "/mspdi/import",
    response={200: ImportPreviewOut, 201: PlanImportOut, **VERSIONED},
    summary="Import a plan from MS Project (editors; multipart: file, version): replaces the plan's tasks",
    description="An MS Project XML file (.xml, from MS Project 2007 or later or ProjectLibre) or, where the optional "
    "MPXJ reader is installed, an .mpp file; at most 20 MB. With dry_run=true nothing is written and the answer is "
    "the preview (200): what would be replaced and what certprep cannot represent. Otherwise the import replaces "
    "the plan's tasks, dependencies, assignments and (when the file has some) baselines in one transaction and "
    "answers the import record (201). `version` is the plan's version you read (0 while the engagement has "
    "no plan); a stale one is refused with 409. Files with a DTD, entities or external references are refused.",
)
@decorate_view(api_upload_limit(MAX_BYTES))
def mspdi_import(
    request: SignedInRequest,
    engagement_id: int,
    file: File[UploadedFile],
    version: int = VERSION_FIELD,
    dry_run: bool = False,
) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    data = read_upload(file, max_bytes=MAX_BYTES)
    name = file.name or "plan.xml"
    if dry_run:
        return Status(200, plan_import_preview(engagement=engagement, data=data, file_name=name).__dict__)
    record = plan_import_file(
        engagement=engagement, actor=request.user, data=data, file_name=name, expected_version=version or None
    )
    return Status(201, record)
