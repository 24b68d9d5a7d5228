"""Reading an assessment workbook back: every sheet is checked first, then the changes are applied in one
transaction (see the package's docstring)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.sheet_columns import Column, Sheet, check_header, whole_number
from certprep.core.spreadsheets import read_rows
from certprep.core.text import single_line, without_control_characters
from certprep.core.wording import join_names
from certprep.gaps.choices import Documentation, EvidenceKind, Scale
from certprep.gaps.models import Assessment, Evidence, Rating
from certprep.gaps.rules import ACHIEVEMENTS, ATTRIBUTE_KEYS, clean_attributes, scale_max
from certprep.gaps.services.ratings import (
    MAX_EVIDENCE_PER_RATING,
    NOTES_MAX,
    TITLE_MAX,
    clean_url,
    evidence_add_link,
    evidence_delete,
    rating_update,
)
from certprep.gaps.spreadsheet.columns import (
    ASSESSMENT_SHEET,
    EVIDENCE_SHEET,
    KEY_ASSESSMENT,
    KEY_EXPORTED,
    KEY_FRAMEWORK,
    KEY_NAME,
    KEY_SCALE,
    RATINGS_SHEET,
    SPARE_COLUMNS,
    documentation_value,
    evidence_columns,
    fingerprint,
    identity_columns,
    rating_columns,
    same_text,
    scale_label,
    workbook_scale,
)
from certprep.gaps.spreadsheet.export import evidence, members, ratings

Rows = list[tuple[int, list[Any]]]


def _sheet_rows(raw: bytes, filename: str, name: str, columns: Callable[[], list[Column]]) -> tuple[Sheet, Rows]:
    """A sheet's rows with its header checked against the export's columns (in any language certprep speaks)."""
    sheet = Sheet(name, columns())
    rows = list(read_rows(raw, filename, sheet=name, max_columns=len(sheet.columns) + SPARE_COLUMNS))
    check_header(sheet, rows, columns)
    return sheet, rows


# The Assessment sheet ----------------------------------------------------------------------------------


def _parse_identity(raw: bytes, filename: str, assessment: Assessment) -> datetime.datetime:
    """Check that the workbook belongs to this assessment; returns when it was exported."""
    sheet = Sheet(ASSESSMENT_SHEET, identity_columns())
    rows = list(read_rows(raw, filename, sheet=ASSESSMENT_SHEET, max_columns=len(sheet.columns) + SPARE_COLUMNS))
    found: dict[str, tuple[int, str]] = {}
    for number, values in rows[1:]:
        cells = sheet.cells(values)
        if cells["key"] and cells["key"] not in found:
            found[cells["key"]] = (number, cells["value"])
    for key in (KEY_ASSESSMENT, KEY_FRAMEWORK, KEY_SCALE, KEY_EXPORTED):
        if key not in found:
            raise ServiceError(
                _('Sheet "%(sheet)s": the row "%(key)s" is missing. Upload a workbook exported from this assessment.')
                % {"sheet": ASSESSMENT_SHEET, "key": key},
                field="file",
            )
    number, value = found[KEY_ASSESSMENT]
    if whole_number(value) != assessment.pk:
        name = found.get(KEY_NAME, (0, ""))[1]
        raise sheet.fail(
            number,
            "value",
            _(
                'this workbook was exported from another assessment ("%(name)s"), not from "%(this)s". Export this '
                "assessment and make your changes in that workbook."
            )
            % {"name": name or value, "this": assessment.name},
        )
    number, value = found[KEY_FRAMEWORK]
    if value != assessment.framework.urn:
        raise sheet.fail(
            number,
            "value",
            _('this workbook is for the framework "%(found)s"; this assessment uses "%(urn)s".')
            % {"found": value, "urn": assessment.framework.urn},
        )
    number, value = found[KEY_SCALE]
    expected = workbook_scale(assessment)
    if value != expected:
        raise sheet.fail(
            number,
            "value",
            _('this workbook uses the scale "%(found)s"; this assessment uses "%(scale)s" (%(label)s).')
            % {"found": value, "scale": expected, "label": scale_label(expected)},
        )
    number, value = found[KEY_EXPORTED]
    try:
        exported_at = datetime.datetime.fromisoformat(value)
    except ValueError:
        exported_at = None
    if exported_at is None or timezone.is_naive(exported_at):
        raise sheet.fail(number, "value", _("this is not the export time certprep wrote; do not change it."))
    return exported_at


# The Ratings sheet -------------------------------------------------------------------------------------


@dataclass
class _RatingChange:
    rating: Rating
    row: int
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Wanted:
    """A row's editable values as read, and those that differ from what is stored."""

    value: dict[str, str] | int | None = None  # the attributes (capability) or the step (compliance)
    target: int | None = None
    documentation: str = ""
    owner: Any = None
    notes: str = ""
    changes: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        owner_id = self.owner.pk if self.owner else None
        return fingerprint(self.value, self.target, self.documentation, owner_id, self.notes)


