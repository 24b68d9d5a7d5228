"""The scheme's ratings: a score on the 1-5 scale, why, the evidence and the weight, written only over the version
the person read and recorded in the audit trail. A rating nobody saved yet reads as version 1 (its defaults); its
first save creates it at version 2, so a second person still holding version 1 is refused like any stale edit."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from certprep.core.actors import AuditActor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement
from certprep.feasibility.changes import RATING_FIELDS
from certprep.feasibility.choices import RatingKey
from certprep.feasibility.models import Rating
from certprep.feasibility.selectors.scheme import default_rating

TEXT_LIMIT = 20_000
MAX_WEIGHT = Decimal(100)


def _stale(expected: int, stored: int) -> ConflictError:
    return ConflictError(
        _(
            "Someone else changed this since you opened it (your copy is version %(yours)s, the saved one is "
            "version %(theirs)s). Your changes were not saved: open the page again to see theirs, then make your "
            "change again."
        )
        % {"yours": expected, "theirs": stored}
    )


def checked_rating(values: Mapping[str, Any]) -> dict[str, Any]:
    """The rating's values as stored, or ServiceError naming the field."""
    out: dict[str, Any] = {}
    if "score" in values:
        score = values["score"]
        if score in ("", None):
            out["score"] = None
        elif isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise ServiceError(_("A rating is a whole number from 1 to 5."), field="score")
        else:
            out["score"] = score
    for name in ("rationale", "evidence"):
        if name in values:
            text = str(values[name] or "")
            if len(text) > TEXT_LIMIT:
                raise ServiceError(_("At most %(n)s characters.") % {"n": TEXT_LIMIT}, field=name)
            out[name] = text
    if "weight" in values:
        try:
            weight = Decimal(str(values["weight"]))
        except InvalidOperation:
            raise ServiceError(_("A weight is a number from 0 to 100."), field="weight") from None
        if not weight.is_finite() or not 0 <= weight <= MAX_WEIGHT or weight != weight.quantize(Decimal("0.01")):
            raise ServiceError(_("A weight is a number from 0 to 100, with at most 2 decimals."), field="weight")
        out["weight"] = weight.quantize(Decimal("0.01"))
    return out


def _create(engagement: Engagement, key: str, actor: AuditActor, values: dict[str, Any]) -> Rating | None:
    rating = default_rating(engagement, key)
    for name, value in values.items():
        setattr(rating, name, value)
    rating.version = 2
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        return None  # someone created it first: the caller compares versions against theirs
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=rating,
        values=snapshot(rating, RATING_FIELDS),
    )
    return rating


@transaction.atomic
def rating_update(
    *, engagement: Engagement, actor: AuditActor, key: str, expected_version: int, **values: Any
) -> Rating:
    """Change a rating's score, rationale, evidence or weight (only those given)."""
    if key not in RatingKey.values:
        raise ServiceError(_("There is no such rating."), field="key")
    checked = checked_rating(values)
    stored = Rating.objects.select_for_update().filter(engagement=engagement, key=key).first()
    if stored is None:
        if expected_version != 1:
            raise _stale(expected_version, 1)
        created = _create(engagement, key, actor, checked)
        if created is not None:
            return created
        stored = Rating.objects.get(engagement=engagement, key=key)
    if stored.version != expected_version:
        raise _stale(expected_version, stored.version)
    before = snapshot(stored, RATING_FIELDS)
    for name, value in checked.items():
        setattr(stored, name, value)
    stored.version += 1
    stored.save(update_fields=[*checked, "version", "updated_at"])
    changes = {k: [before[k], v] for k, v in snapshot(stored, RATING_FIELDS).items() if before[k] != v}
    audit_record(engagement=engagement, actor=actor, action=AuditEntry.Action.UPDATE, obj=stored, changes=changes)
    return stored


@transaction.atomic
def weights_update(
    *, engagement: Engagement, actor: AuditActor, weights: Mapping[str, tuple[Any, int]]
) -> list[Rating]:
    """Set several weights at once: key -> (weight, version read); all or none."""
    return [
        rating_update(engagement=engagement, actor=actor, key=key, expected_version=version, weight=weight)
        for key, (weight, version) in weights.items()
    ]
