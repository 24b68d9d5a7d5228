"""The sheets and columns of the assessment workbook, and how a cell's value is compared and read back."""

from __future__ import annotations

import hashlib
import json

from django.utils.translation import gettext as _

from certprep.core.sheet_columns import Column
from certprep.gaps.choices import LEGACY_DOCUMENTATION, Documentation, Scale
from certprep.gaps.models import Assessment, Rating
from certprep.gaps.rules import ATTRIBUTES, scale_max

RATINGS_SHEET, EVIDENCE_SHEET, ASSESSMENT_SHEET, ABOUT_SHEET, LISTS_SHEET = (
    "Ratings",
    "Evidence",
    "Assessment",
    "About",
    "Lists",
)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Keys of the "Assessment" sheet (column A); what an import reads, so never translated.
KEY_ASSESSMENT, KEY_NAME, KEY_FRAMEWORK, KEY_SCALE, KEY_TARGET, KEY_EXPORTED = (
    "assessment_id",
    "name",
    "framework",
    "scale",
    "default_target",
    "exported_at",
)
# Columns read beyond the export's own, so that a column inserted by hand is named by the header check
# rather than refused by the reader as a value too far right.
SPARE_COLUMNS = 10
EXTRA_ROWS = 500  # rows below the evidence that keep the drop-down lists, for links added in Excel

# Headers a column had in earlier exports, still read: the Chinese header of Documentation was 文档化 until
# docs/glossary.md named the concept 成文信息状态.
OLD_HEADERS: dict[str, tuple[str, ...]] = {"documentation": ("文档化",)}


def _column(key: str, header: str, width: int, editable: bool, help: str, *, wrap: bool = False) -> Column:
    return Column(
        key=key, header=header, help=help, width=width, editable=editable, wrap=wrap, aliases=OLD_HEADERS.get(key, ())
    )


def scale_label(scale: str) -> str:
    return str(Scale(scale).label) if scale in Scale.values else scale


def workbook_scale(assessment: Assessment) -> str:
    """The scale of the workbook's rating columns: the one scale every requirement is rated on, or mixed."""
    scales = set(Rating.objects.filter(assessment=assessment).values_list("scale", flat=True).distinct())
    return scales.pop() if len(scales) == 1 else Scale.MIXED


def _requirement_columns() -> list[Column]:
    return [
        _column("id", _("Rating id"), 9, False, _("certprep's number for this row. Do not change it.")),
        _column(
            "version",
            _("Version"),
            8,
            False,
            _(
                "How many times the row was saved in certprep when exported; detects changes made since. "
                "Do not change it."
            ),
        ),
        _column("ref", _("Reference"), 11, False, _("The clause of the requirement. Do not change it.")),
        _column(
            "title",
            _("Requirement"),
            36,
            False,
            _("The requirement's title. Read-only: an import ignores it."),
            wrap=True,
        ),
        _column(
            "description",
            _("What it requires"),
            60,
            False,
            _("certprep's own wording of what the clause asks for. Read-only: an import ignores it."),
            wrap=True,
        ),
        _column(
            "weight",
            _("Weight"),
            8,
            False,
            _("How much the requirement counts in priorities and readiness. Read-only: an import ignores it."),
        ),
    ]


def _scale_columns(scale: str) -> list[Column]:
    """The rating itself: a Scale column when mixed, the attribute columns and computed level on the
    capability scale, the step on the compliance scale."""
    columns = []
    if scale == Scale.MIXED:
        columns.append(
            _column(
                "scale",
                _("Scale"),
                12,
                False,
                _(
                    "The scale this requirement is rated on: capability (fill the PA columns) or compliance (fill the "
                    "rating). Read-only: change it on the assessment's edit page."
                ),
            )
        )
    if scale in (Scale.CAPABILITY, Scale.MIXED):
        for key, level, name in ATTRIBUTES:
            columns.append(
                _column(
                    "pa:" + key,
                    _("PA %(key)s") % {"key": key},
                    8,
                    True,
                    _(
                        "Process attribute %(key)s, %(name)s (capability level %(level)s): N, P, L or F; "
                        "empty when not rated."
                    )
                    % {"key": key, "name": name, "level": level},
                )
            )
        columns.append(
            _column(
                "computed",
                _("Level (computed)"),
                10,
                False,
                _(
                    "The capability level 0-5 the attribute ratings achieve. "
                    "Read-only: certprep recalculates it on import."
                ),
            )
        )
    if scale in (Scale.COMPLIANCE, Scale.MIXED):
        columns.append(
            _column(
                "level",
                _("Rating (0-%(max)s)") % {"max": scale_max(Scale.COMPLIANCE)},
                10,
                True,
                _(
                    "The compliance step: 0 not addressed, 1 initial, 2 defined but inconsistent, 3 conforming; "
                    "empty when not rated."
                ),
            )
        )
    return columns


