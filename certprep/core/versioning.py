"""Optimistic concurrency: a save succeeds only if nobody saved the object since it was loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.errors import ConflictError
from certprep.core.models import VersionedModel


def save_versioned[M: VersionedModel](obj: M, *, expected_version: int, fields: list[str]) -> M:
    """Write `fields` of obj if the stored version is still `expected_version`; bump the version.

    The check and the write are one UPDATE statement, so two editors racing cannot both win.
    """
    model: Any = type(obj)
    values: dict[str, Any] = {name: getattr(obj, name) for name in fields}
    now = timezone.now()
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=now
    )
    if updated != 1:
        current = model.objects.filter(pk=obj.pk).first()
        raise ConflictError(
            _(
                "Someone else changed this since you opened it (your copy is version %(yours)s, the "
                "saved one is version %(theirs)s). Your changes were not saved: open the page again to see theirs, "
                "then make your change again."
            )
            % {"yours": expected_version, "theirs": current.version if current else "?"},
            current=current,
        )
    # The row now holds exactly what obj holds; no need to read it back (and lose cached relations).
    obj.version = expected_version + 1
    obj.updated_at = now
    return obj


def delete_versioned[M: VersionedModel](
    obj: M, *, expected_version: int | None, conflict: str, record: Callable[[M], None]
) -> bool:
    """Delete obj if its stored version is still `expected_version` (None: whatever version it has).

    The row is locked first, so a concurrent save waits and cannot slip in between the check and the
    delete; `record(stored)` is called with the row as it was deleted (for the audit trail). A stale version
    is refused with ConflictError(conflict). Returns False when the row was already gone. Call it inside a
    transaction."""
    model: Any = type(obj)
    stored = model.objects.select_for_update().filter(pk=obj.pk).first()
    if stored is None:
        return False
    if expected_version is not None and stored.version != expected_version:
        raise ConflictError(conflict, current=stored)
    record(stored)
    stored.delete()
    return True
