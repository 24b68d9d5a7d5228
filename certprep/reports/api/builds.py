"""The reports through the API: the documents the parts declare, the builds with their progress and files, and
a file's download."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.downloads import download
from certprep.core.schemas import InputSchema, VersionQuery
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.reports.access import build_for, file_for
from certprep.reports.choices import CONTENT_TYPES, FileFormat
from certprep.reports.models import ReportBuild, ReportFile
from certprep.reports.selectors.builds import builds_of, offers
from certprep.reports.services.builds import build_delete, build_request

router = Router()
REPORTS = "/{engagement_id}/reports"


class ReportDocumentOut(Schema):
    key: str = Field(description="The document's key, as builds name it.")
    title: str
    description: str
    sections: list[str] = Field(description="The keys of its sections, in order.")
    formats: list[str] = Field(description="docx and pdf; xlsx too for a document whose tables go to Excel.")


class ReportFileOut(Schema):
    id: int
    document: str
    language: str = Field(description="en or zh-hans.")
    format: str = Field(description="docx, pdf or xlsx.")
    name: str = Field(description="The file's name as downloaded.")
    size: int = Field(description="Bytes.")
    download: str = Field(description="The API path that downloads it.")


class ReportProgressOut(Schema):
    done: int = Field(description="Files written so far.")
    total: int = Field(description="Files the build writes.")
    current_step: str = Field(description='What is being written now, "document:language:format"; empty when idle.')


class ReportBuildOut(Schema):
    id: int
    status: str = Field(description="queued, running, done or failed.")
    documents: list[str]
    languages: list[str]
    formats: list[str]
    progress: ReportProgressOut
    message: str = Field(description="Why a failed build stopped.")
    requested_by: str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    files: list[ReportFileOut]
    version: int


class ReportBuildIn(InputSchema):
    documents: list[str] = Field(
        min_length=1, max_length=50, description="Keys of documents from GET /reports/documents."
    )
    languages: list[str] = Field(min_length=1, max_length=2, description="en, zh-hans or both.")


def file_out(engagement_id: int, report: ReportFile) -> dict[str, Any]:
    return {
        "id": report.pk,
        "document": report.document,
        "language": report.language,
        "format": report.format,
        "name": report.name,
        "size": report.size,
        "download": f"/api/v1/engagements/{engagement_id}/reports/files/{report.pk}",
    }


def build_out(build: ReportBuild, files: list[ReportFile]) -> dict[str, Any]:
    return {
        "id": build.pk,
        "status": build.status,
        "documents": list(build.documents),
        "languages": list(build.languages),
        "formats": list(build.formats),
        "progress": {"done": build.steps_done, "total": build.steps_total, "current_step": build.current_step},
        "message": build.message,
        "requested_by": build.requested_by_label,
        "created_at": build.created_at,
        "started_at": build.started_at,
        "finished_at": build.finished_at,
        "files": [file_out(build.engagement_id, report) for report in files],
        "version": build.version,
    }


@router.get(REPORTS + "/documents", response={200: list[ReportDocumentOut], **READ}, summary="The reports on offer")
def document_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement_for(request.user, engagement_id)
    return [
        {
            "key": offer.document.key,
            "title": str(offer.document.title),
            "description": str(offer.document.description),
            "sections": list(offer.document.sections),
            "formats": offer.formats,
        }
        for offer in offers()
    ]


@router.get(REPORTS + "/builds", response={200: list[ReportBuildOut], **READ}, summary="The builds, newest first")
def build_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [build_out(view.build, view.files) for view in builds_of(engagement)]


@router.post(
    REPORTS + "/builds",
    response={201: ReportBuildOut, **WRITE},
    summary="Build reports in the background (editors); follow the build's progress with GET",
)
def build_post(request: SignedInRequest, engagement_id: int, payload: ReportBuildIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    build = build_request(
        engagement=engagement, actor=request.user, documents=payload.documents, languages=payload.languages
    )
    return Status(201, build_out(build, []))


@router.get(REPORTS + "/builds/{build_id}", response={200: ReportBuildOut, **READ}, summary="One build")
def build_get(request: HttpRequest, engagement_id: int, build_id: int) -> Any:
    build, _m = build_for(request.user, engagement_id, build_id)
    return build_out(build, list(build.files.order_by("id")))


@router.delete(
    REPORTS + "/builds/{build_id}",
    response={204: None, **VERSIONED},
    summary="Delete a build with its files (editors)",
)
def build_remove(request: SignedInRequest, engagement_id: int, build_id: int, query: Query[VersionQuery]) -> Any:
    build, _m = build_for(request.user, engagement_id, build_id, role=Role.EDITOR)
    build_delete(build=build, actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.get(
    REPORTS + "/files/{report_file_id}",
    response=READ,
    summary="Download a report file (an attachment)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report as Word, PDF or Excel",
                "content": {CONTENT_TYPES[fmt]: {} for fmt in FileFormat},
            }
        }
    },
)
def file_download(request: HttpRequest, engagement_id: int, report_file_id: int) -> Any:
    report, _m = file_for(request.user, engagement_id, report_file_id)
    return download(report.file, filename=report.name, content_type=CONTENT_TYPES[FileFormat(report.format)])