def _assessor_columns(top: int) -> list[Column]:
    return [
        _column(
            "target",
            _("Target"),
            8,
            True,
            _("The level this requirement should reach, 1 to %(max)s; empty for the assessment's default target.")
            % {"max": top},
        ),
        _column("gap", _("Gap"), 7, False, _("Steps below the target. Read-only: certprep recalculates it on import.")),
        _column(
            "documentation",
            _("Documentation"),
            16,
            True,
            _(
                "Whether the documented information exists and is controlled: one of the values listed on the "
                "About sheet; empty when not checked."
            ),
        ),
        _column(
            "assessor",
            _("Assessor"),
            16,
            True,
            _("The username of the engagement member who rates this requirement; empty for nobody."),
        ),
        _column("notes", _("Notes"), 50, True, _("Free text."), wrap=True),
        _column(
            "check",
            _("Row check"),
            18,
            False,
            _(
                "Hidden: certprep's fingerprint of the row as exported, which tells a row you changed from one you "
                "did not. Do not change it."
            ),
        ),
    ]


def rating_columns(scale: str) -> list[Column]:
    """The columns of the Ratings sheet for a scale (mixed: a Scale column, the attribute columns and the
    compliance step, each row filling the ones of its scale), with headers in the active language."""
    top = scale_max(Scale.CAPABILITY if scale == Scale.MIXED else scale)
    return [*_requirement_columns(), *_scale_columns(scale), *_assessor_columns(top)]


def evidence_columns() -> list[Column]:
    return [
        _column(
            "id",
            _("Evidence id"),
            10,
            False,
            _(
                "certprep's number for this piece of evidence. Leave it empty on a new link; "
                "do not change it otherwise."
            ),
        ),
        _column("ref", _("Reference"), 11, True, _("The clause of the requirement the evidence supports.")),
        _column(
            "kind", _("Kind"), 9, True, _("link, file or answer. Only links can be added, changed or removed here.")
        ),
        _column("title", _("Title"), 40, True, _("What the evidence is; empty for a link: its address."), wrap=True),
        _column(
            "link",
            _("Link"),
            60,
            True,
            _(
                "For a link its web address (http:// or https://); for a file its name; "
                "for a survey answer who answered which question."
            ),
            wrap=True,
        ),
    ]


def identity_columns() -> list[Column]:
    """The Assessment sheet: a key, its value and what it means."""
    return [
        _column("key", _("Key"), 18, False, ""),
        _column("value", _("Value"), 50, False, ""),
        _column("meaning", _("Meaning"), 90, False, ""),
    ]


def plain_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def same_text(a: str, b: str) -> bool:
    return plain_lines(a) == plain_lines(b)


def fingerprint(
    rating: dict[str, str] | int | None, target: int | None, documentation: str, owner_id: int | None, notes: str
) -> str:
    """A short digest of a row's editable values: equal values, equal digest."""
    canonical = json.dumps(
        [rating, target, documentation, owner_id, plain_lines(notes)], sort_keys=True, ensure_ascii=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


# Labels of the two former lists (the assessment's and the checklist's), still read from older workbooks.
_OLD_DOCUMENTATION_LABELS = {
    "approved and controlled": "approved",
    "approved and in use": "approved",
    "none needed": "not_needed",
    "无需": "not_needed",  # the Chinese label of "None needed" before 无需成文信息
    "draft": "draft",
}


def documentation_value(text: str) -> str | None:
    """The documentation status a cell names (its value or its label in the active language, or a former
    value or label), or None when it names none."""
    lowered = text.lower().strip()
    lowered = LEGACY_DOCUMENTATION.get(lowered, lowered)
    for value, label in Documentation.choices:
        if lowered == value or (value and lowered == str(label).lower()):
            return str(value)
    return _OLD_DOCUMENTATION_LABELS.get(lowered)
