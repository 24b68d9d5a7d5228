"""Writes on assessments and their settings: create a baseline or a reassessment, rename, close, sync."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.catalogue.models import Framework, Requirement
from certprep.core.actors import Actor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.text import single_line
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.gaps.choices import AssessmentKind, AssessmentStatus, Scale
from certprep.gaps.models import Assessment, Evidence, GapSettings, Rating
from certprep.gaps.rules import scale_for, scale_max
from certprep.gaps.selectors.lens import top_clause, tree

ISO_20000_URN = "urn:certprep:framework:iso-iec-20000-1-2018"
NAME_MAX = 200


def settings_for(engagement: Engagement) -> GapSettings:
    """The engagement's gap-analysis settings, created with the defaults on first use."""
    found, _created = GapSettings.objects.get_or_create(engagement=engagement)
    return found


@transaction.atomic
def settings_update(
    *,
    engagement: Engagement,
    actor: Actor,
    expected_version: int,
    scale: str,
    default_target: int,
    sms_operating_since: datetime.date | None,
) -> GapSettings:
    current = settings_for(engagement)
    stored = GapSettings.objects.get(pk=current.pk)
    if scale not in Scale.values:
        raise ServiceError(_("Choose a rating scale."), field="scale")
    if not 1 <= default_target <= scale_max(scale):
        raise ServiceError(
            _("The target must be between 1 and %(max)s on this scale.") % {"max": scale_max(scale)},
            field="default_target",
        )
    if sms_operating_since and sms_operating_since > timezone.localdate():
        raise ServiceError(_("The SMS cannot have started in the future."), field="sms_operating_since")
    fields = ["scale", "default_target", "sms_operating_since"]
    before = snapshot(stored, fields)
    current.scale, current.default_target, current.sms_operating_since = scale, default_target, sms_operating_since
    save_versioned(current, expected_version=expected_version, fields=fields)
    after = snapshot(current, fields)
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changes:
        audit_record(engagement=engagement, actor=actor, action="update", obj=current, changes=changes)
    return current


def default_framework() -> Framework | None:
    return Framework.objects.filter(urn=ISO_20000_URN).first()


def _assessable(framework: Framework) -> list[int]:
    return list(
        Requirement.objects.filter(framework=framework, assessable=True, is_current=True)
        .order_by("order")
        .values_list("pk", flat=True)
    )


def _clean_name(name: str) -> str:
    name = " ".join(single_line(name, field="name", label=_("The name")).split())
    if not name:
        raise ServiceError(_("Give the assessment a name."), field="name")
    if len(name) > NAME_MAX:
        raise ServiceError(_("At most %(n)s characters.") % {"n": NAME_MAX}, field="name")
    return name


def _first_ratings(assessment: Assessment, requirement_ids: list[int], based_on: Assessment | None) -> list[Rating]:
    """One rating per assessable requirement: copied from the assessment it starts from, else unrated on the
    scale the assessment's policy gives its clause."""
    copied: dict[int, Rating] = {}
    if based_on is not None:
        copied = {r.requirement_id: r for r in based_on.ratings.all()}
    nodes = tree(assessment.framework_id)
    rows = []
    for requirement_id in requirement_ids:
        source = copied.get(requirement_id)
        top = top_clause(nodes, requirement_id)
        rows.append(
            Rating(
                assessment=assessment,
                requirement_id=requirement_id,
                scale=source.scale if source else scale_for(assessment.scale, top.ref_id if top else ""),
                attributes=dict(source.attributes) if source else {},
                level=source.level if source else None,
                target=source.target if source else None,
                notes=source.notes if source else "",
                owner_id=source.owner_id if source else None,
            )
        )
    return rows


