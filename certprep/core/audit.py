"""The audit trail: services call audit_record for every change they make."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone

from certprep.core.actors import AuditActor
from certprep.core.models import AuditEntry


def _plain(value: Any) -> Any:
    """Make a field value JSON-friendly for the changes column."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit_record(
    *,
    engagement: Any,
    actor: AuditActor,
    action: str,
    obj: models.Model,
    changes: dict[str, list[Any]] | None = None,
    values: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record one change. `changes` are {field: [old, new]} of an update; `values` are the facts of a
    creation or deletion (or of an import), stored in the same [old, new] shape so the trail reads alike."""
    pairs = dict(changes or {})
    for key, value in (values or {}).items():
        pairs[key] = [_plain(value), None] if action == AuditEntry.Action.DELETE else [None, _plain(value)]
    entry = _entry(engagement=engagement, actor=actor, action=action, obj=obj, pairs=pairs)
    entry.save()
    return entry


def _entry(
    *, engagement: Any, actor: AuditActor, action: str, obj: models.Model, pairs: dict[str, list[Any]]
) -> AuditEntry:
    user = actor if isinstance(actor, User) and actor.is_authenticated else None
    return AuditEntry(
        engagement=engagement,
        actor=user,
        actor_label=(user.get_username() if user else str(actor or "system"))[:150],
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=pairs,
    )


def audit_records(
    *, engagement: Any, actor: AuditActor, action: str, entries: list[tuple[models.Model, dict[str, Any]]]
) -> list[AuditEntry]:
    """Record the creation (or deletion) of many objects with their facts in one query, as audit_record
    records one: for services that make many rows at once."""
    made = []
    for obj, values in entries:
        pairs = {
            key: [_plain(value), None] if action == AuditEntry.Action.DELETE else [None, _plain(value)]
            for key, value in values.items()
        }
        made.append(_entry(engagement=engagement, actor=actor, action=action, obj=obj, pairs=pairs))
    return AuditEntry.objects.bulk_create(made)


def _model_field(object_type: str, name: str) -> Any:
    """The model field an audit entry's change names, or None (a fact recorded beside the fields)."""
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _moment_text(value: str, field: Any) -> str | None:
    """A stored date or time (its ISO text) in the page's date format and the engagement's zone."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return str(formats.date_format(moment, "DATETIME_FORMAT"))
        if isinstance(field, models.DateField):
            return str(formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT"))
    except ValueError:
        return None
    return None


def audit_display(object_type: str, name: str, value: Any) -> Any:
    """A stored old or new value as a person reads it: the label of a choice ("In progress", not
    "in_progress"), each label of a list of choices, dates in the language's format. Anything else as stored."""
    field = _model_field(object_type, name)
    if field is None or value is None:
        return value
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if choices:
        if isinstance(value, list):
            return [str(choices.get(v, v)) for v in value]
        return str(choices.get(value, value))
    if isinstance(value, str) and value:
        shown = _moment_text(value, field)
        if shown is not None:
            return shown
    return value
