"""Writing the benefits of the feasibility scheme: add, change, remove and reorder a benefit, and start from
the usual benefits of certification. Keyword-only, atomic, version-checked, recorded in the audit trail.

The helpers at the bottom (validation, audited create / update / delete, moving a row) serve the risk register
too (services/risks.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record, audit_records, diff, snapshot
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry, VersionedModel
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.engagements.models import Engagement
from certprep.feasibility.benefits_usual import USUAL_BENEFITS
from certprep.feasibility.choices import Lens
from certprep.feasibility.models import Benefit, Risk

BENEFIT_FIELDS = ("title", "effect", "kpi", "baseline", "target", "lenses", "value_per_year", "first_year")
MAX_VALUE = Decimal(10) ** 13  # per year, in the reporting currency: beyond any real benefit, within the column


def validated(obj: Model, *, exclude: Iterable[str] = ()) -> None:
    """The model's validators and constraints; the first problem becomes a ServiceError on its field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        for name, problems in exc.message_dict.items():
            raise ServiceError(str(problems[0]), field=None if name == "__all__" else name) from exc
        raise ServiceError(str(exc.messages[0])) from exc


def cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


def known(changes: Mapping[str, Any], allowed: Sequence[str], service: str) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{service}() got unknown fields {sorted(unknown)}")


def next_position(queryset: QuerySet[Any]) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def created[M: Model](engagement: Engagement, actor: Actor, obj: M, fields: Iterable[str]) -> M:
    validated(obj, exclude=("engagement",))
    obj.save()
    values = {name: getattr(obj, name) for name in fields}
    audit_record(engagement=engagement, actor=actor, action=AuditEntry.Action.CREATE, obj=obj, values=values)
    return obj


def updated[M: VersionedModel](
    engagement: Engagement, actor: Actor, obj: M, *, expected_version: int, changes: Mapping[str, Any]
) -> M:
    """Set `changes` (every name given is set, None included), validate, write if the version is still the one
    read, and record what changed."""
    fields = list(changes)
    before = snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    validated(obj, exclude=("engagement",))
    save_versioned(obj, expected_version=expected_version, fields=fields)
    changed = diff(before, snapshot(obj, fields))
    if changed:
        audit_record(engagement=engagement, actor=actor, action=AuditEntry.Action.UPDATE, obj=obj, changes=changed)
    return obj


def deleted(
    engagement: Engagement,
    actor: Actor,
    obj: VersionedModel,
    *,
    expected_version: int | None,
    conflict: str,
    facts: Iterable[str],
) -> bool:
    def record(stored: VersionedModel) -> None:
        values = {name: getattr(stored, name) for name in facts}
        audit_record(engagement=engagement, actor=actor, action=AuditEntry.Action.DELETE, obj=stored, values=values)

    return delete_versioned(obj, expected_version=expected_version, conflict=conflict, record=record)


def moved[M: (Benefit, Risk)](
    engagement: Engagement, actor: Actor, obj: M, siblings: QuerySet[M], *, expected_version: int, step: int
) -> M:
    """Move `obj` one place up (step -1) or down (+1) among `siblings` (in their order) and number them all again
    0, 1, 2...; the moved row's version is checked and bumped, the others keep theirs."""
    rows = list(siblings.select_for_update().order_by("position", "pk"))
    index = next((i for i, row in enumerate(rows) if row.pk == obj.pk), None)
    if index is None:
        raise ServiceError(_("This row no longer exists."))
    target = index + step
    if not 0 <= target < len(rows):
        return obj
    rows[index], rows[target] = rows[target], rows[index]
    before = obj.position
    for number, row in enumerate(rows):
        if row.pk == obj.pk:
            obj.position = number
        elif row.position != number:
            type(row).objects.filter(pk=row.pk).update(position=number)
    save_versioned(obj, expected_version=expected_version, fields=["position"])
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=obj,
        changes={"position": [before, obj.position]},
    )
    return obj


def _lenses(values: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(values or ()))
    unknown = [value for value in chosen if value not in Lens.values]
    if unknown:
        raise ServiceError(_("Choose the lenses from the list."), field="lenses")
    return [lens for lens in Lens.values if lens in chosen]  # in the list's order


def _value(value: Decimal | None) -> Decimal | None:
    if value is not None and not Decimal(0) <= value < MAX_VALUE:
        raise ServiceError(_("Enter a money value from 0 to below 10^13 per year."), field="value_per_year")
    return value


@transaction.atomic
def benefit_create(*, engagement: Engagement, actor: Actor, title: str, **fields: Any) -> Benefit:
    """Add a benefit at the end of the list (BENEFIT_FIELDS besides the title)."""
    known(fields, BENEFIT_FIELDS, "benefit_create")
    fields = cleaned(fields)
    if "lenses" in fields:
        fields["lenses"] = _lenses(fields["lenses"])
    _value(fields.get("value_per_year"))
    benefit = Benefit(
        engagement=engagement,
        title=title.strip(),
        position=next_position(Benefit.objects.filter(engagement=engagement)),
        **{name: value for name, value in fields.items() if value is not None},
    )
    return created(engagement, actor, benefit, BENEFIT_FIELDS)


@transaction.atomic
def benefit_update(*, benefit: Benefit, actor: Actor, expected_version: int, **changes: Any) -> Benefit:
    """Change a benefit: every field given is set (value_per_year None clears the money value)."""
    known(changes, BENEFIT_FIELDS, "benefit_update")
    changes = cleaned(changes)
    if "lenses" in changes:
        changes["lenses"] = _lenses(changes["lenses"])
    if "value_per_year" in changes:
        _value(changes["value_per_year"])
    for name in ("title", "effect", "kpi", "baseline", "target", "first_year"):
        if name in changes and changes[name] is None:
            del changes[name]
    return updated(benefit.engagement, actor, benefit, expected_version=expected_version, changes=changes)


@transaction.atomic
def benefit_delete(*, benefit: Benefit, actor: Actor, expected_version: int | None = None) -> bool:
    return deleted(
        benefit.engagement,
        actor,
        benefit,
        expected_version=expected_version,
        conflict=_("Someone else changed this benefit since you opened it; it was not removed."),
        facts=("code", "title", "value_per_year"),
    )


@transaction.atomic
def benefit_move(*, benefit: Benefit, actor: Actor, expected_version: int, step: int) -> Benefit:
    siblings = Benefit.objects.filter(engagement=benefit.engagement)
    return moved(benefit.engagement, actor, benefit, siblings, expected_version=expected_version, step=step)


@transaction.atomic
def benefits_seed(*, engagement: Engagement, actor: Actor) -> list[Benefit]:
    """Add the usual benefits the engagement does not have yet (by their code), in the active language, after the
    ones it has; returns the ones added (none when all are there)."""
    have = set(Benefit.objects.filter(engagement=engagement).exclude(code="").values_list("code", flat=True))
    start = next_position(Benefit.objects.filter(engagement=engagement))
    made = [
        Benefit(
            engagement=engagement,
            code=usual.code,
            title=str(usual.title),
            effect=str(usual.effect),
            kpi=str(usual.kpi),
            baseline=str(usual.baseline),
            target=str(usual.target),
            lenses=_lenses(usual.lenses),
            position=start + number,
        )
        for number, usual in enumerate(u for u in USUAL_BENEFITS if u.code not in have)
    ]
    if not made:
        return []
    Benefit.objects.bulk_create(made)
    audit_records(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        entries=[(b, {"code": b.code, "title": b.title}) for b in made],
    )
    return made
