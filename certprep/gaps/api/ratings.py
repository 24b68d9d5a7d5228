"""The ratings of an assessment, their evidence, and the suggestions drawn from survey answers."""

import datetime
from typing import Any, Literal

from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.request_limits import ATTACHMENT_BYTES, api_upload_limit
from certprep.core.schemas import InputSchema, QueryInput
from certprep.core.uploads import ALLOWED_TYPES
from certprep.engagements.choices import Role
from certprep.gaps.access import answer_named, assessment_for, evidence_for, rating_for, rating_in
from certprep.gaps.api.common import BASE, VERSION_HELP, DocumentStatusIn, GapUserRef, sent
from certprep.gaps.changes import rating_changes
from certprep.gaps.choices import DocumentStatus, EvidenceKind
from certprep.gaps.rules import clean_attributes
from certprep.gaps.selectors.ratings import evidence_of, rating_row
from certprep.gaps.selectors.screen import Filters, Row, rating_rows
from certprep.gaps.selectors.suggestions import Suggestion, suggestions_for
from certprep.gaps.services import ratings as services
from certprep.gaps.services import suggestions as suggestion_services

router = Router()

# An evidence file is handed out with the type its upload was checked to have (octet-stream if none was stored).
EVIDENCE_CONTENT = {
    content_type: {"schema": {"type": "string", "format": "binary"}}
    for content_type in sorted({*ALLOWED_TYPES.values(), "application/octet-stream"})
}


class GapRequirementRef(Schema):
    id: int
    ref_id: str
    name: str = Field(description="In the active language.")
    weight: int
    is_current: bool = Field(description="False: the framework's current version dropped this requirement.")


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
    documentation: DocumentStatus | Literal["unknown", "controlled"] = Field(
        DocumentStatus.UNKNOWN, description="The documentation status; unknown: not checked yet."
    )
    q: str = Field("", max_length=100, description="Text in the requirement or the notes.")

    def filters(self) -> Filters:
        return Filters(
            clause=self.clause.strip(),
            process=self.process.strip(),
            rating=self.rating,
            owner=self.owner,
            documentation=str(self.documentation),
            q=self.q.strip(),
        )


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
    documentation: DocumentStatusIn | None = None
    notes: str | None = Field(None, max_length=20_000)
    owner_id: int | None = Field(None, ge=1, description="A member's user id; null: nobody.")


def rating_out(row: Row) -> dict[str, Any]:
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


def one_rating_out(rating: Any) -> dict[str, Any]:
    return rating_out(rating_row(rating, with_counts=True))


@router.get(
    BASE + "/assessments/{assessment_id}/ratings",
    response={200: list[GapRatingOut], **READ},
    summary="The requirements of an assessment with their ratings, in clause order; filter like the screen",
)
@paginate(BoundedLimitOffset)
def rating_list(
    request: SignedInRequest, engagement_id: int, assessment_id: int, filters: Query[GapRatingFilter]
) -> Any:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id)
    return rating_rows(assessment, filters.filters(), user=request.user).then(rating_out)


@router.get(BASE + "/ratings/{rating_id}", response={200: GapRatingOut, **READ}, summary="One requirement's rating")
def rating_get(request: HttpRequest, engagement_id: int, rating_id: int) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id)
    return one_rating_out(rating)


@router.patch(
    BASE + "/ratings/{rating_id}",
    response={200: GapRatingOut, **VERSIONED},
    summary="Rate a requirement, or change its target, documentation, notes or assessor (editors)",
    description="Send the version you read and only the fields to change; null clears level, target and owner_id. "
    "On the capability scale send attributes (the level follows from them); on the compliance scale send level.",
)
def rating_patch(request: SignedInRequest, engagement_id: int, rating_id: int, payload: GapRatingPatch) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    changes = rating_changes(rating, sent(payload, {"owner_id": "owner"}))
    services.rating_update(rating=rating, actor=request.user, expected_version=payload.version, **changes)
    return one_rating_out(rating)


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
    def resolve_added_by(obj: Any) -> str | None:
        return obj.added_by.get_username() if obj.added_by_id and obj.added_by else None