@transaction.atomic
def assessment_create(
    *,
    engagement: Engagement,
    actor: Actor,
    name: str,
    assessed_on: datetime.date,
    framework: Framework | None = None,
    based_on: Assessment | None = None,
    default_target: int | None = None,
) -> Assessment:
    """A new assessment with one unrated row per assessable requirement. The first one is the baseline;
    a later one is a reassessment and may start from an earlier assessment's ratings (copied, not linked)."""
    gap_settings = settings_for(engagement)
    if based_on is not None:
        if based_on.engagement_id != engagement.pk:
            raise ServiceError(_("That assessment belongs to another engagement."), field="based_on")
        framework = framework or based_on.framework
        if framework.pk != based_on.framework_id:
            raise ServiceError(
                _("A reassessment can only start from an assessment of the same framework."), field="based_on"
            )
    framework = framework or default_framework()
    if framework is None:
        raise ServiceError(
            _("No framework is loaded yet. Ask an administrator to load the catalogue."), field="framework"
        )
    requirement_ids = _assessable(framework)
    if not requirement_ids:
        raise ServiceError(_("This framework has no assessable requirements."), field="framework")
    scale = based_on.scale if based_on is not None else gap_settings.scale
    target = (
        default_target
        if default_target is not None
        else (based_on.default_target if based_on else gap_settings.default_target)
    )
    if not 1 <= target <= scale_max(scale):
        raise ServiceError(
            _("The target must be between 1 and %(max)s on this scale.") % {"max": scale_max(scale)},
            field="default_target",
        )
    first = not Assessment.objects.filter(engagement=engagement).exists()
    assessment = Assessment.objects.create(
        engagement=engagement,
        framework=framework,
        name=_clean_name(name),
        kind=AssessmentKind.BASELINE if first else AssessmentKind.REASSESSMENT,
        scale=scale,
        default_target=target,
        assessed_on=assessed_on,
        based_on=based_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    rows = _first_ratings(assessment, requirement_ids, based_on)
    Rating.objects.bulk_create(rows, batch_size=500)
    audit_record(
        engagement=engagement,
        actor=actor,
        action="create",
        obj=assessment,
        values={"name": assessment.name, "framework": framework.name, "scale": scale, "requirements": len(rows)},
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    actor: Actor,
    expected_version: int,
    name: str | None = None,
    assessed_on: datetime.date | None = None,
    default_target: int | None = None,
    status: str | None = None,
) -> Assessment:
    stored = Assessment.objects.get(pk=assessment.pk)
    fields: list[str] = []
    if name is not None:
        assessment.name = _clean_name(name)
        fields.append("name")
    if assessed_on is not None:
        assessment.assessed_on = assessed_on
        fields.append("assessed_on")
    if default_target is not None:
        if not 1 <= default_target <= scale_max(assessment.scale):
            raise ServiceError(
                _("The target must be between 1 and %(max)s on this scale.") % {"max": scale_max(assessment.scale)},
                field="default_target",
            )
        assessment.default_target = default_target
        fields.append("default_target")
    if status is not None:
        if status not in AssessmentStatus.values:
            raise ServiceError(_("Unknown status."), field="status")
        assessment.status = status
        fields.append("status")
    before = snapshot(stored, fields)
    save_versioned(assessment, expected_version=expected_version, fields=fields)
    changes = {k: [before[k], v] for k, v in snapshot(assessment, fields).items() if before[k] != v}
    if changes:
        audit_record(engagement=assessment.engagement, actor=actor, action="update", obj=assessment, changes=changes)
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment, actor: Actor) -> None:
    audit_record(
        engagement=assessment.engagement, actor=actor, action="delete", obj=assessment, values={"name": assessment.name}
    )
    stored = [
        name
        for name in Evidence.objects.filter(rating__assessment=assessment)
        .exclude(file="")
        .values_list("file", flat=True)
        if name
    ]
    assessment.delete()
    if stored:  # the files go once the rows are gone for good
        storage = Evidence._meta.get_field("file").storage

        def remove() -> None:
            for name in stored:
                storage.delete(name)

        transaction.on_commit(remove)


@transaction.atomic
def assessment_sync(*, assessment: Assessment, actor: Actor) -> int:
    """Add rows for requirements a newer framework version made assessable; returns how many were added.
    Requirements the framework dropped keep their rows (shown as no longer current), so nothing is lost."""
    have = set(assessment.ratings.values_list("requirement_id", flat=True))
    missing = [pk for pk in _assessable(assessment.framework) if pk not in have]
    nodes = tree(assessment.framework_id)
    Rating.objects.bulk_create(
        [
            Rating(
                assessment=assessment,
                requirement_id=pk,
                scale=scale_for(assessment.scale, getattr(top_clause(nodes, pk), "ref_id", "")),
            )
            for pk in missing
        ],
        batch_size=500,
    )
    if missing:
        audit_record(
            engagement=assessment.engagement,
            actor=actor,
            action="update",
            obj=assessment,
            changes={"requirements": [len(have), len(have) + len(missing)]},
        )
    return len(missing)
