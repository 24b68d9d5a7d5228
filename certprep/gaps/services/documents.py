"""The documented-information checklist: copied from the shipped list, then kept by the engagement."""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.text import single_line, without_control_characters
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.gaps.choices import DocumentKind, DocumentStatus, Stage1Item
from certprep.gaps.models import DocumentItem
from certprep.survey.models import Person

CHECKLIST_PATH = Path(__file__).resolve().parent.parent / "data" / "documented-information.yaml"
NAME_MAX = 300
LOCATION_MAX = 500
NOTES_MAX = 20_000
# The single-line fields of a checklist item (notes may hold several lines).
SINGLE_LINE_LABELS = {"name": gettext_lazy("The name"), "location": gettext_lazy("The location"), "clause": gettext_lazy("The clause")}


@functools.lru_cache(maxsize=1)
def shipped_checklist() -> tuple[dict[str, Any], ...]:
    data = yaml.safe_load(CHECKLIST_PATH.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != "certprep.documented-information/1":
        raise ValueError("documented-information.yaml: unknown format")
    items = tuple(data.get("items") or ())
    stage1 = set(Stage1Item.values)
    for item in items:
        if item.get("kind") not in DocumentKind.values or (item.get("stage1") and item["stage1"] not in stage1):
            raise ValueError(f"documented-information.yaml: item {item.get('key')}: bad kind or stage1")
    return items


@transaction.atomic
def checklist_load(*, engagement: Engagement, actor: Any) -> int:
    """Add the shipped items the engagement does not have yet (by key); returns how many were added."""
    have = set(engagement.document_items.values_list("key", flat=True))
    start = (engagement.document_items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    rows = []
    for n, item in enumerate(shipped_checklist()):
        if item["key"] in have:
            continue
        rows.append(
            DocumentItem(
                engagement=engagement,
                key=item["key"],
                kind=item["kind"],
                clause=str(item.get("clause") or ""),
                name=item["name"],
                description=item.get("description") or "",
                stage1=item.get("stage1") or "",
                translations=item.get("translations") or {},
                order=start + n,
            )
        )
    DocumentItem.objects.bulk_create(rows)
    if rows:
        audit_record(
            engagement=engagement,
            actor=actor,
            action="create",
            obj=engagement,
            values={"documented information items": len(rows)},
        )
    return len(rows)


def _text(value: str, limit: int, field: str, *, required: bool = False) -> str:
    value = (
        " ".join(single_line(value, field=field, label=str(SINGLE_LINE_LABELS[field])).split())
        if field in SINGLE_LINE_LABELS
        else without_control_characters(value or "").strip()
    )
    if required and not value:
        raise ServiceError(_("This field is required."), field=field)
    if len(value) > limit:
        raise ServiceError(_("At most %(n)s characters.") % {"n": limit}, field=field)
    return value


UNSET: Any = object()


@transaction.atomic
def document_update(
    *,
    item: DocumentItem,
    actor: Any,
    expected_version: int,
    status: str | None = None,
    owner: Any = UNSET,
    location: str | None = None,
    review_date: Any = UNSET,
    notes: str | None = None,
    name: str | None = None,
    clause: str | None = None,
) -> DocumentItem:
    stored = DocumentItem.objects.get(pk=item.pk)
    fields: list[str] = []
    if status is not None:
        if status not in DocumentStatus.values:
            raise ServiceError(_("Unknown status."), field="status")
        item.status = status
        fields.append("status")
    if owner is not UNSET:
        if owner is not None and (not isinstance(owner, Person) or owner.engagement_id != item.engagement_id):
            raise ServiceError(_("The owner must be one of this engagement's people."), field="owner")
        item.owner = owner
        fields.append("owner")
    if location is not None:
        item.location = _text(location, LOCATION_MAX, "location")
        fields.append("location")
    if review_date is not UNSET:
        if review_date is not None and not isinstance(review_date, datetime.date):
            raise ServiceError(_("Enter a valid date."), field="review_date")
        item.review_date = review_date
        fields.append("review_date")
    if notes is not None:
        item.notes = _text(notes, NOTES_MAX, "notes")
        fields.append("notes")
    if name is not None:
        new = _text(name, NAME_MAX, "name", required=True)
        if new != stored.name:
            item.name, item.translations = new, {}
            fields += ["name", "translations"]
    if clause is not None:
        item.clause = _text(clause, 20, "clause")
        fields.append("clause")
    before = snapshot(stored, fields)
    save_versioned(item, expected_version=expected_version, fields=fields)
    changes = {k: [before[k], v] for k, v in snapshot(item, fields).items() if before[k] != v and k != "translations"}
    if changes:
        audit_record(engagement=item.engagement, actor=actor, action="update", obj=item, changes=changes)
    return item


@transaction.atomic
def document_create(*, engagement: Engagement, actor: Any, name: str, kind: str, clause: str = "") -> DocumentItem:
    name = _text(name, NAME_MAX, "name", required=True)
    if kind not in DocumentKind.values:
        raise ServiceError(_("Choose document or record."), field="kind")
    base = slugify(name)[:70] or "item"
    key, n = base, 1
    taken = set(engagement.document_items.filter(key__startswith=base).values_list("key", flat=True))
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    last = engagement.document_items.order_by("-order").values_list("order", flat=True).first() or 0
    item = DocumentItem.objects.create(
        engagement=engagement, key=key, kind=kind, clause=_text(clause, 20, "clause"), name=name, order=last + 1
    )
    audit_record(engagement=engagement, actor=actor, action="create", obj=item, values={"name": name, "kind": kind})
    return item


@transaction.atomic
def document_delete(*, item: DocumentItem, actor: Any) -> None:
    audit_record(engagement=item.engagement, actor=actor, action="delete", obj=item, values={"name": item.name})
    item.delete()
