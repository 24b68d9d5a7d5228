"""Whole-engagement JSON export and import: a lossless round trip.

The file carries the engagement, its organization profile, its members (by user name and e-mail) and
its audit trail, then one section per engagement part (certprep/core/parts.py: the survey, the matrix, the
gap analysis ...), exported, checked and imported by the part's own app. An import makes the importer the
only member: the file's other members become suggested invitations, and the answer is the same whichever of
them have accounts here.

Each app that declares a part adds its section, so the format grows without breaking older files: an
unknown section is refused, a missing one is imported as empty.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from certprep.core import parts as core_parts
from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.parts import Handovers, engagement_parts
from certprep.core.request_limits import ENGAGEMENT_FILE_BYTES
from certprep.core.schemas import Choice
from certprep.core.text import SingleLineText
from certprep.core.uploads import files_kept_only_on_success
from certprep.core.wording import join_names
from certprep.engagements.choices import Certification, Industry, ItilAdoption, Role
from certprep.engagements.models import Engagement, OrganizationProfile, SuggestedInvitation
from certprep.engagements.services import (
    ENGAGEMENT_FIELDS,
    PROFILE_FIELDS,
    engagement_create,
    engagement_update,
    profile_update,
)

FORMAT = "certprep.engagement/1"
MAX_BYTES = ENGAGEMENT_FILE_BYTES
# An export nests about six levels; the JSON reader recurses once per level and fails on deep files.
MAX_DEPTH = 64
# Each list or object becomes a Python object of 50-200 bytes; a file of nothing but brackets would grow
# a worker by gigabytes. A large real engagement has some 50,000.
MAX_CONTAINERS = 500_000
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]++")
# Openers become byte 1 and closers byte 2; _DEPTH_CHANGE maps them to +1 and -1.
_STEPS = str.maketrans("[{]}", "\x01\x01\x02\x02")
_DEPTH_CHANGE = (0, 1, -1)

type Part = core_parts.EngagementPart[Any]  # an app's part of the engagement, not the file's `engagement` field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# An entry of a profile list (sites, services, tools): one line, as the profile form takes it.
ListEntry = Annotated[SingleLineText, Field(max_length=200)]


class EngagementPart(_Strict):
    name: SingleLineText = Field(min_length=1, max_length=200)
    organization_name: SingleLineText = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    target_stage1_date: datetime.date | None = None
    survey_preparation_days: int = Field(5, ge=1, le=60)
    # Files exported before these existed take the defaults.
    time_zone: str = Field("UTC", max_length=64)
    report_language: str = Field("en", max_length=10)


class ProfilePart(_Strict):
    industry: Choice[Industry] | Literal[""] = ""
    people_in_scope: int | None = Field(None, ge=1, le=1_000_000)
    sites: list[ListEntry] = Field(default_factory=list, max_length=200)
    services_in_scope: list[ListEntry] = Field(default_factory=list, max_length=200)
    scope_who: SingleLineText = Field("", max_length=300)
    scope_services: SingleLineText = Field("", max_length=500)
    scope_where: SingleLineText = Field("", max_length=300)
    itsm_tools: list[ListEntry] = Field(default_factory=list, max_length=200)
    itil_adoption: Choice[ItilAdoption] | Literal[""] = ""
    existing_certifications: list[Choice[Certification]] = Field(default_factory=list, max_length=20)
    notes: str = Field("", max_length=10_000)


class MemberPart(_Strict):
    username: SingleLineText = Field(min_length=1, max_length=150)
    email: SingleLineText = Field("", max_length=254)
    role: Choice[Role]


class AuditPart(_Strict):
    at: datetime.datetime
    actor: str = Field("", max_length=150)
    action: str = Field(pattern="^(create|update|delete)$")
    object_type: str = Field(max_length=100)
    object_id: str = Field("", max_length=64)
    object: str = Field("", max_length=300)
    changes: dict[str, Any] = Field(default_factory=dict)


class EngagementFile(_Strict):
    """The file's own fields; each part's section is added by `_file_model`."""

    format: str = Field(pattern="^" + FORMAT.replace(".", r"\.") + "$")
    exported_at: datetime.datetime | None = None
    engagement: EngagementPart
    profile: ProfilePart
    members: list[MemberPart] = Field(default_factory=list, max_length=10_000)
    audit: list[AuditPart] = Field(default_factory=list, max_length=1_000_000)


def _file_model(parts: list[Part]) -> type[EngagementFile]:
    """The whole file's model: the file's own fields and one optional section per part (absent in files
    written before the part existed)."""
    sections: dict[str, Any] = {part.key: (part.section.schema | None, None) for part in parts if part.section}
    return create_model("EngagementFile", __base__=EngagementFile, **sections)


def _check_file_budget(engagement: Engagement, parts: list[Part]) -> None:
    """Refuse an export whose stored files (every part's together, such as the survey answers' and the gap
    ratings' evidence, a third larger in base64) would not fit in one engagement file: the import would refuse
    it."""
    stored = [part.section.files for part in parts if part.section and part.section.files]
    sizes = [(files.label, files.size(engagement)) for files in stored]
    total = sum(size for _label, size in sizes)
    if total * 4 // 3 > MAX_BYTES:

        def mb(size: int) -> float:
            return round(size / (1024 * 1024), 1)

        raise ServiceError(
            _(
                "The evidence files total %(size)s MB (%(parts)s); an engagement file holds at most %(max)s MB. "
                "Remove large files before exporting."
            )
            % {
                "size": mb(total),
                "parts": join_names(label % {"mb": mb(size)} for label, size in sizes),
                "max": MAX_BYTES // (1024 * 1024),
            }
        )


def engagement_export(engagement: Engagement) -> dict[str, Any]:
    """Everything of the engagement as plain JSON-ready data."""
    parts = engagement_parts()
    _check_file_budget(engagement, parts)
    profile = OrganizationProfile.objects.get(engagement=engagement)  # never a stale cached copy
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
    }
    for part in parts:
        if part.section is not None:
            data[part.key] = part.section.export(engagement)
    return data


def engagement_export_json(engagement: Engagement) -> str:
    return json.dumps(engagement_export(engagement), ensure_ascii=False, indent=2, sort_keys=True)


def _check_shape(text: str) -> None:
    """Refuse JSON text with more lists and objects, or deeper nesting, than an engagement file can have,
    found without recursion and without building anything. Brackets inside strings do not count. The
    count is exact up to the first thing that is not JSON; the JSON reader stops there with its own error."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text)).translate(_STEPS).encode("latin-1")
    if brackets.count(1) > MAX_CONTAINERS:
        raise ServiceError(
            _("The file holds more than %(n)s lists and objects; an engagement export never does.")
            % {"n": f"{MAX_CONTAINERS:,}"}
        )
    if _nests_deeper_than(brackets, MAX_DEPTH):
        raise ServiceError(
            _("The file nests lists or objects more than %(n)s levels deep; an engagement export never does.")
            % {"n": MAX_DEPTH}
        )


def _nests_deeper_than(brackets: bytes, limit: int) -> bool:
    """Whether a string of openers (1) and closers (2) goes deeper than `limit`."""
    depth = 0
    step = 4096
    for start in range(0, len(brackets), step):
        chunk = brackets[start : start + step]
        opens = chunk.count(1)
        # Only a chunk with enough openers to pass the limit is walked; the walk runs in C (accumulate).
        if depth + opens > limit and max(accumulate(map(_DEPTH_CHANGE.__getitem__, chunk), initial=depth)) > limit:
            return True
        depth += opens - (len(chunk) - opens)
    return False


def _checked_text(raw: bytes) -> str:
    """The file's text once its bounds are checked (size, UTF-8, how many lists and objects and how deep), found
    without building anything."""
    if len(raw) > MAX_BYTES:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ServiceError(_("The file is not UTF-8 text.")) from exc
    _check_shape(text)
    return text


def checked_document(raw: bytes) -> Any:
    """The file as JSON once its bounds are checked: what a request checks before it stores a file for a worker to
    import (reading JSON within those bounds takes a moment; checking and importing an engagement takes long)."""
    text = _checked_text(raw)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ServiceError(
            _("The file is not valid JSON: line %(line)s, column %(col)s: %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc


def _parse(raw: bytes, parts: list[Part]) -> EngagementFile:
    document = checked_document(raw)
    try:
        return _file_model(parts).model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ServiceError(
            _("The file is not a certprep engagement export: field %(field)s: %(msg)s")
            % {"field": where, "msg": first["msg"]},
            field=where,
        ) from exc


type Imported = Callable[[Engagement, list[str]], None]


def engagement_import(*, raw: bytes, actor: Actor, on_imported: Imported | None = None) -> tuple[Engagement, list[str]]:
    """Create a new engagement from an export, owned by `actor`; all or nothing, files included: the
    evidence files written before a failure are removed with the rolled-back rows.

    No one but the importer becomes a member: the file's other members are kept as suggested invitations
    the owner may send, and their user names are returned in the file's order. The answer never depends on
    which of them have accounts here, and only the importer is matched as a user in the imported sections
    (assessors, interviewers, authors). The audit trail is kept as it was, each entry marked as imported
    with its actor as text, plus one entry for the import itself.

    `on_imported(engagement, suggested)` runs last, inside the import's transaction: what it writes lands with the
    engagement or not at all, and an error it raises undoes the whole import (files included).
    """
    with files_kept_only_on_success():
        return _engagement_import(raw=raw, actor=actor, on_imported=on_imported)


@transaction.atomic
def _engagement_import(*, raw: bytes, actor: Actor, on_imported: Imported | None) -> tuple[Engagement, list[str]]:
    parts = engagement_parts()
    parsed = _parse(raw, parts)
    sections = [(part.section, getattr(parsed, part.key)) for part in parts if part.section]
    # Only the importer is a member, so only the importer is matched as a user in the imported sections:
    # linking anyone else by name would both reach into their account and show which names exist here.
    handovers = Handovers(members={actor.get_username()})
    # References between the sections are checked before anything is written.
    for section, content in sections:
        if content is not None:
            section.check(content, handovers)
    part = parsed.engagement
    engagement = engagement_create(
        user=actor,
        name=part.name,
        organization_name=part.organization_name,
        description=part.description,
        target_stage1_date=part.target_stage1_date,
        time_zone=part.time_zone,
        report_language=part.report_language,
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
    for section, content in sections:
        if content is not None:
            section.load(engagement, content, handovers)
    # The history comes from the file, not from the writes that rebuilt the engagement just now.
    AuditEntry.objects.filter(engagement=engagement).delete()

    suggested = _suggest_invitations(engagement=engagement, members=parsed.members, importer=actor)
    history = [
        AuditEntry(
            engagement=engagement,
            actor=None,
            actor_label=entry.actor,
            imported=True,
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
        values={"imported_from": "file", "suggested_invitations": len(suggested)},
    )
    names = [s.username for s in suggested]
    if on_imported is not None:
        on_imported(engagement, names)
    return engagement, names


def _suggest_invitations(
    *, engagement: Engagement, members: list[MemberPart], importer: Any
) -> list[SuggestedInvitation]:
    """The file's members other than the importer, as suggestions for the owner: once each, in the file's
    order, with the file's address when it is a valid one. No account is looked up."""
    seen = {importer.get_username()}
    suggestions = []
    for member in members:
        if member.username in seen:
            continue
        seen.add(member.username)
        email = member.email.strip()
        try:
            validate_email(email)
        except DjangoValidationError:
            email = ""
        suggestions.append(
            SuggestedInvitation(engagement=engagement, username=member.username, email=email, role=member.role)
        )
    return SuggestedInvitation.objects.bulk_create(suggestions, batch_size=1000)
