"""The plan as an Excel workbook: export, and import replacing the plan's tasks (or only checked, as a preview)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED
from certprep.core.errors import ServiceError
from certprep.core.request_limits import SPREADSHEET_BYTES, api_upload_limit, read_upload
from certprep.core.schemas import QueryInput
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE, VERSION_HELP
from certprep.planning.selectors.excel import plan_workbook
from certprep.planning.services.excel_import import excel_import, excel_preview

router = Router()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExcelImportQuery(QueryInput):
    version: int | None = Field(
        None, ge=1, description=VERSION_HELP + " The plan's version; required unless a preview."
    )
    preview: bool = Field(False, description="Only check the workbook and say what importing it would do.")


class ExcelImportOut(Schema):
    file_name: str
    preview: bool = Field(description="True when nothing was stored.")
    tasks: int = Field(description="Tasks in the workbook (imported unless a preview).")
    replaced: int = Field(description="Tasks of the plan the import replaces (replaced unless a preview).")
    people: list[str] = Field(description="The engagement's people the workbook assigns.")
    import_id: int | None = Field(description="The stored import (null for a preview).")


@router.get(
    BASE + "/export.xlsx",
    response=READ,
    summary="The plan as an Excel workbook: sheets Tasks and Resources",
    openapi_extra={"responses": {200: {"description": "The workbook", "content": {XLSX: {}}}}},
)
def plan_excel_export(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    response = HttpResponse(plan_workbook(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{engagement_id}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    BASE + "/import.xlsx",
    response={200: ExcelImportOut, **VERSIONED},
    summary="Replace the plan's tasks by an Excel workbook's (editors); every cell is checked first, all or nothing",
)
@decorate_view(api_upload_limit(SPREADSHEET_BYTES))
def plan_excel_import(
    request: SignedInRequest, engagement_id: int, file: File[UploadedFile], query: Query[ExcelImportQuery]
) -> Any:
    plan, _m = plan_for(request.user, engagement_id, role=Role.EDITOR)
    raw = read_upload(file, max_bytes=SPREADSHEET_BYTES)
    imported = None
    if query.preview:
        preview = excel_preview(plan=plan, raw=raw, filename=file.name or "")
    elif query.version is None:
        raise ServiceError(_("Send the plan's version you read (version=...)."), field="version")
    else:
        imported, preview = excel_import(
            plan=plan, actor=request.user, raw=raw, filename=file.name or "", expected_version=query.version
        )
    return {
        "file_name": preview.file_name,
        "preview": query.preview,
        "tasks": len(preview.tasks),
        "replaced": preview.replaced,
        "people": preview.names,
        "import_id": imported.pk if imported else None,
    }
