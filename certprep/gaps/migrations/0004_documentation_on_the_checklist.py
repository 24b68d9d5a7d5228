"""The documentation status moves from each rating to the checklist items that evidence the requirement: one
stored value for both pages. Nothing is dropped:

- each rating takes its assessment's scale (the mixed scale did not exist);
- each checklist item is linked to the requirements it evidences: the shipped list's links for a shipped item,
  its clause for any other item (matched in ISO/IEC 20000-1 and in the frameworks the engagement assesses);
- per engagement and requirement, the status of the latest assessment that set one goes to the linked items
  that are not checked yet; an item that already has another status keeps it and its notes record the
  rating's status, as they record a differing status of an earlier assessment; a requirement with a status
  but no checklist item gets a new item named after it, holding the status;
- the former value "controlled" is "approved" in the one vocabulary.
"""

from pathlib import Path

import yaml
from django.db import migrations

ISO_20000_URN = "urn:certprep:framework:iso-iec-20000-1-2018"
CHECKLIST = Path(__file__).resolve().parent.parent / "data" / "documented-information.yaml"
LEGACY = {"controlled": "approved"}
LABELS = {
    "missing": "Missing",
    "draft": "Draft, not approved",
    "uncontrolled": "Exists, not controlled",
    "approved": "Approved and controlled",
    "not_needed": "Not needed",
    "in_review": "In review",
}


def _shipped_links() -> dict[str, list[str]]:
    try:
        data = yaml.safe_load(CHECKLIST.read_text(encoding="utf-8")) or {}
    except OSError:
        return {}
    return {
        str(item.get("key")): [str(ref) for ref in item.get("requirements") or ()]
        for item in data.get("items") or ()
        if isinstance(item, dict)
    }


def forwards(apps, schema_editor):
    Assessment = apps.get_model("gaps", "Assessment")
    Rating = apps.get_model("gaps", "Rating")
    DocumentItem = apps.get_model("gaps", "DocumentItem")
    Requirement = apps.get_model("catalogue", "Requirement")
    Framework = apps.get_model("catalogue", "Framework")
    Engagement = apps.get_model("engagements", "Engagement")

    for assessment in Assessment.objects.all():
        scale = assessment.scale if assessment.scale in ("capability", "compliance") else "compliance"
        Rating.objects.filter(assessment=assessment).update(scale=scale)

    shipped = _shipped_links()
    iso = Framework.objects.filter(urn=ISO_20000_URN).values_list("pk", flat=True).first()
    Link = DocumentItem.requirements.through
    for engagement in Engagement.objects.all():
        frameworks = set(Assessment.objects.filter(engagement=engagement).values_list("framework_id", flat=True))
        if iso:
            frameworks.add(iso)
        by_ref: dict[str, list[int]] = {}
        for pk, ref in Requirement.objects.filter(framework_id__in=frameworks).values_list("pk", "ref_id"):
            by_ref.setdefault(ref, []).append(pk)
        items = list(DocumentItem.objects.filter(engagement=engagement).order_by("order", "pk"))
        links = []
        linked: dict[int, list] = {}
        for item in items:
            refs = shipped.get(item.key) or ([item.clause] if item.clause else [])
            for ref in refs:
                for requirement_id in by_ref.get(ref, ()):
                    links.append(Link(documentitem_id=item.pk, requirement_id=requirement_id))
                    linked.setdefault(requirement_id, []).append(item)
        Link.objects.bulk_create(links, ignore_conflicts=True)

        rows = (
            Rating.objects.filter(assessment__engagement=engagement)
            .exclude(documentation="")
            .order_by("requirement__order", "requirement_id", "-assessment__assessed_on", "-assessment_id")
            .values_list(
                "requirement_id", "documentation", "assessment__name", "requirement__ref_id", "requirement__name"
            )
        )
        by_requirement: dict[int, list] = {}
        for requirement_id, value, assessment_name, ref, name in rows:
            by_requirement.setdefault(requirement_id, []).append((LEGACY.get(value, value), assessment_name, ref, name))
        last = (
            DocumentItem.objects.filter(engagement=engagement)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
            or 0
        )
        taken = set(DocumentItem.objects.filter(engagement=engagement).values_list("key", flat=True))
        for requirement_id, values in by_requirement.items():
            status, assessment_name, ref, name = values[0]
            targets = linked.get(requirement_id)
            if not targets:
                base = ("requirement-" + "".join(c if c.isalnum() else "-" for c in ref.lower()))[:70].strip(
                    "-"
                ) or "requirement"
                key, n = base, 1
                while key in taken:
                    n += 1
                    key = f"{base}-{n}"
                taken.add(key)
                last += 1
                item = DocumentItem.objects.create(
                    engagement=engagement,
                    key=key,
                    kind="document",
                    clause=ref[:20],
                    name=f"{ref} {name}".strip()[:300] or key,
                    status=status,
                    order=last,
                    notes=f'Status set on the requirement in "{assessment_name}" before the checklist held every status.',
                )
                Link.objects.create(documentitem_id=item.pk, requirement_id=requirement_id)
                targets = [item]
            notes = []
            for item in targets:
                if not item.status:
                    item.status = status
                    item.save(update_fields=["status"])
                elif item.status != status:
                    notes.append(
                        (item, f'"{assessment_name}" rated the documentation of {ref}: {LABELS.get(status, status)}.')
                    )
            for older, older_assessment, _ref, _name in values[1:]:
                if older != status:
                    notes.append(
                        (
                            targets[0],
                            f'"{older_assessment}" rated the documentation of {ref}: {LABELS.get(older, older)}.',
                        )
                    )
            for item, note in notes:
                item.notes = f"{item.notes}\n{note}".strip()
                item.save(update_fields=["notes"])


def backwards(apps, schema_editor):
    Rating = apps.get_model("gaps", "Rating")
    DocumentItem = apps.get_model("gaps", "DocumentItem")
    Link = DocumentItem.requirements.through
    back = {"approved": "controlled", "in_review": "draft"}
    worst = ["missing", "draft", "in_review", "uncontrolled"]
    statuses: dict[tuple[int, int], list[str]] = {}
    for engagement_id, requirement_id, status in Link.objects.values_list(
        "documentitem__engagement_id", "requirement_id", "documentitem__status"
    ):
        statuses.setdefault((engagement_id, requirement_id), []).append(status)
    for rating in Rating.objects.select_related("assessment"):
        given = statuses.get((rating.assessment.engagement_id, rating.requirement_id))
        if not given:
            continue
        value = next((s for s in worst if s in given), None)
        if value is None:
            value = "" if "" in given else ("not_needed" if all(s == "not_needed" for s in given) else "approved")
        rating.documentation = back.get(value, value)
        rating.save(update_fields=["documentation"])


class Migration(migrations.Migration):
    dependencies = [
        ("gaps", "0003_mixed_scales_document_links_weights"),
        ("engagements", "0004_time_zone_and_report_language"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
