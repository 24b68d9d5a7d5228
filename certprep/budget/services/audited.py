"""The budget's versioned writes: change or delete a row only if it is still the version the person read, and
record the change (the fields' values before and after) or the deleted values in the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from certprep.core.actors import AuditActor
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.models import AuditEntry, VersionedModel
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.engagements.models import Engagement


def audited_update[M: VersionedModel](
    obj: M,
    *,
    engagement: Engagement,
    actor: AuditActor,
    expected_version: int,
    values: Mapping[str, Any],
    fields: list[str],
) -> M:
    """Set `values` on `obj`, write `fields` if the version is still `expected_version`, record what changed."""
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    save_versioned(obj, expected_version=expected_version, fields=fields)
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=obj,
        changes=diff(before, snapshot(obj, fields)),
    )
    return obj


def audited_delete(
    obj: VersionedModel,
    *,
    engagement: Engagement,
    actor: AuditActor,
    expected_version: int | None,
    fields: list[str],
    conflict: str,
) -> bool:
    """Delete `obj` if it is still `expected_version` (None: whichever), recording the stored `fields`; False
    when it was gone already; `conflict` is the refusal when someone changed it since."""

    def record(stored: VersionedModel) -> None:
        audit_record(
            engagement=engagement,
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=stored,
            values=snapshot(stored, fields),
        )

    return delete_versioned(obj, expected_version=expected_version, conflict=conflict, record=record)
