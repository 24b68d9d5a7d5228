"""REST API v1 for the gap analysis: settings, assessments and their ratings with evidence and survey
suggestions, improvement topics, the documented-information checklist, and the assessment workbook.

Mounted under /engagements: every path starts with /{engagement_id}/gaps. Access is checked exactly as the
pages check it: members read, editors write; anything outside the caller's engagements is 404.

No `from __future__ import annotations`: the paginated ratings list's query parameters must be real
annotations (ninja cannot resolve string annotations through the pagination wrapper)."""

import datetime
from collections.abc import Callable, Sequence
from typing import Any, Literal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from certprep.catalogue.models import Framework
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.api_refs import body_ref, body_refs, fields_as_sent
from certprep.core.errors import ServiceError
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.request_limits import ATTACHMENT_BYTES, SPREADSHEET_BYTES, api_upload_limit, read_upload
from certprep.core.schemas import InputSchema, IsoDate, QueryInput
from certprep.core.uploads import ALLOWED_TYPES
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.gaps.api_readiness import router as readiness_router
from certprep.gaps.choices import EvidenceKind
from certprep.gaps.models import Assessment, DocumentItem, Evidence, ImprovementTopic, Rating
from certprep.gaps.rules import clean_attributes, priority_band
from certprep.gaps.selectors.documents import attach_documentation, statuses_by_requirement
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.gaps.selectors.screen import Filters, Row, filtered, row_for
from certprep.gaps.selectors.suggestions import Suggestion, suggestions_for
from certprep.gaps.selectors.weights import EngagementWeights, weights_by_requirement
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.services import documents as document_services
from certprep.gaps.services import ratings as rating_services
from certprep.gaps.services import suggestions as suggestion_services
from certprep.gaps.services import topics as topic_services
from certprep.people.models import Person
from certprep.survey.models import Answer

router = Router(tags=["gap analysis"])
# The services name the fields of the pages' forms; the bodies name them as below.
router.add_decorator(
    fields_as_sent(
        {
            "owner": "owner_id",
            "ratings": "rating_ids",
            "topics": "topic_ids",
            "based_on": "based_on_id",
            "answer": "answer_id",
            "framework": "framework_urn",
        }
    )
)

BASE = "/{engagement_id}/gaps"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An evidence file is handed out with the type its upload was checked to have (octet-stream if none was stored).
EVIDENCE_CONTENT = {
    content_type: {"schema": {"type": "string", "format": "binary"}}
    for content_type in sorted({*ALLOWED_TYPES.values(), "application/octet-stream"})
}

ScaleName = Literal["capability", "compliance", "mixed"]
# One vocabulary for the checklist and the requirements ("controlled", the former name of approved, still read).
DocumentationName = Literal["", "missing", "draft", "in_review", "uncontrolled", "approved", "not_needed", "controlled"]
AssessmentStatusName = Literal["open", "closed"]
TopicStatusName = Literal["open", "in_progress", "done", "dropped"]
DocumentKindName = Literal["document", "record"]
DocumentStatusName = DocumentationName


class GapCountOut(Schema):
    added: int


# --- settings ------------------------------------------------------------------------------------------


class GapSettingsOut(Schema):
    scale: str = Field(
        description="capability (N/P/L/F attributes, levels 0-5), compliance (steps 0-3), or mixed (capability "
        "for clause 8, compliance for the other clauses)."
    )
    default_target: int
    sms_operating_since: datetime.date | None
    version: int


