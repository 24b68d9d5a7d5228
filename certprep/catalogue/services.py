"""Writes for the catalogue: importing frameworks and process lenses from files.

Each import is one transaction: a file is applied whole or not at all. A newer version of a framework
updates it in place, keyed by requirement URN, so everything tied to a requirement (assessments, gaps)
keeps pointing at the same row; requirements a newer file drops are kept as not current.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from certprep.catalogue.importers import (
    FrameworkFileError,
    ParsedFramework,
    ParsedLens,
    ParsedRequirement,
    parse_catalogue_file,
    parse_framework_file,
    parse_lens_file,
)
from certprep.catalogue.models import Framework, Process, ProcessGroup, ProcessLens, Requirement
from certprep.core.actors import Actor
from certprep.core.audit import audit_record

BATCH_SIZE = 500
# Requirement columns an import writes; compared one by one so only changed rows are updated.
REQUIREMENT_FIELDS = tuple(
    [
        "parent_id",
        "ref_id",
        "name",
        "description",
        "evidence",
        "assessable",
        "depth",
        "order",
        "weight",
        "translations",
        "is_current",
        "search_text",
    ]
)
# Where a requirement sits; a change of these alone is a move, not an update of what it says.
PLACE_FIELDS = frozenset({"parent_id", "depth", "order"})


@dataclass(frozen=True)
class ImportResult:
    """What importing a framework file did: requirements added, changed, moved, left alone and retired.

    `updated` counts requirements whose text or settings changed; `moved` those placed under another
    parent or in another place among their siblings (one may be both). `unchanged` is neither: a
    requirement whose position number changed only because others were added or retired before it.
    """

    framework: Framework
    created: bool
    added: int
    updated: int
    unchanged: int
    retired: int
    moved: int = 0

    @property
    def changed(self) -> bool:
        return self.created or bool(self.added or self.updated or self.moved or self.retired)


def search_text(*texts: str, translations: dict[str, dict[str, str]]) -> str:
    """The lowercase text a requirement is found by, in the file's language and every translation."""
    parts = [text for text in texts if text]
    for language in sorted(translations):
        parts.extend(value for _field, value in sorted(translations[language].items()) if value)
    return "\n".join(parts).lower()


def _user(actor: Actor | None) -> Actor | None:
    return actor if actor is not None and actor.is_authenticated else None


def _refuse_older(*, kind: str, name: str, stored: int, offered: int) -> None:
    if offered < stored:
        raise FrameworkFileError(
            _(
                "this file has version %(offered)s of the %(kind)s %(name)s, older than the loaded version "
                "%(stored)s; import version %(stored)s or newer"
            )
            % {"offered": offered, "kind": kind, "name": name, "stored": stored},
            field="version",
        )


def framework_import(*, data: bytes, actor: Actor | None = None) -> ImportResult:
    """Import a framework file (certprep or CISO Assistant format): create it, or update it in place."""
    return framework_store(parsed=parse_framework_file(data), actor=actor)


def lens_import(*, data: bytes, actor: Actor | None = None) -> ProcessLens:
    """Import a process lens file over an already loaded framework: create it, or update it in place."""
    return lens_store(parsed=parse_lens_file(data), actor=actor)


def catalogue_file_import(*, data: bytes, actor: Actor | None = None) -> ImportResult | ProcessLens:
    """Import a framework or a process lens, whichever the file is."""
    parsed = parse_catalogue_file(data)
    if isinstance(parsed, ParsedLens):
        return lens_store(parsed=parsed, actor=actor)
    return framework_store(parsed=parsed, actor=actor)


