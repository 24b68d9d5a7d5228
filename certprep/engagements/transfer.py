"""Whole-engagement JSON export and import (feature I2): a lossless round trip.

The file carries the engagement, its organization profile, its members (by user name and e-mail) and
its audit trail. Later feature areas add their own sections to SECTIONS, so the format grows without
breaking older files: an unknown section is refused, a missing one is imported as empty.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.uploads import files_kept_only_on_success
from certprep.engagements.choices import CertName, IndustryName, ItilName, RoleName
from certprep.engagements.models import Engagement, Membership, OrganizationProfile
from certprep.engagements.services import (
    ENGAGEMENT_FIELDS,
    PROFILE_FIELDS,
    engagement_create,
    engagement_update,
    profile_update,
)
from certprep.gaps.models import Evidence
from certprep.gaps.transfer import GapsPart, gaps_check, gaps_export, gaps_import
from certprep.responsibilities.transfer import MatrixPart, matrix_check, matrix_export, matrix_import
from certprep.survey.models import Attachment, Person
from certprep.survey.transfer import SurveyPart, survey_check, survey_export, survey_import

FORMAT = "certprep.engagement/1"
MAX_BYTES = 50 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EngagementPart(_Strict):
    name: str = Field(min_length=1, max_length=200)
    organization_name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    target_stage1_date: datetime.date | None = None
    survey_preparation_days: int = Field(5, ge=1, le=60)


class ProfilePart(_Strict):
    industry: IndustryName | Literal[""] = ""
    people_in_scope: int | None = Field(None, ge=1, le=1_000_000)
    sites: list[str] = Field(default_factory=list, max_length=200)
    services_in_scope: list[str] = Field(default_factory=list, max_length=200)
    scope_who: str = Field("", max_length=300)
    scope_services: str = Field("", max_length=500)
    scope_where: str = Field("", max_length=300)
    itsm_tools: list[str] = Field(default_factory=list, max_length=200)
    itil_adoption: ItilName | Literal[""] = ""
    existing_certifications: list[CertName] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=10_000)


class MemberPart(_Strict):
    username: str = Field(min_length=1, max_length=150)
    email: str = Field("", max_length=254)
    role: RoleName


class AuditPart(_Strict):
    at: datetime.datetime
    actor: str = Field("", max_length=150)
    action: str = Field(pattern="^(create|update|delete)$")
    object_type: str = Field(max_length=100)
    object_id: str = Field("", max_length=64)
    object: str = Field("", max_length=300)
    changes: dict[str, Any] = Field(default_factory=dict)


class EngagementFile(_Strict):
    format: str = Field(pattern="^" + FORMAT.replace(".", r"\.") + "$")
    exported_at: datetime.datetime | None = None
    engagement: EngagementPart
    profile: ProfilePart
    members: list[MemberPart] = Field(default_factory=list, max_length=10_000)
    audit: list[AuditPart] = Field(default_factory=list, max_length=1_000_000)
    survey: SurveyPart | None = None  # absent in files of older versions
    matrix: MatrixPart | None = None
    gaps: GapsPart | None = None


def _check_file_budget(engagement: Engagement) -> None:
    """Refuse an export whose evidence files (survey answers and gap ratings together, a third larger
    in base64) would not fit in one engagement file: the import would refuse it."""
    survey = Attachment.objects.filter(answer__response__respondent__campaign__engagement=engagement).aggregate(
        total=Sum("size")
    )["total"]
    gaps = Evidence.objects.filter(rating__assessment__engagement=engagement).aggregate(total=Sum("size"))["total"]
    total = (survey or 0) + (gaps or 0)
    if total * 4 // 3 > MAX_BYTES:

        def mb(size: int | None) -> float:
            return round((size or 0) / (1024 * 1024), 1)

        raise ServiceError(
            _(
                "The evidence files total %(size)s MB (%(survey)s MB on survey answers, %(gaps)s MB on gap "
                "ratings); an engagement file holds at most %(max)s MB. Remove large files before exporting."
            )
            % {"size": mb(total), "survey": mb(survey), "gaps": mb(gaps), "max": MAX_BYTES // (1024 * 1024)}
        )


def engagement_export(engagement: Engagement) -> dict[str, Any]:
    """Everything of the engagement as plain JSON-ready data."""
    _check_file_budget(engagement)
    profile = OrganizationProfile.objects.get(engagement=engagement)  # never a stale cached copy
    people = list(Person.objects.filter(engagement=engagement).order_by("id").values_list("pk", flat=True))
    data: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "engagement": {
            name: (value.isoformat() if isinstance(value, datetime.date) else value)
            for name in ENGAGEMENT_FIELDS
            for value in [getattr(engagement, name)]
        },
        "profile": {name: getattr(profile, name) for name in PROFILE_FIELDS},
        "members": [
            {"username": m.user.get_username(), "email": m.user.email, "role": m.role}
            for m in engagement.memberships.select_related("user").order_by("user__username")
        ],
        "audit": [
            {
                "at": entry.at.isoformat(),
                "actor": entry.actor_label,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "object": entry.object_repr,
                "changes": entry.changes,
            }
            for entry in AuditEntry.objects.filter(engagement=engagement).order_by("at", "id")
        ],
        "survey": survey_export(engagement),
        "matrix": matrix_export(engagement, people=people),
        "gaps": gaps_export(engagement, people=people),
    }
    return data


def engagement_export_json(engagement: Engagement) -> str:
    return json.dumps(engagement_export(engagement), ensure_ascii=False, indent=2, sort_keys=True)


def _parse(raw: bytes) -> EngagementFile:
    if len(raw) > MAX_BYTES:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ServiceError(_("The file is not UTF-8 text.")) from exc
    except json.JSONDecodeError as exc:
        raise ServiceError(
            _("The file is not valid JSON: line %(line)s, column %(col)s: %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    try:
        return EngagementFile.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ServiceError(
            _("The file is not a certprep engagement export: field %(field)s: %(msg)s")
            % {"field": where, "msg": first["msg"]},
            field=where,
        ) from exc


def engagement_import(*, raw: bytes, actor: Any) -> tuple[Engagement, list[str]]:
    """Create a new engagement from an export, owned by `actor`; all or nothing, files included: the
    evidence files written before a failure are removed with the rolled-back rows.

    Members are matched to accounts of this installation by user name; those without an account here
    are returned so the owner can invite them. The audit trail is kept as it was, plus one entry for
    the import itself.
    """
    with files_kept_only_on_success():
        return _engagement_import(raw=raw, actor=actor)


@transaction.atomic
def _engagement_import(*, raw: bytes, actor: Any) -> tuple[Engagement, list[str]]:
    parsed = _parse(raw)
    # References between the sections are checked before anything is written.
    if parsed.survey is not None:
        survey_check(parsed.survey)
    if parsed.matrix is not None:
        matrix_check(parsed.matrix, people=len(parsed.survey.people) if parsed.survey is not None else 0)
    if parsed.gaps is not None:
        gaps_check(parsed.gaps, survey=parsed.survey)
    part = parsed.engagement
    engagement = engagement_create(
        user=actor,
        name=part.name,
        organization_name=part.organization_name,
        description=part.description,
        target_stage1_date=part.target_stage1_date,
    )
    if part.survey_preparation_days != engagement.survey_preparation_days:
        engagement_update(
            engagement=engagement,
            actor=actor,
            expected_version=engagement.version,
            data={"survey_preparation_days": part.survey_preparation_days},
        )
    profile_update(
        profile=OrganizationProfile.objects.get(engagement=engagement),
        actor=actor,
        expected_version=1,
        data=parsed.profile.model_dump(),
    )
    people: list[Person] = []
    if parsed.survey is not None:
        people = survey_import(engagement=engagement, part=parsed.survey)
    if parsed.matrix is not None:
        matrix_import(engagement=engagement, part=parsed.matrix, people=people)
    if parsed.gaps is not None:
        members = {m.username for m in parsed.members} | {actor.get_username()}
        gaps_import(engagement=engagement, part=parsed.gaps, people=people, members=members)
    # The history comes from the file, not from the writes that rebuilt the engagement just now.
    AuditEntry.objects.filter(engagement=engagement).delete()

    User = get_user_model()
    users = {u.get_username(): u for u in User.objects.filter(username__in=[m.username for m in parsed.members])}
    missing = []
    for member in parsed.members:
        user = users.get(member.username)
        if user is None:
            missing.append(member.username)
        elif user != actor:  # the importer is already the owner of what they imported
            Membership.objects.create(engagement=engagement, user=user, role=member.role)
    history = [
        AuditEntry(
            engagement=engagement,
            actor=None,
            actor_label=entry.actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            object_repr=entry.object,
            changes=entry.changes,
        )
        for entry in parsed.audit
    ]
    created = AuditEntry.objects.bulk_create(history, batch_size=1000)
    for row, entry in zip(created, parsed.audit, strict=True):
        row.at = entry.at
    AuditEntry.objects.bulk_update(created, ["at"], batch_size=1000)
    audit_record(
        engagement=engagement,
        actor=actor,
        action="create",
        obj=engagement,
        values={"imported_from": "file", "members_not_found": ", ".join(missing)},
    )
    return engagement, missing