class GapSettingsIn(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    scale: ScaleName = Field(description="Used by assessments created from now on.")
    default_target: int = Field(ge=1, le=5, description="At most 3 on the compliance scale.")
    sms_operating_since: IsoDate | None = Field(None, description="Empty: not operating yet.")


@router.get(BASE + "/settings", response={200: GapSettingsOut, **READ}, summary="The gap-analysis settings")
def settings_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return assessment_services.settings_for(engagement)


@router.put(
    BASE + "/settings",
    response={200: GapSettingsOut, **VERSIONED},
    summary="Replace the gap-analysis settings (editors; send the version you read)",
)
def settings_put(request: HttpRequest, engagement_id: int, payload: GapSettingsIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return assessment_services.settings_update(
        engagement=engagement,
        actor=request.user,
        expected_version=payload.version,
        scale=payload.scale,
        default_target=payload.default_target,
        sms_operating_since=payload.sms_operating_since,
    )


# --- assessments ---------------------------------------------------------------------------------------


class GapAssessmentOut(Schema):
    id: int
    name: str
    kind: str = Field(description="baseline (the first assessment) or reassessment.")
    scale: str
    framework_urn: str = Field(alias="framework.urn")
    framework_name: str = Field(alias="framework.name")
    default_target: int
    assessed_on: datetime.date
    status: str
    based_on_id: int | None
    created_by: str | None = Field(None, description="User name of who created it.")
    created_at: datetime.datetime
    requirements: int = Field(0, alias="requirement_count", description="Requirements (rows) in the assessment.")
    rated: int = Field(0, alias="rated_count", description="Requirements with a rating.")
    version: int

    @staticmethod
    def resolve_created_by(obj: Assessment) -> str | None:
        return obj.created_by.get_username() if obj.created_by_id and obj.created_by else None


class GapAssessmentIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    assessed_on: IsoDate = Field(description="The reference date; the trend orders assessments by it.")
    framework_urn: str | None = Field(None, max_length=255, description="Empty: ISO/IEC 20000-1:2018.")
    based_on_id: int | None = Field(
        None, ge=1, description="An earlier assessment of this engagement whose ratings are copied as a start."
    )
    default_target: int | None = Field(None, ge=1, le=5, description="Empty: the settings' default target.")


class GapAssessmentPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    name: str | None = Field(None, min_length=1, max_length=200)
    assessed_on: IsoDate | None = None
    default_target: int | None = Field(None, ge=1, le=5)
    status: AssessmentStatusName | None = Field(None, description="closed: ratings can no longer be changed.")


def _assessments(engagement: Engagement) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(engagement=engagement)
        .select_related("framework", "created_by")
        .annotate(
            requirement_count=Count("ratings", distinct=True),
            rated_count=Count("ratings", filter=Q(ratings__level__isnull=False), distinct=True),
        )
        .order_by("assessed_on", "id")
    )


def _assessment(engagement: Engagement, assessment_id: int) -> Assessment:
    return get_object_or_404(_assessments(engagement), pk=assessment_id)


def _plain_assessment(engagement: Engagement, assessment_id: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("engagement", "framework"), pk=assessment_id, engagement=engagement
    )


@router.get(
    BASE + "/assessments",
    response={200: list[GapAssessmentOut], **READ},
    summary="The assessments, oldest first, with how many requirements are rated",
)
def assessment_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return list(_assessments(engagement))


@router.post(
    BASE + "/assessments",
    response={201: GapAssessmentOut, **WRITE},
    summary="Start an assessment: one unrated row per assessable requirement (editors)",
    description="The first assessment is the baseline; later ones are reassessments and may start from an "
    "earlier assessment's ratings (based_on_id), which are copied.",
)
def assessment_create(request: HttpRequest, engagement_id: int, payload: GapAssessmentIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    framework = None
    if payload.framework_urn:
        framework = Framework.objects.filter(urn=payload.framework_urn).first()
        if framework is None:
            raise ServiceError(_("No framework with this URN is loaded."), field="framework_urn")
    based_on = None
    if payload.based_on_id is not None:
        based_on = body_ref(
            Assessment.objects.filter(engagement=engagement).select_related("engagement", "framework"),
            payload.based_on_id,
            field="based_on_id",
            message=_("No assessment with this id in this engagement."),
        )
    assessment = assessment_services.assessment_create(
        engagement=engagement,
        actor=request.user,
        name=payload.name,
        assessed_on=payload.assessed_on,
        framework=framework,
        based_on=based_on,
        default_target=payload.default_target,
    )
    return Status(201, _assessment(engagement, assessment.pk))


@router.get(BASE + "/assessments/{assessment_id}", response={200: GapAssessmentOut, **READ}, summary="One assessment")
def assessment_get(request: HttpRequest, engagement_id: int, assessment_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return _assessment(engagement, assessment_id)


@router.patch(
    BASE + "/assessments/{assessment_id}",
    response={200: GapAssessmentOut, **VERSIONED},
    summary="Rename, re-date, change the default target, close or reopen an assessment (editors)",
)
def assessment_patch(request: HttpRequest, engagement_id: int, assessment_id: int, payload: GapAssessmentPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    assessment = _plain_assessment(engagement, assessment_id)
    assessment_services.assessment_update(
        assessment=assessment,
        actor=request.user,
        expected_version=payload.version,
        name=payload.name,
        assessed_on=payload.assessed_on,
        default_target=payload.default_target,
        status=payload.status,
    )
    return _assessment(engagement, assessment_id)


@router.delete(
    BASE + "/assessments/{assessment_id}",
    response={204: None, **WRITE},
    summary="Delete an assessment with its ratings and evidence (editors)",
)
def assessment_delete(request: HttpRequest, engagement_id: int, assessment_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    assessment_services.assessment_delete(assessment=_plain_assessment(engagement, assessment_id), actor=request.user)
    return Status(204, None)


@router.post(
    BASE + "/assessments/{assessment_id}/sync",
    response={200: GapCountOut, **WRITE},
    summary="Add rows for requirements a newer framework version made assessable (editors); safe to repeat",
)
def assessment_sync(request: HttpRequest, engagement_id: int, assessment_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    added = assessment_services.assessment_sync(
        assessment=_plain_assessment(engagement, assessment_id), actor=request.user
    )
    return {"added": added}


@router.get(
    BASE + "/assessments/{assessment_id}/export.xlsx",
    response=READ,
    summary="The assessment as an Excel workbook, to rate offline and import again",
    openapi_extra={"responses": {200: {"description": "The workbook", "content": {XLSX: {}}}}},
)
def assessment_export(request: HttpRequest, engagement_id: int, assessment_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    assessment = _plain_assessment(engagement, assessment_id)
    from certprep.gaps.spreadsheet import assessment_export as export_workbook

    response = HttpResponse(export_workbook(assessment), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="gap-assessment-{assessment.pk}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    BASE + "/assessments/{assessment_id}/import",
    response={200: dict[str, int], **VERSIONED},
    summary="Import ratings from a workbook exported by certprep (editors); all rows are checked first",
)
@decorate_view(api_upload_limit(SPREADSHEET_BYTES))
def assessment_import(request: HttpRequest, engagement_id: int, assessment_id: int, file: File[UploadedFile]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    assessment = _plain_assessment(engagement, assessment_id)
    from certprep.gaps.spreadsheet import assessment_import as import_workbook

    raw = read_upload(file, max_bytes=SPREADSHEET_BYTES)
    return import_workbook(assessment=assessment, actor=request.user, raw=raw, filename=file.name or "")


# --- ratings -------------------------------------------------------------------------------------------


class GapRequirementRef(Schema):
    id: int
    ref_id: str
    name: str = Field(description="In the active language.")
    weight: int
    is_current: bool = Field(description="False: the framework's current version dropped this requirement.")


class GapUserRef(Schema):
    id: int
    username: str


class GapRatingOut(Schema):
    id: int
    version: int
    requirement: GapRequirementRef
    level: int | None = Field(description="Capability 0-5 (derived from the attributes) or compliance step 0-3.")
    attributes: dict[str, str] = Field(
        description='Capability scale: N/P/L/F per process attribute, e.g. {"1.1": "F"}.'
    )
    target: int | None = Field(description="The requirement's own target; null: the assessment's default target.")
    effective_target: int
    gap: int | None = Field(description="Steps below the target; null when not rated.")
    scale: str = Field(description="The scale this requirement is rated on: capability or compliance.")
    weight: int = Field(description="Its weight in this engagement (the engagement's own, else the catalogue's).")
    documentation: str = Field(
        description="The status of the checklist items that evidence the requirement (one stored value)."
    )
    notes: str
    owner: GapUserRef | None = Field(description="The member who rates this requirement.")
    evidence_count: int
    topic_count: int
    priority_points: int
    priority: str | None = Field(description="high, medium, low, or null when there is nothing to improve.")
    processes: list[str] = Field(description="Codes of the lens processes the requirement maps to.")
    rated_at: datetime.datetime | None


class GapRatingFilter(QueryInput):
    clause: str = Field("", max_length=30, description="A clause and everything under it, e.g. 8.5.")
    process: str = Field("", max_length=50, description="Requirements of one lens process (code), e.g. incident.")
    rating: Literal["", "unrated", "rated", "gap", "met", "0", "1", "2", "3", "4", "5"] = Field(
        "", description="unrated, rated, gap (something to improve), met (target reached) or one level."
    )
    owner: str = Field("", pattern=r"^(me|none|[0-9]{1,12})?$", description="me, none, or a user id.")
    documentation: Literal[
        "", "unknown", "missing", "draft", "in_review", "uncontrolled", "approved", "not_needed", "controlled"
    ] = Field("", description="The documentation status; unknown: not checked yet.")
    q: str = Field("", max_length=100, description="Text in the requirement or the notes.")


class GapRatingPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    level: int | None = Field(
        None, ge=0, le=5, description="Compliance scale only: the step 0-3; null clears the rating."
    )
    attributes: dict[str, str] | None = Field(
        None,
        max_length=20,
        description=(
            'Capability scale only: merged into the stored ratings, e.g. {"1.1": "F", "2.1": ""} ("" clears one).'
        ),
    )
    target: int | None = Field(None, ge=1, le=5, description="null: the assessment's default target.")
    documentation: DocumentationName | None = None
    notes: str | None = Field(None, max_length=20_000)
    owner_id: int | None = Field(None, ge=1, description="A member's user id; null: nobody.")


def _rating_out(row: Row) -> dict[str, Any]:
    rating = row.rating
    requirement = rating.requirement
    owner = rating.owner if rating.owner_id else None
    return {
        "id": rating.pk,
        "version": rating.version,
        "requirement": {
            "id": requirement.pk,
            "ref_id": requirement.ref_id,
            "name": requirement.tr.name,
            "weight": requirement.weight,
            "is_current": requirement.is_current,
        },
        "level": rating.level,
        "attributes": clean_attributes(rating.attributes or {}),
        "target": rating.target,
        "effective_target": row.target,
        "gap": row.gap,
        "scale": rating.scale,
        "weight": row.weight,
        "documentation": rating.documentation,
        "notes": rating.notes,
        "owner": {"id": owner.pk, "username": owner.get_username()} if owner is not None else None,
        "evidence_count": row.evidence_count,
        "topic_count": row.topic_count,
        "priority_points": row.points,
        "priority": row.priority,
        "processes": row.processes,
        "rated_at": rating.rated_at,
    }


class _Page:
    """A sequence the paginator slices: counts without loading, and turns only the page's items into rows."""

    def __init__(self, items: QuerySet[Rating] | Sequence[Any], convert: Callable[[Any], dict[str, Any]]) -> None:
        self._items = items
        self._convert = convert

    def __len__(self) -> int:
        if isinstance(self._items, QuerySet):
            return self._items.count()
        return len(self._items)

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self._convert(item) for item in self._items[index]]


def _rating(engagement: Engagement, rating_id: int) -> Rating:
    return get_object_or_404(
        Rating.objects.select_related("assessment__engagement", "requirement", "owner").annotate(
            evidence_count=Count("evidence", distinct=True), topic_count=Count("topics", distinct=True)
        ),
        pk=rating_id,
        assessment__engagement=engagement,
    )


def _one_rating_out(rating: Rating) -> dict[str, Any]:
    assessment = rating.assessment
    codes = process_codes_by_requirement(assessment.framework_id)
    weights = weights_by_requirement(assessment.engagement_id, assessment.framework_id, codes=codes)
    return _rating_out(row_for(rating, assessment, codes, weights))


@router.get(
    BASE + "/assessments/{assessment_id}/ratings",
    response={200: list[GapRatingOut], **READ},
    summary="The requirements of an assessment with their ratings, in clause order; filter like the screen",
)
@paginate(BoundedLimitOffset)
def rating_list(request: HttpRequest, engagement_id: int, assessment_id: int, filters: Query[GapRatingFilter]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    assessment = get_object_or_404(Assessment, pk=assessment_id, engagement=engagement)
    codes = process_codes_by_requirement(assessment.framework_id)
    wanted = Filters(
        clause=filters.clause.strip(),
        process=filters.process.strip(),
        rating=filters.rating,
        owner=filters.owner,
        documentation=filters.documentation,
        q=filters.q.strip(),
    )
    statuses = statuses_by_requirement(engagement.pk)
    weights = weights_by_requirement(engagement.pk, assessment.framework_id, codes=codes)
    ratings = filtered(assessment, wanted, user=request.user, codes=codes, statuses=statuses)

    def row(rating: Rating) -> Row:
        rating.documentation = statuses.get(rating.requirement_id, "")
        return row_for(rating, assessment, codes, weights)

    if wanted.rating in ("gap", "met"):
        # Gaps and met targets depend on each row's effective target: decided per row, as the screen does.
        rows = [row(rating) for rating in ratings]
        rows = [r for r in rows if (r.points > 0 if wanted.rating == "gap" else r.gap == 0)]
        return _Page(rows, _rating_out)
    return _Page(ratings, lambda rating: _rating_out(row(rating)))


@router.get(BASE + "/ratings/{rating_id}", response={200: GapRatingOut, **READ}, summary="One requirement's rating")
def rating_get(request: HttpRequest, engagement_id: int, rating_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return _one_rating_out(_rating(engagement, rating_id))


@router.patch(
    BASE + "/ratings/{rating_id}",
    response={200: GapRatingOut, **VERSIONED},
    summary="Rate a requirement, or change its target, documentation, notes or assessor (editors)",
    description="Send the version you read and only the fields to change; null clears level, target and owner_id. "
    "On the capability scale send attributes (the level follows from them); on the compliance scale send level.",
)
def rating_patch(request: HttpRequest, engagement_id: int, rating_id: int, payload: GapRatingPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = _rating(engagement, rating_id)
    data = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name in ("level", "target"):
        if name in data:
            changes[name] = data[name]
    for name in ("attributes", "documentation", "notes"):
        if data.get(name) is not None:
            changes[name] = data[name]
    if "owner_id" in data:
        changes["owner"] = rating_services.member_by_id(rating, data["owner_id"])
    rating_services.rating_update(rating=rating, actor=request.user, expected_version=payload.version, **changes)
    return _one_rating_out(rating)


# --- evidence ------------------------------------------------------------------------------------------


class GapEvidenceOut(Schema):
    id: int
    rating_id: int
    kind: str = Field(description="file, link or answer.")
    title: str
    url: str
    file_name: str = Field(alias="original_name")
    content_type: str
    size: int | None
    sha256: str
    answer_id: int | None
    added_by: str | None = None
    added_at: datetime.datetime

    @staticmethod
    def resolve_added_by(obj: Evidence) -> str | None:
        return obj.added_by.get_username() if obj.added_by_id and obj.added_by else None


class GapLinkIn(InputSchema):
    url: str = Field(min_length=1, max_length=1000, description="A web address starting with http:// or https://.")
    title: str = Field("", max_length=300, description="Empty: the address.")


class GapAnswerEvidenceIn(InputSchema):
    answer_id: int = Field(ge=1, description="A survey answer of this engagement.")
    title: str = Field("", max_length=300, description="Empty: the respondent and the question.")


def _evidence(engagement: Engagement, evidence_id: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("rating__assessment__engagement", "rating__requirement", "added_by"),
        pk=evidence_id,
        rating__assessment__engagement=engagement,
    )


@router.get(
    BASE + "/ratings/{rating_id}/evidence",
    response={200: list[GapEvidenceOut], **READ},
    summary="The evidence of a rating: files, links and survey answers",
)
def evidence_list(request: HttpRequest, engagement_id: int, rating_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    rating = get_object_or_404(Rating, pk=rating_id, assessment__engagement=engagement)
    return list(rating.evidence.select_related("added_by").order_by("added_at", "id"))


@router.post(
    BASE + "/ratings/{rating_id}/evidence/link",
    response={201: GapEvidenceOut, **WRITE},
    summary="Add a link as evidence (editors)",
)
def evidence_link(request: HttpRequest, engagement_id: int, rating_id: int, payload: GapLinkIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = _rating(engagement, rating_id)
    evidence = rating_services.evidence_add_link(
        rating=rating, actor=request.user, url=payload.url, title=payload.title
    )
    return Status(201, evidence)


@router.post(
    BASE + "/ratings/{rating_id}/evidence/answer",
    response={201: GapEvidenceOut, **WRITE},
    summary="Link a survey answer as evidence (editors)",
)
def evidence_answer(request: HttpRequest, engagement_id: int, rating_id: int, payload: GapAnswerEvidenceIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = _rating(engagement, rating_id)
    answer = body_ref(
        Answer.objects.filter(response__respondent__campaign__engagement=engagement).select_related(
            "question", "response__respondent__person", "response__respondent__campaign"
        ),
        payload.answer_id,
        field="answer_id",
        message=_("No survey answer with this id in this engagement."),
    )
    evidence = rating_services.evidence_add_answer(
        rating=rating, actor=request.user, answer=answer, title=payload.title
    )
    return Status(201, evidence)


@router.post(
    BASE + "/ratings/{rating_id}/evidence/file",
    response={201: GapEvidenceOut, **WRITE},
    summary="Upload a file as evidence (editors; multipart: file and title)",
    description="PDF, Office documents, pictures and plain text up to 10 MB; the type is checked by the content, "
    "not only the name.",
)
@decorate_view(api_upload_limit(ATTACHMENT_BYTES))
def evidence_file(
    request: HttpRequest,
    engagement_id: int,
    rating_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = _rating(engagement, rating_id)
    evidence = rating_services.evidence_add_file(rating=rating, actor=request.user, upload=file, title=title)
    return Status(201, evidence)


@router.delete(
    BASE + "/evidence/{evidence_id}", response={204: None, **WRITE}, summary="Remove a piece of evidence (editors)"
)
def evidence_delete(request: HttpRequest, engagement_id: int, evidence_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating_services.evidence_delete(evidence=_evidence(engagement, evidence_id), actor=request.user)
    return Status(204, None)


@router.get(
    BASE + "/evidence/{evidence_id}/download",
    response=READ,
    summary="Download an evidence file (always as an attachment)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, with the type it was checked to have on upload",
                "content": EVIDENCE_CONTENT,
            }
        }
    },
)
def evidence_download(request: HttpRequest, engagement_id: int, evidence_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    evidence = _evidence(engagement, evidence_id)
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Never shown inline, so an HTML or SVG file cannot run in our origin.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- suggestions from survey answers -------------------------------------------------------------------


class GapSuggestionAnswerOut(Schema):
    id: int
    question_key: str
    question_text: str
    respondent: str = Field(description="The respondent's name.")
    value: Any
    text: str = Field(description="The answer as one line of text.")


class GapSuggestionOut(Schema):
    key: str = Field(description="Send it back to accept or dismiss the suggestion.")
    field: str = Field(description="documentation, level or attributes.")
    value: Any
    value_label: str
    reason: str
    answer: GapSuggestionAnswerOut


class GapSuggestionAcceptIn(InputSchema):
    key: str = Field(min_length=1, max_length=200)
    version: int = Field(ge=1, description="The rating's version you read; a different one gives 409 Conflict.")


class GapSuggestionDismissIn(InputSchema):
    key: str = Field(min_length=1, max_length=200)


def _suggestion_out(suggestion: Suggestion) -> dict[str, Any]:
    answer = suggestion.answer
    return {
        "key": suggestion.key,
        "field": suggestion.field,
        "value": suggestion.value,
        "value_label": suggestion.value_label,
        "reason": suggestion.reason,
        "answer": {
            "id": answer.pk,
            "question_key": answer.question.key,
            "question_text": answer.question.tr.text,
            "respondent": answer.response.respondent.person.name,
            "value": answer.value,
            "text": suggestion.answer_text,
        },
    }


@router.get(
    BASE + "/ratings/{rating_id}/suggestions",
    response={200: list[GapSuggestionOut], **READ},
    summary="Open suggestions for a rating drawn from survey answers (never applied by themselves)",
)
def suggestion_list(request: HttpRequest, engagement_id: int, rating_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    rating = _rating(engagement, rating_id)
    return [_suggestion_out(s) for s in suggestions_for(rating.assessment, [rating]).get(rating.pk, [])]


@router.post(
    BASE + "/ratings/{rating_id}/suggestions/accept",
    response={200: GapRatingOut, **VERSIONED},
    summary="Apply a suggestion to the rating and link its answer as evidence (editors)",
)
def suggestion_accept(request: HttpRequest, engagement_id: int, rating_id: int, payload: GapSuggestionAcceptIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rating = _rating(engagement, rating_id)
    suggestion_services.suggestion_accept(
        rating=rating, actor=request.user, key=payload.key, expected_version=payload.version
    )
    return _one_rating_out(_rating(engagement, rating_id))


@router.post(
    BASE + "/ratings/{rating_id}/suggestions/dismiss",
    response={204: None, **WRITE},
    summary="Dismiss a suggestion so it is not offered again (editors)",
)
def suggestion_dismiss(
    request: HttpRequest, engagement_id: int, rating_id: int, payload: GapSuggestionDismissIn
) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    suggestion_services.suggestion_dismiss(rating=_rating(engagement, rating_id), actor=request.user, key=payload.key)
    return Status(204, None)


# --- improvement topics --------------------------------------------------------------------------------


class GapPersonRef(Schema):
    id: int
    name: str


class GapTopicRequirementOut(Schema):
    rating_id: int
    ref_id: str
    name: str


class GapTopicOut(Schema):
    id: int
    title: str
    description: str
    assessment_id: int | None
    grouping: str = Field(description="process, clause or custom.")
    group_key: str = Field(description="The process code or clause it was generated for.")
    owner: GapPersonRef | None = Field(description="A person of the organization.")
    due_date: datetime.date | None
    status: str
    priority_points: int = Field(description="The highest priority points of its requirements.")
    priority: str | None
    requirements: list[GapTopicRequirementOut]
    version: int


class GapTopicIn(InputSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    rating_ids: list[int] = Field(default_factory=list, max_length=1000, description="Ratings of this engagement.")
    owner_id: int | None = Field(None, ge=1, description="A person of this engagement.")
    due_date: IsoDate | None = None
    status: TopicStatusName = "open"


class GapTopicPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    rating_ids: list[int] | None = Field(None, max_length=1000, description="Replaces the requirements.")
    owner_id: int | None = Field(None, ge=1, description="A person of this engagement; null: nobody.")
    due_date: IsoDate | None = None
    status: TopicStatusName | None = None


class GapTopicGenerateIn(InputSchema):
    grouping: Literal["process", "clause"] = "process"


class GapTopicMergeIn(InputSchema):
    topic_ids: list[int] = Field(min_length=2, max_length=100, description="The first (lowest id) is kept.")
    title: str | None = Field(None, min_length=1, max_length=300, description="Empty: the kept topic's title.")


class GapTopicSplitIn(InputSchema):
    version: int = Field(ge=1, description="The topic's version you read; a stale one is refused with 409.")
    rating_ids: list[int] = Field(min_length=1, max_length=1000, description="Requirements moved to the new topic.")
    title: str = Field(min_length=1, max_length=300)


def _topics(engagement: Engagement) -> QuerySet[ImprovementTopic]:
    ratings = Rating.objects.select_related("requirement", "assessment").order_by("requirement__order", "pk")
    return (
        ImprovementTopic.objects.filter(engagement=engagement)
        .select_related("owner")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("id")
    )


def _topic(engagement: Engagement, topic_id: int) -> ImprovementTopic:
    return get_object_or_404(_topics(engagement).select_related("engagement"), pk=topic_id)


def _topic_out(topic: ImprovementTopic, weights: EngagementWeights | None = None) -> dict[str, Any]:
    ratings = list(topic.ratings.all())
    weights = weights or EngagementWeights(topic.engagement_id)
    points = max((topic_services.rating_points(r, weights) for r in ratings), default=0)
    return {
        "id": topic.pk,
        "title": topic.title,
        "description": topic.description,
        "assessment_id": topic.assessment_id,
        "grouping": topic.grouping,
        "group_key": topic.group_key,
        "owner": {"id": topic.owner.pk, "name": topic.owner.name} if topic.owner_id and topic.owner else None,
        "due_date": topic.due_date,
        "status": topic.status,
        "priority_points": points,
        "priority": priority_band(points),
        "requirements": [
            {"rating_id": r.pk, "ref_id": r.requirement.ref_id, "name": r.requirement.tr.name} for r in ratings
        ],
        "version": topic.version,
    }


def _person(engagement: Engagement, person_id: int | None) -> Person | None:
    """The owner a body names (owner_id), a person of the engagement; None for none."""
    if person_id is None:
        return None
    return body_ref(
        Person.objects.filter(engagement=engagement),
        person_id,
        field="owner_id",
        message=_("No person with this id in this engagement."),
    )


def _ratings(engagement: Engagement, rating_ids: list[int]) -> list[Rating]:
    """The engagement's ratings a body names (rating_ids), in clause order."""
    return body_refs(
        Rating.objects.filter(assessment__engagement=engagement)
        .select_related("assessment", "requirement")
        .order_by("requirement__order", "pk"),
        rating_ids,
        field="rating_ids",
        message=_("These ids name no requirement rating of this engagement: %(ids)s."),
    )


@router.get(
    BASE + "/topics",
    response={200: list[GapTopicOut], **READ},
    summary="The improvement topics with their requirements and priority",
)
def topic_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    topics = list(_topics(engagement))
    attach_documentation([r for topic in topics for r in topic.ratings.all()], engagement.pk)
    weights = EngagementWeights(engagement.pk)
    return [_topic_out(topic, weights) for topic in topics]


@router.post(BASE + "/topics", response={201: GapTopicOut, **WRITE}, summary="Add an improvement topic (editors)")
def topic_create(request: HttpRequest, engagement_id: int, payload: GapTopicIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic = topic_services.topic_create(
        engagement=engagement,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        ratings=_ratings(engagement, payload.rating_ids),
        owner=_person(engagement, payload.owner_id),
        due_date=payload.due_date,
        status=payload.status,
    )
    return Status(201, _topic_out(_topic(engagement, topic.pk)))


@router.post(
    BASE + "/assessments/{assessment_id}/topics/generate",
    response={200: list[GapTopicOut], **WRITE},
    summary="One topic per process or clause for the gaps no topic covers yet (editors); returns the new ones",
)
def topic_generate(request: HttpRequest, engagement_id: int, assessment_id: int, payload: GapTopicGenerateIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    created = topic_services.topics_generate(
        assessment=_plain_assessment(engagement, assessment_id), actor=request.user, grouping=payload.grouping
    )
    weights = EngagementWeights(engagement.pk)
    return [_topic_out(topic, weights) for topic in _topics(engagement).filter(pk__in=[t.pk for t in created])]


@router.post(
    BASE + "/topics/merge",
    response={200: GapTopicOut, **WRITE},
    summary="Fold several topics into the first (editors); the others are deleted",
)
def topic_merge(request: HttpRequest, engagement_id: int, payload: GapTopicMergeIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topics = body_refs(
        _topics(engagement).select_related("engagement"),
        payload.topic_ids,
        field="topic_ids",
        message=_("These ids name no improvement topic of this engagement: %(ids)s."),
    )
    kept = topic_services.topic_merge(topics=topics, actor=request.user, title=payload.title)
    return _topic_out(_topic(engagement, kept.pk))


@router.get(BASE + "/topics/{topic_id}", response={200: GapTopicOut, **READ}, summary="One improvement topic")
def topic_get(request: HttpRequest, engagement_id: int, topic_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return _topic_out(_topic(engagement, topic_id))


@router.patch(
    BASE + "/topics/{topic_id}",
    response={200: GapTopicOut, **VERSIONED},
    summary="Change a topic (editors; send the version you read; null clears owner_id and due_date)",
)
def topic_patch(request: HttpRequest, engagement_id: int, topic_id: int, payload: GapTopicPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic = _topic(engagement, topic_id)
    data = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name in ("title", "description", "status"):
        if data.get(name) is not None:
            changes[name] = data[name]
    if "owner_id" in data:
        changes["owner"] = _person(engagement, data["owner_id"])
    if "due_date" in data:
        changes["due_date"] = data["due_date"]
    if data.get("rating_ids") is not None:
        changes["ratings"] = _ratings(engagement, data["rating_ids"])
    topic_services.topic_update(topic=topic, actor=request.user, expected_version=payload.version, **changes)
    return _topic_out(_topic(engagement, topic_id))


@router.delete(BASE + "/topics/{topic_id}", response={204: None, **WRITE}, summary="Delete a topic (editors)")
def topic_delete(request: HttpRequest, engagement_id: int, topic_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic_services.topic_delete(topic=_topic(engagement, topic_id), actor=request.user)
    return Status(204, None)


@router.post(
    BASE + "/topics/{topic_id}/split",
    response={201: GapTopicOut, **VERSIONED},
    summary=(
        "Move some requirements of a topic to a new topic (editors; send the version you read); returns the new topic"
    ),
)
def topic_split(request: HttpRequest, engagement_id: int, topic_id: int, payload: GapTopicSplitIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    topic = _topic(engagement, topic_id)
    new = topic_services.topic_split(
        topic=topic,
        actor=request.user,
        expected_version=payload.version,
        ratings=_ratings(engagement, payload.rating_ids),
        title=payload.title,
    )
    return Status(201, _topic_out(_topic(engagement, new.pk)))


# --- documented information ----------------------------------------------------------------------------


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
    kind: DocumentKindName = "document"
    clause: str = Field("", max_length=20, description="e.g. 8.5.1")
    requirements: list[str] = Field(
        default_factory=list, max_length=50, description="References of the requirements it evidences, e.g. 8.5.1.1."
    )


class GapDocumentPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    status: DocumentStatusName | None = None
    owner_id: int | None = Field(None, ge=1, description="A person of this engagement; null: nobody.")
    location: str | None = Field(None, max_length=500)
    review_date: IsoDate | None = None
    notes: str | None = Field(None, max_length=20_000)
    name: str | None = Field(None, min_length=1, max_length=300, description="A new name drops the translations.")
    clause: str | None = Field(None, max_length=20)
    requirements: list[str] | None = Field(
        None, max_length=50, description="Replaces the references of the requirements it evidences."
    )


def _document_out(item: DocumentItem) -> dict[str, Any]:
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
        "owner": {"id": item.owner.pk, "name": item.owner.name} if item.owner_id and item.owner else None,
        "location": item.location,
        "review_date": item.review_date,
        "notes": item.notes,
        "order": item.order,
        "version": item.version,
    }


def _document(engagement: Engagement, item_id: int) -> DocumentItem:
    return get_object_or_404(
        DocumentItem.objects.select_related("owner", "engagement").prefetch_related("requirements"),
        pk=item_id,
        engagement=engagement,
    )


@router.get(
    BASE + "/documents",
    response={200: list[GapDocumentOut], **READ},
    summary="The documented-information checklist with where each item stands",
)
def document_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    items = (
        DocumentItem.objects.filter(engagement=engagement)
        .select_related("owner")
        .prefetch_related("requirements")
        .order_by("order", "id")
    )
    return [_document_out(item) for item in items]


@router.post(
    BASE + "/documents/load",
    response={200: GapCountOut, **WRITE},
    summary="Copy the shipped checklist items the engagement does not have yet (editors); safe to repeat",
)
def document_load(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return {"added": document_services.checklist_load(engagement=engagement, actor=request.user)}


@router.post(
    BASE + "/documents", response={201: GapDocumentOut, **WRITE}, summary="Add an item to the checklist (editors)"
)
def document_create(request: HttpRequest, engagement_id: int, payload: GapDocumentIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    item = document_services.document_create(
        engagement=engagement,
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        clause=payload.clause,
        requirements=payload.requirements,
    )
    return Status(201, _document_out(_document(engagement, item.pk)))


@router.get(BASE + "/documents/{item_id}", response={200: GapDocumentOut, **READ}, summary="One checklist item")
def document_get(request: HttpRequest, engagement_id: int, item_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return _document_out(_document(engagement, item_id))


@router.patch(
    BASE + "/documents/{item_id}",
    response={200: GapDocumentOut, **VERSIONED},
    summary="Change a checklist item (editors; send the version you read; null clears owner_id and review_date)",
)
def document_patch(request: HttpRequest, engagement_id: int, item_id: int, payload: GapDocumentPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    item = _document(engagement, item_id)
    data = payload.dict(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name in ("status", "location", "notes", "name", "clause", "requirements"):
        if data.get(name) is not None:
            changes[name] = data[name]
    if "owner_id" in data:
        changes["owner"] = _person(engagement, data["owner_id"])
    if "review_date" in data:
        changes["review_date"] = data["review_date"]
    document_services.document_update(item=item, actor=request.user, expected_version=payload.version, **changes)
    return _document_out(_document(engagement, item_id))


@router.delete(
    BASE + "/documents/{item_id}", response={204: None, **WRITE}, summary="Remove an item from the checklist (editors)"
)
def document_delete(request: HttpRequest, engagement_id: int, item_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    document_services.document_delete(item=_document(engagement, item_id), actor=request.user)
    return Status(204, None)


# The readiness figures live in their own module (this one is long enough); same paths, same tags.
router.add_router("", readiness_router)
