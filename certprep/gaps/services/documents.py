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

from certprep.catalogue.models import Framework, Requirement
from certprep.core.actors import Actor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.text import single_line, without_control_characters
from certprep.core.versioning import save_versioned
from certprep.core.wording import join_names
from certprep.engagements.models import Engagement
from certprep.gaps.choices import LEGACY_DOCUMENTATION, DocumentKind, DocumentStatus, Stage1Item
from certprep.gaps.models import Assessment, DocumentItem
from certprep.people.models import Person

CHECKLIST_PATH = Path(__file__).resolve().parent.parent / "data" / "documented-information.yaml"
ISO_20000_URN = "urn:certprep:framework:iso-iec-20000-1-2018"
MAX_REQUIREMENTS_PER_ITEM = 50
NAME_MAX = 300
LOCATION_MAX = 500
NOTES_MAX = 20_000
# The single-line fields of a checklist item (notes may hold several lines).
SINGLE_LINE_LABELS = {
    "name": gettext_lazy("The name"),
    "location": gettext_lazy("The location"),
    "clause": gettext_lazy("The clause"),
}


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
        refs = item.get("requirements")
        if not isinstance(refs, list) or not refs or not all(isinstance(ref, str) and ref for ref in refs):
            raise ValueError(f"documented-information.yaml: item {item.get('key')}: requirements must list references")
    return items


def _shipped_item(engagement: Engagement, entry: dict[str, Any], *, order: int) -> DocumentItem:
    """A checklist item (not saved yet) from an entry of the shipped checklist."""
    return DocumentItem(
        engagement=engagement,
        key=entry["key"],
        kind=entry["kind"],
        clause=str(entry.get("clause") or ""),
        name=entry["name"],
        description=entry.get("description") or "",
        stage1=entry.get("stage1") or "",
        translations=entry.get("translations") or {},
        order=order,
    )


def status_value(value: str) -> str | None:
    """A documentation status value of the one vocabulary (older names accepted), or None when unknown."""
    value = LEGACY_DOCUMENTATION.get(value, value)
    return value if value in DocumentStatus.values else None


def _frameworks(engagement: Engagement) -> list[int]:
    """The frameworks a reference may name: ISO/IEC 20000-1 and every framework the engagement assesses."""
    ids = set(Assessment.objects.filter(engagement=engagement).values_list("framework_id", flat=True))
    iso = Framework.objects.filter(urn=ISO_20000_URN).values_list("pk", flat=True).first()
    if iso is not None:
        ids.add(iso)
    return sorted(ids)


def requirements_by_refs(*, engagement: Engagement, refs: list[str], field: str = "requirements") -> list[Requirement]:
    """The requirements these references name (in ISO/IEC 20000-1 or a framework the engagement assesses);
    an unknown reference is refused, naming it."""
    wanted = list(dict.fromkeys(ref.strip() for ref in refs if ref and ref.strip()))
    if len(wanted) > MAX_REQUIREMENTS_PER_ITEM:
        raise ServiceError(_("At most %(n)s requirements per item.") % {"n": MAX_REQUIREMENTS_PER_ITEM}, field=field)
    found = list(
        Requirement.objects.filter(framework_id__in=_frameworks(engagement), ref_id__in=wanted).order_by(
            "framework_id", "order"
        )
    )
    known = {r.ref_id for r in found}
    unknown = [ref for ref in wanted if ref not in known]
    if unknown:
        raise ServiceError(
            _("No requirement has the reference %(refs)s in the frameworks of this engagement.")
            % {"refs": join_names(unknown)},
            field=field,
        )
    return found


def split_refs(text: str) -> list[str]:
    """References typed as one line: separated by commas, semicolons or spaces."""
    return [part for part in text.replace(";", ",").replace(" ", ",").replace("，", ",").split(",") if part.strip()]


