"""Writes on ratings: the level (chosen on the compliance scale, derived from the attribute ratings on the
capability scale), the target, the documentation status, notes, the assessor, and evidence."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.text import single_line, without_control_characters
from certprep.core.uploads import checked_upload
from certprep.core.versioning import save_versioned
from certprep.gaps.choices import REQUIREMENT_SCALES, EvidenceKind, Scale
from certprep.gaps.models import Assessment, Evidence, Rating
from certprep.gaps.rules import ACHIEVEMENTS, ATTRIBUTE_KEYS, capability_level, clean_attributes, scale_max
from certprep.gaps.selectors.documents import documentation_of
from certprep.gaps.services.documents import requirement_documentation_set, status_value
from certprep.survey.models import Answer

NOTES_MAX = 20_000
TITLE_MAX = 300
MAX_EVIDENCE_PER_RATING = 50
UNSET: Any = object()


def _open(rating: Rating) -> None:
    if not rating.assessment.is_open:
        raise ServiceError(_("This assessment is closed. Reopen it to change its ratings."))


def _check_owner(rating: Rating, owner: Any) -> None:
    if owner is not None and not rating.assessment.engagement.memberships.filter(user=owner).exists():
        raise ServiceError(_("The assessor must be a member of this engagement."), field="owner")


class _Edit:
    """What a rating update changes: the audit's [old, new] pairs and the fields to save."""

    def __init__(self, rating: Rating) -> None:
        self.rating = rating
        self.top = scale_max(rating.scale)
        self.changes: dict[str, list[Any]] = {}
        self.fields: list[str] = []
        self.rated = False

    def set(self, name: str, value: Any, shown: tuple[Any, Any] | None = None) -> None:
        old, new = shown or (getattr(self.rating, name), value)
        self.changes[name] = [old, new]
        setattr(self.rating, name, value)
        self.fields.append(name)

    def attributes(self, attributes: dict[str, str]) -> None:
        """Merge attribute ratings ("" clears one); the capability level follows from them."""
        rating = self.rating
        if rating.scale != Scale.CAPABILITY:
            raise ServiceError(
                _("This requirement is rated on the compliance scale: choose a step, not attribute ratings."),
                field="attributes",
            )
        merged = dict(rating.attributes or {})
        for key, value in attributes.items():
            if key not in ATTRIBUTE_KEYS:
                raise ServiceError(_("Unknown process attribute %(key)s.") % {"key": key}, field="attributes")
            value = (value or "").strip().upper()
            if value and value not in ACHIEVEMENTS:
                raise ServiceError(_("Rate a process attribute N, P, L or F."), field="attributes")
            if value:
                merged[key] = value
            else:
                merged.pop(key, None)
        merged = clean_attributes(merged)
        if merged == clean_attributes(rating.attributes or {}):
            return
        new_level = capability_level(merged)
        self.set("attributes", merged)
        if new_level != rating.level:
            self.changes["level"] = [rating.level, new_level]
        rating.level = new_level
        self.fields.append("level")
        self.rated = True

    def level(self, level: Any) -> None:
        if self.rating.scale == Scale.CAPABILITY:
            raise ServiceError(
                _("On the capability scale the level follows from the attribute ratings; it cannot be typed."),
                field="level",
            )
        if level is not None and (not _whole(level) or not 0 <= level <= self.top):
            raise ServiceError(_("Choose a step from 0 to %(max)s.") % {"max": self.top}, field="level")
        if level != self.rating.level:
            self.set("level", level)
            self.rated = True

    def target(self, target: Any) -> None:
        if target is not None and (not _whole(target) or not 1 <= target <= self.top):
            raise ServiceError(
                _("The target must be between 1 and %(max)s on this scale.") % {"max": self.top}, field="target"
            )
        if target != self.rating.target:
            self.set("target", target)

    def notes(self, notes: str) -> None:
        notes = without_control_characters(notes).strip()
        if len(notes) > NOTES_MAX:
            raise ServiceError(_("At most %(n)s characters.") % {"n": NOTES_MAX}, field="notes")
        if notes != self.rating.notes:
            self.set("notes", notes)

    def owner(self, owner: Any) -> None:
        rating = self.rating
        _check_owner(rating, owner)
        if (owner.pk if owner else None) != rating.owner_id:
            shown = (str(rating.owner) if rating.owner_id else None, str(owner) if owner else None)
            self.set("owner", owner, shown)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _documentation_to(rating: Rating, documentation: str | None) -> str | None:
    """The documentation status to store for the requirement, or None when it stays as it is."""
    if documentation is None:
        return None
    value = status_value(documentation)
    if value is None:
        raise ServiceError(_("Unknown documentation status."), field="documentation")
    return None if value == rating.documentation else value