class GapLinkIn(InputSchema):
    url: str = Field(min_length=1, max_length=1000, description="A web address starting with http:// or https://.")
    title: str = Field("", max_length=300, description="Empty: the address.")


class GapAnswerEvidenceIn(InputSchema):
    answer_id: int = Field(ge=1, description="A survey answer of this engagement.")
    title: str = Field("", max_length=300, description="Empty: the respondent and the question.")


@router.get(
    BASE + "/ratings/{rating_id}/evidence",
    response={200: list[GapEvidenceOut], **READ},
    summary="The evidence of a rating: files, links and survey answers",
)
def evidence_list(request: HttpRequest, engagement_id: int, rating_id: int) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id)
    return evidence_of(rating)


@router.post(
    BASE + "/ratings/{rating_id}/evidence/link",
    response={201: GapEvidenceOut, **WRITE},
    summary="Add a link as evidence (editors)",
)
def evidence_link(request: SignedInRequest, engagement_id: int, rating_id: int, payload: GapLinkIn) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    return Status(
        201, services.evidence_add_link(rating=rating, actor=request.user, url=payload.url, title=payload.title)
    )


@router.post(
    BASE + "/ratings/{rating_id}/evidence/answer",
    response={201: GapEvidenceOut, **WRITE},
    summary="Link a survey answer as evidence (editors)",
)
def evidence_answer(request: SignedInRequest, engagement_id: int, rating_id: int, payload: GapAnswerEvidenceIn) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    answer = answer_named(rating.assessment.engagement, payload.answer_id)
    return Status(
        201, services.evidence_add_answer(rating=rating, actor=request.user, answer=answer, title=payload.title)
    )


@router.post(
    BASE + "/ratings/{rating_id}/evidence/file",
    response={201: GapEvidenceOut, **WRITE},
    summary="Upload a file as evidence (editors; multipart: file and title)",
    description="PDF, Office documents, pictures and plain text up to 10 MB; the type is checked by the content, "
    "not only the name.",
)
@decorate_view(api_upload_limit(ATTACHMENT_BYTES))
def evidence_file(
    request: SignedInRequest,
    engagement_id: int,
    rating_id: int,
    file: File[UploadedFile],
    title: Form[str] = "",
) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    return Status(201, services.evidence_add_file(rating=rating, actor=request.user, upload=file, title=title))


@router.delete(
    BASE + "/evidence/{evidence_id}", response={204: None, **WRITE}, summary="Remove a piece of evidence (editors)"
)
def evidence_delete(request: SignedInRequest, engagement_id: int, evidence_id: int) -> Any:
    evidence, _m = evidence_for(request.user, engagement_id, evidence_id, role=Role.EDITOR)
    services.evidence_delete(evidence=evidence, actor=request.user)
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
    evidence, _m = evidence_for(request.user, engagement_id, evidence_id)
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
    rating, _m = rating_for(request.user, engagement_id, rating_id)
    return [_suggestion_out(s) for s in suggestions_for(rating.assessment, [rating]).get(rating.pk, [])]


@router.post(
    BASE + "/ratings/{rating_id}/suggestions/accept",
    response={200: GapRatingOut, **VERSIONED},
    summary="Apply a suggestion to the rating and link its answer as evidence (editors)",
)
def suggestion_accept(
    request: SignedInRequest, engagement_id: int, rating_id: int, payload: GapSuggestionAcceptIn
) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    suggestion_services.suggestion_accept(
        rating=rating, actor=request.user, key=payload.key, expected_version=payload.version
    )
    return one_rating_out(rating_in(rating.assessment.engagement, rating_id))


@router.post(
    BASE + "/ratings/{rating_id}/suggestions/dismiss",
    response={204: None, **WRITE},
    summary="Dismiss a suggestion so it is not offered again (editors)",
)
def suggestion_dismiss(
    request: SignedInRequest, engagement_id: int, rating_id: int, payload: GapSuggestionDismissIn
) -> Any:
    rating, _m = rating_for(request.user, engagement_id, rating_id, role=Role.EDITOR)
    suggestion_services.suggestion_dismiss(rating=rating, actor=request.user, key=payload.key)
    return Status(204, None)
