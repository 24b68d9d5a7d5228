"""What the vendor services share: model validation turned into a ServiceError naming its field, and the
create / update / delete steps with the version check and the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model

from certprep.core.actors import Actor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry, VersionedModel
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.engagements.models import Engagement


def validated(obj: Model, *, exclude: Iterable[str] = ()) -> None:
    """Run the model's field validators and constraints; the first problem becomes a ServiceError on its field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        for name, problems in exc.message_dict.items():
            raise ServiceError(str(problems[0]), field=None if name == "__all__" else name) from exc
        raise ServiceError(str(exc.messages[0])) from exc


def clean_text(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


def created[M: Model](engagement: Engagement, actor: Actor, obj: M, fields: Iterable[str]) -> M:
    validated(obj)
    obj.save()
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=obj,
        values={name: getattr(obj, name) for name in fields},
    )
    return obj


def updated[M: VersionedModel](
    engagement: Engagement,
    actor: Actor,
    obj: M,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    clearable: Iterable[str] = (),
) -> M:
    """Apply `changes` (None clears a `clearable` field and leaves any other as it is), validate, and write if
    the version is still the one read."""
    fields = [name for name, value in changes.items() if value is not None or name in clearable]
    before = snapshot(obj, fields)
    for name in fields:
        setattr(obj, name, changes[name])
    validated(obj, exclude=("engagement", "vendor", "criterion"))
    save_versioned(obj, expected_version=expected_version, fields=fields)
    changed = {k: [before[k], v] for k, v in snapshot(obj, fields).items() if before[k] != v}
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
) -> None:
    def record(stored: VersionedModel) -> None:
        audit_record(
            engagement=engagement,
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=stored,
            values={name: getattr(stored, name) for name in facts},
        )

    delete_versioned(obj, expected_version=expected_version, conflict=conflict, record=record)


def deleted_plain(engagement: Engagement, actor: Actor, obj: Model, *, facts: Iterable[str]) -> None:
    """Remove a row that carries no version (an auditor, an availability window)."""
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=obj,
        values={name: getattr(obj, name) for name in facts},
    )
    obj.delete()