@transaction.atomic
def rating_update(
    *,
    rating: Rating,
    actor: Actor,
    expected_version: int,
    level: Any = UNSET,
    attributes: dict[str, str] | None = None,
    target: Any = UNSET,
    documentation: str | None = None,
    notes: str | None = None,
    owner: Any = UNSET,
) -> Rating:
    """Change what is given; attributes are merged (a value of "" clears one attribute). A stale version is
    refused with a conflict, never merged. The documentation status is stored on the checklist items that
    evidence the requirement (see services.documents.requirement_documentation_set)."""
    _open(rating)
    edit = _Edit(rating)
    if attributes is not None:
        edit.attributes(attributes)
    if level is not UNSET:
        edit.level(level)
    if target is not UNSET:
        edit.target(target)
    documentation_to = _documentation_to(rating, documentation)
    if notes is not None:
        edit.notes(notes)
    if owner is not UNSET:
        edit.owner(owner)
    if edit.rated:
        rating.rated_by = actor if getattr(actor, "is_authenticated", False) else None
        rating.rated_at = timezone.now()
        edit.fields += ["rated_by", "rated_at"]
    save_versioned(rating, expected_version=expected_version, fields=edit.fields)
    if edit.changes:
        audit_record(
            engagement=rating.assessment.engagement, actor=actor, action="update", obj=rating, changes=edit.changes
        )
    if documentation_to is not None:
        requirement_documentation_set(
            engagement=rating.assessment.engagement,
            requirement=rating.requirement,
            status=documentation_to,
            actor=actor,
        )
        rating.documentation = documentation_of(rating)
    return rating


@transaction.atomic
def ratings_scale_set(*, assessment: Assessment, actor: Actor, scale: str, clause: str = "") -> int:
    """Rate the requirements under a clause (or one requirement, or every requirement when clause is empty)
    on another scale. A rating on the old scale cannot be carried over, so the level, the attribute ratings
    and the own target of the changed requirements are cleared; the audit trail keeps what they were.
    Returns how many requirements changed scale."""
    if not assessment.is_open:
        raise ServiceError(_("This assessment is closed. Reopen it to change its ratings."))
    if scale not in REQUIREMENT_SCALES:
        raise ServiceError(_("Choose capability or compliance."), field="scale")
    clause = clause.strip()
    rows = Rating.objects.filter(assessment=assessment).exclude(scale=scale)
    if clause:
        rows = rows.filter(Q(requirement__ref_id=clause) | Q(requirement__ref_id__startswith=clause + "."))
    changed = list(rows.values_list("pk", "requirement__ref_id", "level", "attributes", "target"))
    if not changed:
        return 0
    cleared = [
        (ref, level, attributes, target)
        for _pk, ref, level, attributes, target in changed
        if level is not None or attributes or target
    ]
    Rating.objects.filter(pk__in=[row[0] for row in changed]).update(
        scale=scale, level=None, attributes={}, target=None, version=F("version") + 1, updated_at=timezone.now()
    )
    audit_record(
        engagement=assessment.engagement,
        actor=actor,
        action="update",
        obj=assessment,
        changes={
            "scale": [clause or "*", f"{scale} ({len(changed)})"],
            **(
                {
                    "cleared ratings": [
                        "; ".join(
                            f"{ref}: {level if level is not None else '-'} {attrs or ''} {target or ''}".strip()
                            for ref, level, attrs, target in cleared[:200]
                        ),
                        None,
                    ]
                }
                if cleared
                else {}
            ),
        },
    )
    return len(changed)