class _RatingsReader:
    """Reads the Ratings sheet row by row against the stored ratings; each problem names its cell."""

    def __init__(self, sheet: Sheet, assessment: Assessment) -> None:
        self.sheet = sheet
        self.stored = {r.pk: r for r in ratings(assessment)}
        self.references = {r.requirement.ref_id for r in self.stored.values()}
        self.members = {user.get_username(): user for user in members(assessment)}
        self.folded: dict[str, list[Any]] = {}
        for username, user in self.members.items():
            self.folded.setdefault(username.casefold(), []).append(user)
        self.seen: dict[int, int] = {}

    def identity(self, number: int, cells: dict[str, str]) -> tuple[Rating, int]:
        """The stored rating the row is, and the version it was exported at."""
        fail = self.sheet.fail
        rating_id = whole_number(cells["id"])
        if rating_id is None:
            raise fail(
                number, "id", _('"%(value)s" is not a rating id; do not change this column.') % {"value": cells["id"]}
            )
        rating = self.stored.get(rating_id)
        if rating is None:
            raise fail(number, "id", _("there is no rating %(id)s in this assessment.") % {"id": rating_id})
        if rating_id in self.seen:
            raise fail(
                number,
                "id",
                _("rating %(id)s appears twice (also on row %(row)s).")
                % {"id": rating_id, "row": self.seen[rating_id]},
            )
        self.seen[rating_id] = number
        if cells["ref"] != rating.requirement.ref_id:
            if cells["ref"] not in self.references:
                message = _('there is no requirement "%(ref)s" in this assessment.') % {"ref": cells["ref"]}
            else:
                message = _(
                    'rating %(id)s is requirement "%(expected)s", not "%(ref)s". Do not change the Rating id and '
                    "Reference columns."
                ) % {"id": rating_id, "expected": rating.requirement.ref_id, "ref": cells["ref"]}
            raise fail(number, "ref", message)
        version = whole_number(cells["version"])
        if version is None:
            raise fail(
                number,
                "version",
                _('"%(value)s" is not the version of the export; do not change this column.')
                % {"value": cells["version"]},
            )
        return rating, version

    def rating_value(self, number: int, cells: dict[str, str], rating: Rating, wanted: _Wanted) -> None:
        """The attribute ratings (capability) or the step (compliance)."""
        if rating.scale == Scale.CAPABILITY:
            attributes: dict[str, str] = {}
            for key in ATTRIBUTE_KEYS:
                text = cells["pa:" + key].upper()
                if text and text not in ACHIEVEMENTS:
                    raise self.sheet.fail(
                        number, "pa:" + key, _('"%(value)s" is not N, P, L or F.') % {"value": cells["pa:" + key]}
                    )
                if text:
                    attributes[key] = text
            wanted.value = attributes
            if attributes != clean_attributes(rating.attributes or {}):
                wanted.changes["attributes"] = {key: attributes.get(key, "") for key in ATTRIBUTE_KEYS}
            return
        top = scale_max(rating.scale)
        level = whole_number(cells["level"]) if cells["level"] else None
        if cells["level"] and (level is None or level > top):
            raise self.sheet.fail(
                number,
                "level",
                _("the rating must be a whole number from 0 to %(max)s, or empty when not rated.") % {"max": top},
            )
        wanted.value = level
        if level != rating.level:
            wanted.changes["level"] = level

    def target(self, number: int, cells: dict[str, str], rating: Rating, wanted: _Wanted) -> None:
        top = scale_max(rating.scale)
        target = whole_number(cells["target"]) if cells["target"] else None
        if cells["target"] and (target is None or not 1 <= target <= top):
            raise self.sheet.fail(number, "target", _("the target must be between 1 and %(max)s.") % {"max": top})
        wanted.target = target
        if target != rating.target:
            wanted.changes["target"] = target

    def documentation(self, number: int, cells: dict[str, str], rating: Rating, wanted: _Wanted) -> None:
        documentation = documentation_value(cells["documentation"])
        if documentation is None:
            raise self.sheet.fail(
                number,
                "documentation",
                _('"%(value)s" is not a documentation status; use one of %(values)s, or leave it empty (not checked).')
                % {"value": cells["documentation"], "values": join_names(v for v in Documentation.values if v)},
            )
        wanted.documentation = documentation
        if documentation != rating.documentation:
            wanted.changes["documentation"] = documentation

    def assessor(self, number: int, cells: dict[str, str], rating: Rating, wanted: _Wanted) -> None:
        username = cells["assessor"]
        owner: Any = None
        if username:
            if rating.owner_id and rating.owner and username == rating.owner.get_username():
                owner = rating.owner  # kept, even if they have left the engagement since
            else:
                owner = self.members.get(username)
                if owner is None:
                    folded = self.folded.get(username.casefold(), [])
                    owner = folded[0] if len(folded) == 1 else None
                if owner is None:
                    raise self.sheet.fail(
                        number, "assessor", _('"%(value)s" is not a member of this engagement.') % {"value": username}
                    )
        wanted.owner = owner
        if (owner.pk if owner else None) != rating.owner_id:
            wanted.changes["owner"] = owner

    def notes(self, number: int, cells: dict[str, str], rating: Rating, wanted: _Wanted) -> None:
        notes = without_control_characters(cells["notes"]).strip()
        if len(notes) > NOTES_MAX:
            raise self.sheet.fail(number, "notes", _("at most %(n)s characters.") % {"n": NOTES_MAX})
        wanted.notes = notes
        if not same_text(notes, rating.notes):
            wanted.changes["notes"] = notes

    def row(self, number: int, cells: dict[str, str]) -> _RatingChange | None:
        """The change a row asks for; None when it asks for none, or is as exported while certprep saved the
        rating since (what was saved in certprep stays). A row changed on both sides is a conflict."""
        rating, version = self.identity(number, cells)
        wanted = _Wanted()
        for read in (self.rating_value, self.target, self.documentation, self.assessor, self.notes):
            read(number, cells, rating, wanted)
        if not wanted.changes:
            return None
        if version != rating.version and cells["check"] == wanted.fingerprint():
            return None
        if version != rating.version:
            raise ConflictError(
                _(
                    "%(where)s (%(ref)s): this requirement was changed in certprep since the export (version "
                    "%(theirs)s there, %(yours)s in the file), and the file changes it too. Nothing was imported: "
                    "export again and redo your changes in the new workbook."
                )
                % {
                    "where": self.sheet.where(number),
                    "ref": rating.requirement.ref_id,
                    "theirs": rating.version,
                    "yours": version,
                }
            )
        return _RatingChange(rating=rating, row=number, changes=wanted.changes)


