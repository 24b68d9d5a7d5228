"""API for the standards catalogue: frameworks, requirements and process lenses.

No `from __future__ import annotations`: the paginated list's query parameters must be real annotations
(ninja cannot resolve string annotations through the pagination wrapper)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from certprep.catalogue import selectors, services
from certprep.catalogue.access import framework_for, lens_of, lens_process_for
from certprep.core.api_errors import ErrorOut
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.request_limits import api_upload_limit, framework_file_bytes, read_upload
from certprep.core.schemas import QueryInput

router = Router(tags=["catalogue"])


class FrameworkOut(Schema):
    id: int
    urn: str
    ref_id: str
    name: str
    description: str
    library_version: int
    locale: str
    provider: str
    copyright: str
    source_format: str
    translations: dict[str, Any]
    assessable_count: int | None = None


class RequirementOut(Schema):
    id: int
    urn: str
    parent_id: int | None
    ref_id: str
    name: str
    description: str = Field(description="certprep's own paraphrase of what the clause requires")
    evidence: str
    assessable: bool
    depth: int
    weight: int
    translations: dict[str, Any]
    processes: list[str] = Field(default_factory=list, description="Codes of the lens processes this clause belongs to")

    @staticmethod
    def resolve_processes(obj: Any) -> list[str]:
        return [p.code for p in obj.processes.all()]


class RequirementFilter(QueryInput):
    q: str = Field("", max_length=200, description="Text in the requirement, in either language.")
    process: str = Field("", max_length=50, description="Only the clauses of this lens process (its code).")


class FrameworkImportOut(Schema):
    framework: FrameworkOut
    created: bool
    added: int
    updated: int = Field(description="Requirements whose text or settings changed.")
    moved: int = Field(
        description="Requirements placed under another parent or out of order among their siblings (one may "
        "also be updated)."
    )
    unchanged: int
    retired: int


class ProcessOut(Schema):
    id: int
    code: str
    name: str
    group: str = Field(alias="group.code")
    description: str
    clause_2005: str
    clause_2011: str
    requirement_ref_ids: list[str]
    translations: dict[str, Any]

    @staticmethod
    def resolve_requirement_ref_ids(obj: Any) -> list[str]:
        return [r.ref_id for r in obj.requirements.all()]


class LensOut(Schema):
    id: int
    urn: str
    name: str
    description: str
    framework_id: int
    processes: list[ProcessOut]

    @staticmethod
    def resolve_processes(obj: Any) -> list[Any]:
        return selectors.lens_processes_of(obj)


@router.get("/frameworks", response=list[FrameworkOut], summary="Frameworks loaded in this installation")
def framework_list(request: HttpRequest) -> Any:
    return list(selectors.frameworks_with_counts())


@router.post(
    "/frameworks",
    response={201: FrameworkImportOut, 400: ErrorOut, 403: ErrorOut},
    summary="Import or update a framework from a YAML file (staff only)",
    description="certprep framework files and CISO Assistant framework libraries are accepted. A newer version "
    "of a loaded framework updates it in place; a malformed file is refused whole with the line and field of "
    "the first error.",
)
@decorate_view(api_upload_limit(framework_file_bytes))
def framework_import(request: HttpRequest, file: File[UploadedFile]) -> Any:
    if not request.user.is_staff:
        raise PermissionDenied(_("Only staff can import frameworks."))
    result = services.framework_import(data=read_upload(file, max_bytes=framework_file_bytes()), actor=request.user)
    return Status(201, result)


@router.get("/frameworks/{framework_id}", response={200: FrameworkOut, 404: ErrorOut}, summary="One framework")
def framework_get(request: HttpRequest, framework_id: int) -> Any:
    return framework_for(framework_id)


@router.get(
    "/frameworks/{framework_id}/requirements",
    response={200: list[RequirementOut], 404: ErrorOut},
    summary="Requirements in document order; q searches both languages, process filters by lens process code",
)
@paginate(BoundedLimitOffset)
def requirement_list(request: HttpRequest, framework_id: int, filters: Query[RequirementFilter]) -> Any:
    framework = framework_for(framework_id)
    process = lens_process_for(framework, filters.process) if filters.process else None
    return selectors.requirement_tree(framework, q=filters.q, process=process)


@router.get("/lenses", response=list[LensOut], summary="Process lenses with their mapping to framework clauses")
def lens_list(request: HttpRequest) -> Any:
    return list(selectors.lenses())


@router.get("/lenses/{lens_id}", response={200: LensOut, 404: ErrorOut}, summary="One process lens with its mapping")
def lens_get(request: HttpRequest, lens_id: int) -> Any:
    return lens_of(lens_id)