def member_by_id(rating: Rating, user_id: int | None) -> Any:
    """The engagement member with this user id (None for none), or ServiceError."""
    if user_id is None:
        return None
    user = (
        get_user_model().objects.filter(pk=user_id, memberships__engagement_id=rating.assessment.engagement_id).first()
    )
    if user is None:
        raise ServiceError(_("The assessor must be a member of this engagement."), field="owner")
    return user


def _room(rating: Rating) -> None:
    _open(rating)
    if rating.evidence.count() >= MAX_EVIDENCE_PER_RATING:
        raise ServiceError(_("At most %(n)s pieces of evidence per requirement.") % {"n": MAX_EVIDENCE_PER_RATING})


def _title(title: str) -> str:
    title = " ".join(single_line(title, field="title", label=_("The title")).split())
    if len(title) > TITLE_MAX:
        raise ServiceError(_("At most %(n)s characters.") % {"n": TITLE_MAX}, field="title")
    return title


def clean_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ServiceError(_("Enter the link."), field="url")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ServiceError(_("Enter a full web address starting with http:// or https://."), field="url") from exc
    if len(url) > 1000:
        raise ServiceError(_("At most %(n)s characters.") % {"n": 1000}, field="url")
    return url


def _created(rating: Rating, actor: Actor, evidence: Evidence) -> Evidence:
    audit_record(
        engagement=rating.assessment.engagement,
        actor=actor,
        action="create",
        obj=evidence,
        values={"requirement": str(rating.requirement), "kind": evidence.kind, "title": str(evidence)},
    )
    return evidence


@transaction.atomic
def evidence_add_link(*, rating: Rating, actor: Actor, url: str, title: str = "") -> Evidence:
    _room(rating)
    url = clean_url(url)
    evidence = Evidence.objects.create(
        rating=rating, kind=EvidenceKind.LINK, url=url, title=_title(title) or url[:TITLE_MAX], added_by=_user(actor)
    )
    return _created(rating, actor, evidence)


@transaction.atomic
def evidence_add_file(*, rating: Rating, actor: Actor, upload: UploadedFile, title: str = "") -> Evidence:
    _room(rating)
    content_type, sha256, original = checked_upload(upload)
    evidence = Evidence(
        rating=rating,
        kind=EvidenceKind.FILE,
        title=_title(title) or original,
        original_name=original,
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        added_by=_user(actor),
    )
    evidence.file.save("upload", upload, save=False)
    evidence.save()
    return _created(rating, actor, evidence)


@transaction.atomic
def evidence_add_answer(*, rating: Rating, actor: Actor, answer: Answer, title: str = "") -> Evidence:
    _room(rating)
    if answer.response.respondent.campaign.engagement_id != rating.assessment.engagement_id:
        raise ServiceError(_("That answer belongs to another engagement."), field="answer")
    if Evidence.objects.filter(rating=rating, answer=answer).exists():
        raise ServiceError(_("This answer is already linked as evidence."), field="answer")
    question = answer.question
    default = f"{answer.response.respondent.person.name}: {question.tr.text}"[:TITLE_MAX]
    evidence = Evidence.objects.create(
        rating=rating, kind=EvidenceKind.ANSWER, answer=answer, title=_title(title) or default, added_by=_user(actor)
    )
    return _created(rating, actor, evidence)


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: Actor) -> None:
    rating = evidence.rating
    _open(rating)
    audit_record(
        engagement=rating.assessment.engagement,
        actor=actor,
        action="delete",
        obj=evidence,
        values={"requirement": str(rating.requirement), "kind": evidence.kind, "title": str(evidence)},
    )
    stored = evidence.file.name if evidence.file else ""
    evidence.delete()
    if stored:
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored))


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