@transaction.atomic
def framework_store(*, parsed: ParsedFramework, actor: Actor | None = None) -> ImportResult:
    """Store a parsed framework file; see framework_import."""
    framework = Framework.objects.select_for_update().filter(urn=parsed.urn).first()
    created = framework is None
    if framework is not None:
        _refuse_older(
            kind=_("framework"), name=framework.name, stored=framework.library_version, offered=parsed.version
        )
    values = {
        "ref_id": parsed.ref_id,
        "name": parsed.name,
        "description": parsed.description,
        "library_version": parsed.version,
        "locale": parsed.locale,
        "provider": parsed.provider,
        "copyright": parsed.copyright,
        "translations": parsed.translations,
        "source_format": parsed.source_format,
    }
    if framework is None:
        framework = Framework.objects.create(urn=parsed.urn, imported_by=_user(actor), **values)
        framework_changed = True
    else:
        framework_changed = any(getattr(framework, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(framework, name, value)

    added, updated, moved, unchanged, retired = _requirements_store(framework=framework, parsed=parsed.requirements)
    changed = created or framework_changed or bool(added or updated or moved or retired)
    if not created and changed:
        # Saved only when something changed, so re-importing the same file leaves the catalogue as it was.
        framework.imported_by = _user(actor)
        framework.save()
    if changed:
        audit_record(
            engagement=None,
            actor=actor,
            action="create" if created else "update",
            obj=framework,
            values={
                "version": parsed.version,
                "added": added,
                "updated": updated,
                "moved": moved,
                "retired": retired,
            },
        )
    return ImportResult(
        framework=framework,
        created=created,
        added=added,
        updated=updated,
        moved=moved,
        unchanged=unchanged,
        retired=retired,
    )


def _requirement_values(*, order: int, item: ParsedRequirement) -> dict[str, Any]:
    return {
        "ref_id": item.ref_id,
        "name": item.name,
        "description": item.description,
        "evidence": item.evidence,
        "assessable": item.assessable,
        "depth": item.depth,
        "order": order,
        "weight": item.weight,
        "translations": item.translations,
        "is_current": True,
        "search_text": search_text(
            item.ref_id, item.name, item.description, item.evidence, translations=item.translations
        ),
    }


def _moved(existing: dict[str, Requirement], kept: list[tuple[Requirement, dict[str, Any], str | None]]) -> set[int]:
    """The kept requirements that moved: under another parent, or out of their order among the siblings
    that stay with them (the fewest such, so one requirement moved up does not move all it passed)."""
    moved: set[int] = set()
    old_siblings: dict[int | None, list[int]] = defaultdict(list)
    new_siblings: dict[int | None, list[int]] = defaultdict(list)
    for requirement, values, _parent_urn in kept:
        if requirement.parent_id != values["parent_id"]:
            moved.add(requirement.pk)
        else:
            new_siblings[values["parent_id"]].append(requirement.pk)
    stayed = {pk for pks in new_siblings.values() for pk in pks}
    for requirement in sorted(existing.values(), key=lambda r: (r.order, r.pk)):
        if requirement.pk in stayed:
            old_siblings[requirement.parent_id].append(requirement.pk)
    for parent_id, new in new_siblings.items():
        old = old_siblings[parent_id]
        if old == new:
            continue
        matcher = SequenceMatcher(a=old, b=new, autojunk=False)
        in_place = {pk for block in matcher.get_matching_blocks() for pk in new[block.b : block.b + block.size]}
        moved.update(pk for pk in new if pk not in in_place)
    return moved


def _requirements_store(*, framework: Framework, parsed: list[ParsedRequirement]) -> tuple[int, int, int, int, int]:
    """Bring the framework's requirements in line with the file; returns (added, updated, moved, unchanged,
    retired)."""
    existing = {requirement.urn: requirement for requirement in Requirement.objects.filter(framework=framework)}
    by_urn: dict[str, Requirement] = {}
    kept: list[tuple[Requirement, dict[str, Any], str | None]] = []
    new_by_depth: dict[int, list[tuple[Requirement, str | None]]] = defaultdict(list)
    for order, item in enumerate(parsed):
        values = _requirement_values(order=order, item=item)
        requirement = existing.get(item.urn)
        if requirement is None:
            requirement = Requirement(framework=framework, urn=item.urn, **values)
            new_by_depth[item.depth].append((requirement, item.parent_urn))
        else:
            kept.append((requirement, values, item.parent_urn))
        by_urn[item.urn] = requirement

    # New requirements are created a level at a time, so every parent has its key before its children.
    for depth in sorted(new_by_depth):
        layer = new_by_depth[depth]
        for requirement, parent_urn in layer:
            requirement.parent_id = by_urn[parent_urn].pk if parent_urn else None
        Requirement.objects.bulk_create([requirement for requirement, _parent in layer], batch_size=BATCH_SIZE)

    for _requirement, values, parent_urn in kept:
        values["parent_id"] = by_urn[parent_urn].pk if parent_urn else None
    moved = _moved(existing, kept)
    changed: list[Requirement] = []
    updated: set[int] = set()
    for requirement, values, _parent_urn in kept:
        different = {name for name, value in values.items() if getattr(requirement, name) != value}
        if different:
            if different - PLACE_FIELDS:
                updated.add(requirement.pk)
            for name, value in values.items():
                setattr(requirement, name, value)
            changed.append(requirement)
    if changed:
        Requirement.objects.bulk_update(changed, REQUIREMENT_FIELDS, batch_size=BATCH_SIZE)

    dropped = [requirement.pk for urn, requirement in existing.items() if urn not in by_urn and requirement.is_current]
    for start in range(0, len(dropped), BATCH_SIZE):
        Requirement.objects.filter(pk__in=dropped[start : start + BATCH_SIZE]).update(is_current=False)
    added = sum(len(layer) for layer in new_by_depth.values())
    unchanged = len(kept) - len(updated | moved)
    return added, len(updated), len(moved), unchanged, len(dropped)


# --- process lenses -------------------------------------------------------------------------------


def _used_elsewhere(model: type[models.Model], pks: list[int], *, ignore: set[type[models.Model]]) -> str | None:
    """The name of another kind of record that still points at one of these rows, if any does."""
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related in ignore or not isinstance(related, type):
            continue
        if related._default_manager.filter(**{f"{relation.field.name}__in": pks}).exists():
            return str(related._meta.verbose_name_plural)
    return None


@transaction.atomic
def lens_store(*, parsed: ParsedLens, actor: Actor | None = None) -> ProcessLens:
    """Store a parsed process lens; see lens_import."""
    framework = Framework.objects.filter(urn=parsed.framework_urn).first()
    if framework is None:
        raise FrameworkFileError(
            _("the framework %(urn)s is not loaded; import it before this lens") % {"urn": parsed.framework_urn},
            line=parsed.framework_line,
            field="framework",
        )
    ids_by_ref: dict[str, list[int]] = defaultdict(list)
    for pk, ref_id in Requirement.objects.filter(framework=framework, is_current=True).values_list("pk", "ref_id"):
        ids_by_ref[ref_id].append(pk)
    mapped: dict[str, list[int]] = {}
    for parsed_process in parsed.processes:
        mapped[parsed_process.code] = []
        for mapping in parsed_process.maps_to:
            found = ids_by_ref.get(mapping.ref_id, [])
            if len(found) != 1:
                reason = (
                    _("%(framework)s has no clause %(ref_id)s")
                    if not found
                    else _("%(framework)s has several clauses %(ref_id)s; the mapping is ambiguous")
                )
                raise FrameworkFileError(
                    reason % {"framework": framework.name, "ref_id": mapping.ref_id},
                    line=mapping.line,
                    field=mapping.field,
                )
            mapped[parsed_process.code].append(found[0])

    lens = ProcessLens.objects.select_for_update().filter(urn=parsed.urn).first()
    created = lens is None
    if lens is not None:
        _refuse_older(kind=_("process lens"), name=lens.name, stored=lens.library_version, offered=parsed.version)
    else:
        lens = ProcessLens(urn=parsed.urn)
    lens.name = parsed.name
    lens.description = parsed.description
    lens.library_version = parsed.version
    lens.framework = framework
    lens.translations = parsed.translations
    lens.save()

    groups = {group.code: group for group in lens.groups.all()}
    for order, parsed_group in enumerate(parsed.groups):
        group = groups.get(parsed_group.code) or ProcessGroup(lens=lens, code=parsed_group.code)
        group.name, group.order, group.translations = parsed_group.name, order, parsed_group.translations
        group.save()
        groups[parsed_group.code] = group
    processes = {process.code: process for process in lens.processes.all()}
    for order, item in enumerate(parsed.processes):
        process = processes.get(item.code) or Process(lens=lens, code=item.code)
        process.group = groups[item.group]
        process.name, process.description, process.order = item.name, item.description, order
        process.clause_2005, process.clause_2011 = item.clause_2005, item.clause_2011
        process.translations = item.translations
        process.save()
        process.requirements.set(mapped[item.code])
        processes[item.code] = process

    wanted_processes = {item.code for item in parsed.processes}
    wanted_groups = {parsed_group.code for parsed_group in parsed.groups}
    removed = [p.pk for code, p in processes.items() if code not in wanted_processes]
    removed_groups = [g.pk for code, g in groups.items() if code not in wanted_groups]
    # A process or group someone has built on (e.g. an owner assigned to it) is never silently deleted.
    checks: tuple[tuple[type[models.Model], list[int], set[type[models.Model]]], ...] = (
        (Process, removed, set()),
        (ProcessGroup, removed_groups, {Process}),
    )
    for model, pks, ignore in checks:
        if pks and (user := _used_elsewhere(model, pks, ignore=ignore)):
            raise FrameworkFileError(
                _("the file drops %(kind)s still used by %(user)s; keep them in the file")
                % {"kind": model._meta.verbose_name_plural, "user": user}
            )
    Process.objects.filter(pk__in=removed).delete()
    ProcessGroup.objects.filter(pk__in=removed_groups).delete()

    audit_record(
        engagement=None,
        actor=actor,
        action="create" if created else "update",
        obj=lens,
        values={"version": parsed.version, "processes": len(parsed.processes), "removed": len(removed)},
    )
    return lens
