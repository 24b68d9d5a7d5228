"""Writes on the engagement's weights: how much a requirement, a process or a clause counts in the priorities
and the readiness figures. Each change is versioned and audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.catalogue.models import Process, Requirement
from certprep.catalogue.selectors import PROCESS_LENS_URN
from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.gaps.choices import WeightScope
from certprep.gaps.models import Assessment, Weight
from certprep.gaps.rules import WEIGHT_MAX, WEIGHT_MIN


def _known(engagement: Engagement, scope: str, key: str) -> bool:
    if scope == WeightScope.PROCESS:
        return Process.objects.filter(lens__urn=PROCESS_LENS_URN, code=key).exists()
    frameworks = Assessment.objects.filter(engagement=engagement).values_list("framework_id", flat=True)
    return Requirement.objects.filter(framework_id__in=frameworks, urn=key).exists()


@transaction.atomic
def weight_set(
    *,
    engagement: Engagement,
    actor: Actor,
    scope: str,
    key: str,
    weight: int | None,
    expected_version: int | None = None,
) -> Weight | None:
    """Give a requirement, a process or a clause the engagement's own weight (1 to 5), or None to go back to
    the catalogue's. `expected_version` is the version the editor saw (None: the editor saw no weight)."""
    if scope not in WeightScope.values:
        raise ServiceError(_("Choose requirement, process or clause."), field="scope")
    key = (key or "").strip()
    if not key or not _known(engagement, scope, key):
        raise ServiceError(_("Nothing assessed in this engagement has that reference."), field="key")
    if weight is not None and (
        not isinstance(weight, int) or isinstance(weight, bool) or not WEIGHT_MIN <= weight <= WEIGHT_MAX
    ):
        raise ServiceError(
            _("A weight is a whole number from %(min)s to %(max)s.") % {"min": WEIGHT_MIN, "max": WEIGHT_MAX},
            field="weight",
        )
    current = Weight.objects.select_for_update().filter(engagement=engagement, scope=scope, key=key).first()
    if current is None:
        if expected_version not in (None, 0):
            raise ServiceError(
                _("Someone else removed this weight since you opened the page. Open it again."), field="weight"
            )
        if weight is None:
            return None
        created = Weight.objects.create(engagement=engagement, scope=scope, key=key, weight=weight)
        audit_record(
            engagement=engagement,
            actor=actor,
            action="create",
            obj=created,
            values={"scope": scope, "key": key, "weight": weight},
        )
        return created
    if weight is None:
        if expected_version is not None and expected_version != current.version:
            save_versioned(current, expected_version=expected_version, fields=[])  # raises the conflict
        audit_record(
            engagement=engagement,
            actor=actor,
            action="delete",
            obj=current,
            values={"scope": scope, "key": key, "weight": current.weight},
        )
        current.delete()
        return None
    before = current.weight
    current.weight = weight
    save_versioned(current, expected_version=expected_version or current.version, fields=["weight"])
    if before != weight:
        audit_record(
            engagement=engagement, actor=actor, action="update", obj=current, changes={"weight": [before, weight]}
        )
    return current