def _parse_ratings(raw: bytes, filename: str, assessment: Assessment) -> list[_RatingChange]:
    scale = workbook_scale(assessment)
    sheet, rows = _sheet_rows(raw, filename, RATINGS_SHEET, lambda: rating_columns(scale))
    reader = _RatingsReader(sheet, assessment)
    changes = []
    for number, values in rows[1:]:
        cells = sheet.cells(values)
        if any(cells.values()):
            change = reader.row(number, cells)
            if change is not None:
                changes.append(change)
    return changes


# The Evidence sheet ------------------------------------------------------------------------------------


@dataclass
class _LinkPlan:
    added: list[tuple[int, Rating, str, str]] = field(default_factory=list)  # row, rating, url, title
    # row, evidence, rating, url, title
    changed: list[tuple[int, Evidence, Rating, str, str]] = field(default_factory=list)
    removed: list[Evidence] = field(default_factory=list)


class _EvidenceReader:
    """Reads the Evidence sheet: links changed, added and removed; files and answers only listed."""

    def __init__(self, sheet: Sheet, assessment: Assessment) -> None:
        self.sheet = sheet
        self.ratings = ratings(assessment)
        self.by_ref: dict[str, Rating] = {}
        for rating in self.ratings:  # a reference both current and dropped by a newer framework: the current one
            ref = rating.requirement.ref_id
            if ref not in self.by_ref or (
                rating.requirement.is_current and not self.by_ref[ref].requirement.is_current
            ):
                self.by_ref[ref] = rating
        self.stored = {e.pk: e for e in evidence(assessment)}
        self.link_words = {"", str(EvidenceKind.LINK.value), str(EvidenceKind.LINK.label).lower()}
        self.seen: dict[int, int] = {}
        self.plan = _LinkPlan()

    def rating_of(self, number: int, ref: str) -> Rating:
        if not ref:
            raise self.sheet.fail(number, "ref", _("give the reference of the requirement the link supports."))
        found = self.by_ref.get(ref)
        if found is None:
            raise self.sheet.fail(
                number, "ref", _('there is no requirement "%(ref)s" in this assessment.') % {"ref": ref}
            )
        return found

    def link_of(self, number: int, text: str) -> str:
        try:
            return clean_url(text)
        except ServiceError as exc:
            raise self.sheet.fail(number, "link", exc.message) from exc

    def title_of(self, number: int, text: str) -> str:
        """The link's title as the evidence service stores it: one line (core.text.single_line), single spaces."""
        try:
            return " ".join(single_line(text, field="title", label=_("The title"), limit=TITLE_MAX).split())
        except ServiceError as exc:
            raise self.sheet.fail(number, "title", exc.message) from exc

    def stored_item(self, number: int, text: str) -> Evidence:
        fail = self.sheet.fail
        evidence_id = whole_number(text)
        if evidence_id is None:
            raise fail(
                number, "id", _('"%(value)s" is not an evidence id; leave it empty for a new link.') % {"value": text}
            )
        item = self.stored.get(evidence_id)
        if item is None:
            raise fail(
                number,
                "id",
                _(
                    "there is no evidence %(id)s in this assessment (it may have been removed in certprep since "
                    "the export). Delete the row, or empty the id to add the link again."
                )
                % {"id": evidence_id},
            )
        if evidence_id in self.seen:
            raise fail(
                number,
                "id",
                _("evidence %(id)s appears twice (also on row %(row)s).")
                % {"id": evidence_id, "row": self.seen[evidence_id]},
            )
        self.seen[evidence_id] = number
        return item

    def row(self, number: int, cells: dict[str, str]) -> None:
        if cells["id"]:
            item = self.stored_item(number, cells["id"])
            if item.kind != EvidenceKind.LINK:
                return  # files and survey answers are listed for information only
            rating = self.rating_of(number, cells["ref"])
            title = self.title_of(number, cells["title"])
            url = self.link_of(number, cells["link"])
            title = title or url[:TITLE_MAX]
            if (rating.pk, url, title) != (item.rating_id, item.url, item.title):
                self.plan.changed.append((number, item, rating, url, title))
            return
        if cells["kind"].lower() not in self.link_words:
            raise self.sheet.fail(
                number, "kind", _("only links can be added in the workbook; add files and survey answers in certprep.")
            )
        rating = self.rating_of(number, cells["ref"])
        title = self.title_of(number, cells["title"])
        self.plan.added.append((number, rating, self.link_of(number, cells["link"]), title))

    def check_room(self) -> None:
        """No requirement may end with more pieces of evidence than certprep allows."""
        count: dict[int, int] = {}
        for item in self.stored.values():
            count[item.rating_id] = count.get(item.rating_id, 0) + 1
        for item in self.plan.removed:
            count[item.rating_id] -= 1
        arriving: list[tuple[int, Rating]] = []
        for number, item, rating, _url, _title in self.plan.changed:
            if rating.pk != item.rating_id:
                count[item.rating_id] -= 1
                arriving.append((number, rating))
        arriving += [(number, rating) for number, rating, _url, _title in self.plan.added]
        for number, rating in sorted(arriving, key=lambda pair: pair[0]):
            count[rating.pk] = count.get(rating.pk, 0) + 1
            if count[rating.pk] > MAX_EVIDENCE_PER_RATING:
                raise self.sheet.fail(
                    number,
                    "ref",
                    _("requirement %(ref)s would have more than %(n)s pieces of evidence.")
                    % {"ref": rating.requirement.ref_id, "n": MAX_EVIDENCE_PER_RATING},
                )


