"""The gap-analysis settings, the assessments, and an assessment as an Excel workbook."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.request_limits import SPREADSHEET_BYTES, api_upload_limit, read_upload
from certprep.core.schemas import Choice, InputSchema, IsoDate
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.gaps import spreadsheet
from certprep.gaps.access import assessment_for, assessment_named, framework_named
from certprep.gaps.api.common import BASE, VERSION_HELP, XLSX, GapCountOut
from certprep.gaps.choices import AssessmentStatus, Scale
from certprep.gaps.selectors import assessments as selectors
from certprep.gaps.services import assessments as services

router = Router()


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
    scale: Choice[Scale] = Field(description="Used by assessments created from now on.")
    default_target: int = Field(ge=1, le=5, description="At most 3 on the compliance scale.")
    sms_operating_since: IsoDate | None = Field(None, description="Empty: not operating yet.")


@router.get(BASE + "/settings", response={200: GapSettingsOut, **READ}, summary="The gap-analysis settings")
def settings_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return services.settings_for(engagement)


@router.put(
    BASE + "/settings",
    response={200: GapSettingsOut, **VERSIONED},
    summary="Replace the gap-analysis settings (editors; send the version you read)",
)
def settings_put(request: SignedInRequest, engagement_id: int, payload: GapSettingsIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return services.settings_update(
        engagement=engagement,
        actor=request.user,
        expected_version=payload.version,
        scale=payload.scale,
        default_target=payload.default_target,
        sms_operating_since=payload.sms_operating_since,
    )


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
    def resolve_created_by(obj: Any) -> str | None:
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
    status: Choice[AssessmentStatus] | None = Field(None, description="closed: ratings can no longer be changed.")


@router.get(
    BASE + "/assessments",
    response={200: list[GapAssessmentOut], **READ},
    summary="The assessments, oldest first, with how many requirements are rated",
)
def assessment_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return list(selectors.assessment_list(engagement))


@router.post(
    BASE + "/assessments",
    response={201: GapAssessmentOut, **WRITE},
    summary="Start an assessment: one unrated row per assessable requirement (editors)",
    description="The first assessment is the baseline; later ones are reassessments and may start from an "
    "earlier assessment's ratings (based_on_id), which are copied.",
)
def assessment_create(request: SignedInRequest, engagement_id: int, payload: GapAssessmentIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    framework = framework_named(payload.framework_urn) if payload.framework_urn else None
    based_on = None
    if payload.based_on_id is not None:
        based_on = assessment_named(engagement, payload.based_on_id, field="based_on")
    assessment = services.assessment_create(
        engagement=engagement,
        actor=request.user,
        name=payload.name,
        assessed_on=payload.assessed_on,
        framework=framework,
        based_on=based_on,
        default_target=payload.default_target,
    )
    return Status(201, selectors.assessment_counted(engagement, assessment.pk))


@router.get(BASE + "/assessments/{assessment_id}", response={200: GapAssessmentOut, **READ}, summary="One assessment")
def assessment_get(request: HttpRequest, engagement_id: int, assessment_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return selectors.assessment_counted(engagement, assessment_id)


@router.patch(
    BASE + "/assessments/{assessment_id}",
    response={200: GapAssessmentOut, **VERSIONED},
    summary="Rename, re-date, change the default target, close or reopen an assessment (editors)",
)
def assessment_patch(
    request: SignedInRequest, engagement_id: int, assessment_id: int, payload: GapAssessmentPatch
) -> Any:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    services.assessment_update(
        assessment=assessment,
        actor=request.user,
        expected_version=payload.version,
        name=payload.name,
        assessed_on=payload.assessed_on,
        default_target=payload.default_target,
        status=payload.status,
    )
    return selectors.assessment_counted(assessment.engagement, assessment_id)


@router.delete(
    BASE + "/assessments/{assessment_id}",
    response={204: None, **WRITE},
    summary="Delete an assessment with its ratings and evidence (editors)",
)
def assessment_delete(request: SignedInRequest, engagement_id: int, assessment_id: int) -> Any:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    services.assessment_delete(assessment=assessment, actor=request.user)
    return Status(204, None)


@router.post(
    BASE + "/assessments/{assessment_id}/sync",
    response={200: GapCountOut, **WRITE},
    summary="Add rows for requirements a newer framework version made assessable (editors); safe to repeat",
)
def assessment_sync(request: SignedInRequest, engagement_id: int, assessment_id: int) -> Any:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    return {"added": services.assessment_sync(assessment=assessment, actor=request.user)}


@router.get(
    BASE + "/assessments/{assessment_id}/export.xlsx",
    response=READ,
    summary="The assessment as an Excel workbook, to rate offline and import again",
    openapi_extra={"responses": {200: {"description": "The workbook", "content": {XLSX: {}}}}},
)
def assessment_export(request: HttpRequest, engagement_id: int, assessment_id: int) -> Any:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id)
    response = HttpResponse(spreadsheet.assessment_export(assessment), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="gap-assessment-{assessment.pk}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    BASE + "/assessments/{assessment_id}/import",
    response={200: dict[str, int], **VERSIONED},
    summary="Import ratings from a workbook exported by certprep (editors); all rows are checked first",
)
@decorate_view(api_upload_limit(SPREADSHEET_BYTES))
def assessment_import(
    request: SignedInRequest, engagement_id: int, assessment_id: int, file: File[UploadedFile]
) -> Any:
    assessment, _m = assessment_for(request.user, engagement_id, assessment_id, role=Role.EDITOR)
    raw = read_upload(file, max_bytes=SPREADSHEET_BYTES)
    return spreadsheet.assessment_import(assessment=assessment, actor=request.user, raw=raw, filename=file.name or "")