def _link_shipped(engagement: Engagement, items: list[DocumentItem]) -> None:
    refs = {item["key"]: item["requirements"] for item in shipped_checklist()}
    iso = Framework.objects.filter(urn=ISO_20000_URN).values_list("pk", flat=True).first()
    if iso is None:
        return
    by_ref = dict(Requirement.objects.filter(framework_id=iso).values_list("ref_id", "pk"))
    through = DocumentItem.requirements.through
    through.objects.bulk_create(
        [
            through(documentitem_id=item.pk, requirement_id=by_ref[ref])
            for item in items
            for ref in refs.get(item.key, ())
            if ref in by_ref
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def checklist_load(*, engagement: Engagement, actor: Actor) -> int:
    """Add the shipped items the engagement does not have yet (by key); returns how many were added."""
    have = set(engagement.document_items.values_list("key", flat=True))
    start = (engagement.document_items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    rows = []
    for n, item in enumerate(shipped_checklist()):
        if item["key"] in have:
            continue
        rows.append(_shipped_item(engagement, item, order=start + n))
    DocumentItem.objects.bulk_create(rows)
    _link_shipped(engagement, list(DocumentItem.objects.filter(engagement=engagement, key__in=[r.key for r in rows])))
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
    actor: Actor,
    expected_version: int,
    status: str | None = None,
    owner: Any = UNSET,
    location: str | None = None,
    review_date: Any = UNSET,
    notes: str | None = None,
    name: str | None = None,
    clause: str | None = None,
    requirements: list[str] | None = None,
) -> DocumentItem:
    """Change what is given of one checklist item; `requirements` replaces the references it evidences."""
    stored = DocumentItem.objects.get(pk=item.pk)
    fields: list[str] = []
    if status is not None:
        checked = status_value(status)
        if checked is None:
            raise ServiceError(_("Unknown status."), field="status")
        item.status = checked
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
    linked: list[Requirement] | None = None
    if requirements is not None:
        linked = requirements_by_refs(engagement=item.engagement, refs=requirements)
    before = snapshot(stored, fields)
    save_versioned(item, expected_version=expected_version, fields=fields)
    changes = {k: [before[k], v] for k, v in snapshot(item, fields).items() if before[k] != v and k != "translations"}
    if linked is not None:
        old_refs = sorted(stored.requirements.values_list("ref_id", flat=True))
        new_refs = sorted(r.ref_id for r in linked)
        if old_refs != new_refs:
            item.requirements.set(linked)
            changes["requirements"] = [", ".join(old_refs), ", ".join(new_refs)]
    if changes:
        audit_record(engagement=item.engagement, actor=actor, action="update", obj=item, changes=changes)
    return item


@transaction.atomic
def document_create(
    *,
    engagement: Engagement,
    actor: Actor | None,
    name: str,
    kind: str,
    clause: str = "",
    requirements: list[str] | None = None,
    status: str = "",
) -> DocumentItem:
    """Add an item of the engagement's own to the checklist, with the requirements it evidences."""
    name = _text(name, NAME_MAX, "name", required=True)
    if kind not in DocumentKind.values:
        raise ServiceError(_("Choose document or record."), field="kind")
    checked = status_value(status)
    if checked is None:
        raise ServiceError(_("Unknown status."), field="status")
    linked = requirements_by_refs(engagement=engagement, refs=requirements or [])
    base = slugify(name)[:70] or "item"
    key, n = base, 1
    taken = set(engagement.document_items.filter(key__startswith=base).values_list("key", flat=True))
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    last = engagement.document_items.order_by("-order").values_list("order", flat=True).first() or 0
    item = DocumentItem.objects.create(
        engagement=engagement,
        key=key,
        kind=kind,
        clause=_text(clause, 20, "clause"),
        name=name,
        status=checked,
        order=last + 1,
    )
    item.requirements.set(linked)
    audit_record(
        engagement=engagement,
        actor=actor,
        action="create",
        obj=item,
        values={"name": name, "kind": kind, "requirements": ", ".join(r.ref_id for r in linked), "status": checked},
    )
    return item


@transaction.atomic
def requirement_documentation_set(
    *, engagement: Engagement, requirement: Requirement, status: str, actor: Actor
) -> list[DocumentItem]:
    """Set the documentation status of a requirement, which is the status of every checklist item that
    evidences it. A requirement no item evidences yet gets the shipped items that name it (ISO/IEC 20000-1),
    or else a new item named after it, so the checklist always holds the one stored status."""
    checked = status_value(status)
    if checked is None:
        raise ServiceError(_("Unknown documentation status."), field="documentation")
    items = list(DocumentItem.objects.filter(engagement=engagement, requirements=requirement).order_by("order", "pk"))
    if not items and checked == DocumentStatus.UNKNOWN:
        return []
    if not items:
        items = _items_for_unlinked(engagement=engagement, requirement=requirement, actor=actor)
    for item in items:
        if item.status == checked:
            continue
        before = item.status
        item.status = checked
        save_versioned(item, expected_version=item.version, fields=["status"])
        audit_record(
            engagement=engagement,
            actor=actor,
            action="update",
            obj=item,
            changes={"status": [before, checked]},
        )
    return items


def _items_for_unlinked(*, engagement: Engagement, requirement: Requirement, actor: Actor) -> list[DocumentItem]:
    shipped = [
        item
        for item in shipped_checklist()
        if requirement.ref_id in item["requirements"] and requirement.framework.urn == ISO_20000_URN
    ]
    have = {i.key: i for i in DocumentItem.objects.filter(engagement=engagement, key__in=[s["key"] for s in shipped])}
    last = engagement.document_items.order_by("-order").values_list("order", flat=True).first() or 0
    items: list[DocumentItem] = []
    for n, entry in enumerate(shipped, start=1):
        item = have.get(entry["key"])
        if item is None:
            item = _shipped_item(engagement, entry, order=last + n)
            item.save()
            audit_record(engagement=engagement, actor=actor, action="create", obj=item, values={"name": item.name})
        item.requirements.add(requirement)
        items.append(item)
    if items:
        return items
    item = document_create(
        engagement=engagement,
        actor=actor,
        name=f"{requirement.ref_id} {requirement.name}".strip()[:NAME_MAX] or requirement.urn[:NAME_MAX],
        kind=DocumentKind.DOCUMENT,
        clause=requirement.ref_id[:20],
    )
    item.requirements.add(requirement)
    return [item]


@transaction.atomic
def document_delete(*, item: DocumentItem, actor: Actor) -> None:
    audit_record(engagement=item.engagement, actor=actor, action="delete", obj=item, values={"name": item.name})
    item.delete()


def link_by_clause(*, engagement: Engagement, items: list[DocumentItem]) -> None:
    """Link items that name no requirement yet: a shipped item to the shipped list's requirements, any other
    to the requirement its clause names (in ISO/IEC 20000-1 or a framework the engagement assesses)."""
    shipped = {item["key"]: item["requirements"] for item in shipped_checklist()}
    by_ref: dict[str, list[int]] = {}
    for pk, ref in Requirement.objects.filter(framework_id__in=_frameworks(engagement)).values_list("pk", "ref_id"):
        by_ref.setdefault(ref, []).append(pk)
    through = DocumentItem.requirements.through
    through.objects.bulk_create(
        [
            through(documentitem_id=item.pk, requirement_id=requirement_id)
            for item in items
            for ref in shipped.get(item.key) or ([item.clause] if item.clause else [])
            for requirement_id in by_ref.get(ref, ())
        ],
        ignore_conflicts=True,
    )


def documentation_from_ratings(*, engagement: Engagement, statuses: dict[int, list[tuple[str, str]]]) -> None:
    """Carry documentation statuses that older files kept per rating into the checklist (the same rule as
    migration gaps.0004): `statuses` maps a requirement to (status, assessment name), latest assessment
    first. The latest status goes to the linked items not checked yet; an item with another status keeps it
    and its notes record the rating's, as they record an earlier assessment's differing status; a requirement
    no item evidences gets a new item named after it."""
    requirements = {r.pk: r for r in Requirement.objects.filter(pk__in=list(statuses))}
    for requirement_id, values in statuses.items():
        requirement = requirements.get(requirement_id)
        if requirement is None:
            continue
        status, assessment_name = values[0]
        items = list(
            DocumentItem.objects.filter(engagement=engagement, requirements=requirement).order_by("order", "pk")
        )
        notes: list[tuple[DocumentItem, str]] = []
        if not items:
            item = document_create(
                engagement=engagement,
                actor=None,
                name=f"{requirement.ref_id} {requirement.name}".strip()[:NAME_MAX] or requirement.urn[:NAME_MAX],
                kind=DocumentKind.DOCUMENT,
                clause=requirement.ref_id[:20],
                status=status,
            )
            item.requirements.add(requirement)
            items = [item]
        for item in items:
            if not item.status:
                item.status = status
                item.save(update_fields=["status"])
            elif item.status != status:
                notes.append((item, _rating_note(assessment_name, requirement.ref_id, status)))
        for older, older_assessment in values[1:]:
            if older != status:
                notes.append((items[0], _rating_note(older_assessment, requirement.ref_id, older)))
        for item, note in notes:
            item.notes = f"{item.notes}\n{note}".strip()
            item.save(update_fields=["notes"])


def _rating_note(assessment_name: str, ref: str, status: str) -> str:
    label = DocumentStatus(status).label if status in DocumentStatus.values else status
    return _('"%(assessment)s" rated the documentation of %(ref)s: %(status)s.') % {
        "assessment": assessment_name,
        "ref": ref,
        "status": label,
    }