def _parse_evidence(raw: bytes, filename: str, assessment: Assessment, exported_at: datetime.datetime) -> _LinkPlan:
    sheet, rows = _sheet_rows(raw, filename, EVIDENCE_SHEET, evidence_columns)
    reader = _EvidenceReader(sheet, assessment)
    for number, values in rows[1:]:
        cells = sheet.cells(values)
        if any(cells.values()):
            reader.row(number, cells)
    reader.plan.removed = [
        e
        for pk, e in reader.stored.items()
        if e.kind == EvidenceKind.LINK and pk not in reader.seen and e.added_at <= exported_at
    ]
    reader.check_room()
    return reader.plan


# Applying ----------------------------------------------------------------------------------------------


def _apply_links(current: Assessment, actor: Actor, links: _LinkPlan) -> None:
    for item in links.removed:
        item.rating.assessment = current
        evidence_delete(evidence=item, actor=actor)
    for _number, item, rating, url, title in links.changed:
        before = {"requirement": str(item.rating.requirement), "url": item.url, "title": item.title}
        after = {"requirement": str(rating.requirement), "url": url, "title": title}
        item.rating, item.url, item.title = rating, url, title
        item.save(update_fields=["rating", "url", "title"])
        audit_record(
            engagement=current.engagement,
            actor=actor,
            action="update",
            obj=item,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
    for _number, rating, url, title in links.added:
        rating.assessment = current
        evidence_add_link(rating=rating, actor=actor, url=url, title=title)


@transaction.atomic
def assessment_import(*, assessment: Assessment, actor: Actor, raw: bytes, filename: str) -> dict[str, int]:
    """Apply a workbook exported from this assessment: ratings, targets, documentation, assessors, notes and
    links. Nothing changes unless the whole file is valid and free of conflicts."""
    current = Assessment.objects.select_related("engagement", "framework").get(pk=assessment.pk)
    if not current.is_open:
        raise ServiceError(_("This assessment is closed. Reopen it to import ratings."), field="file")
    if not filename.lower().endswith(".xlsx"):
        raise ServiceError(_("Upload the Excel workbook (.xlsx) exported from this assessment."), field="file")
    exported_at = _parse_identity(raw, filename, current)
    rating_changes = _parse_ratings(raw, filename, current)
    links = _parse_evidence(raw, filename, current, exported_at)

    for change in rating_changes:
        change.rating.assessment = current
        rating_update(rating=change.rating, actor=actor, expected_version=change.rating.version, **change.changes)
    _apply_links(current, actor, links)

    counts = {
        "ratings": len(rating_changes),
        "links_added": len(links.added),
        "links_changed": len(links.changed),
        "links_removed": len(links.removed),
    }
    if any(counts.values()):
        audit_record(
            engagement=current.engagement,
            actor=actor,
            action="update",
            obj=current,
            values={"imported_file": filename[:200], **counts},
        )
    return counts
