"""An assessment as an Excel workbook, for consultants to rate offline, and back.

Sheets:
- "Ratings": one row per requirement in framework order. Rating id, Version, Reference, the requirement's
  title, what it requires and weight (read-only), then the rating: "Rating (0-3)" on the compliance scale, or
  nine "PA 1.1" .. "PA 5.2" columns (N/P/L/F) and the computed level on the capability scale; then Target
  (empty: the assessment's default), Gap (computed), Documentation (a choice value), Assessor (a member's
  username) and Notes.
- "Evidence": one row per piece of evidence. Links can be changed, added (a row without an id) and removed
  (the row deleted); files and survey answers are listed for information and kept as they are.
- "Assessment": key/value rows naming the assessment, framework and scale the workbook belongs to, and when
  it was exported. An import refuses a workbook of another assessment, framework or scale.
- "About": what every column means, which are read-only, the allowed values and the import rules.
- "Lists" (hidden): the values the drop-down lists offer.

Every text written goes through neutralize() and every cell read through cell_text(), so text a spreadsheet
would run as a formula comes back exactly as typed. An import checks the whole workbook first, then applies
the changes in one transaction: all or nothing. A row changed both in the file and in certprep since the
export is a conflict and refuses the whole import; rows equal to what is stored are left untouched.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.spreadsheets import cell_text, column_letter, neutralize, read_rows
from certprep.core.text import single_line, without_control_characters
from certprep.gaps.choices import (
    LEGACY_DOCUMENTATION,
    Achievement,
    Capability,
    Compliance,
    Documentation,
    EvidenceKind,
    Scale,
)
from certprep.gaps.models import Assessment, Evidence, Rating
from certprep.gaps.rules import (
    ACHIEVEMENTS,
    ATTRIBUTE_KEYS,
    ATTRIBUTES,
    clean_attributes,
    effective_target,
    gap,
    scale_max,
)
from certprep.gaps.selectors.documents import attach_documentation
from certprep.gaps.selectors.weights import weights_by_requirement
from certprep.gaps.services.ratings import (
    MAX_EVIDENCE_PER_RATING,
    NOTES_MAX,
    TITLE_MAX,
    clean_url,
    evidence_add_link,
    evidence_delete,
    rating_update,
)

# Columns read beyond the export's own, so that a column inserted by hand is named by the header check
# rather than refused by the reader as a value too far right.
SPARE_COLUMNS = 10
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
EXTRA_ROWS = 500  # rows below the evidence that keep the drop-down lists, for links added in Excel
WHOLE = re.compile(r"^[0-9]{1,9}$")

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_READ_ONLY_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
_READ_ONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
_READ_ONLY_FONT = Font(color="595959")
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_HEAD_ALIGN = Alignment(vertical="top", wrap_text=True)
_TITLE_FONT = Font(bold=True, size=14)


# Columns ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    editable: bool
    help: str
    wrap: bool = False


def _scale_label(scale: str) -> str:
    return str(Scale(scale).label) if scale in Scale.values else scale


def workbook_scale(assessment: Assessment) -> str:
    """The scale of the workbook's rating columns: the one scale every requirement is rated on, or mixed."""
    scales = set(Rating.objects.filter(assessment=assessment).values_list("scale", flat=True).distinct())
    return scales.pop() if len(scales) == 1 else Scale.MIXED


def rating_columns(scale: str) -> list[Column]:
    """The columns of the Ratings sheet for a scale (mixed: a Scale column, the attribute columns and the
    compliance step, each row filling the ones of its scale), with headers in the active language."""
    top = scale_max(Scale.CAPABILITY if scale == Scale.MIXED else scale)
    columns = [
        Column("id", _("Rating id"), 9, False, _("certprep's number for this row. Do not change it.")),
        Column(
            "version",
            _("Version"),
            8,
            False,
            _(
                "How many times the row was saved in certprep when exported; detects changes made since. "
                "Do not change it."
            ),
        ),
        Column("ref", _("Reference"), 11, False, _("The clause of the requirement. Do not change it.")),
        Column(
            "title",
            _("Requirement"),
            36,
            False,
            _("The requirement's title. Read-only: an import ignores it."),
            wrap=True,
        ),
        Column(
            "description",
            _("What it requires"),
            60,
            False,
            _("certprep's own wording of what the clause asks for. Read-only: an import ignores it."),
            wrap=True,
        ),
        Column(
            "weight",
            _("Weight"),
            8,
            False,
            _("How much the requirement counts in priorities and readiness. Read-only: an import ignores it."),
        ),
    ]
    if scale == Scale.MIXED:
        columns.append(
            Column(
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
                Column(
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
            Column(
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
            Column(
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
    columns += [
        Column(
            "target",
            _("Target"),
            8,
            True,
            _("The level this requirement should reach, 1 to %(max)s; empty for the assessment's default target.")
            % {"max": top},
        ),
        Column("gap", _("Gap"), 7, False, _("Steps below the target. Read-only: certprep recalculates it on import.")),
        Column(
            "documentation",
            _("Documentation"),
            16,
            True,
            _(
                "Whether the documented information exists and is controlled: one of the values listed on the "
                "About sheet; empty when not checked."
            ),
        ),
        Column(
            "assessor",
            _("Assessor"),
            16,
            True,
            _("The username of the engagement member who rates this requirement; empty for nobody."),
        ),
        Column("notes", _("Notes"), 50, True, _("Free text."), wrap=True),
        Column(
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
    return columns


def evidence_columns() -> list[Column]:
    return [
        Column(
            "id",
            _("Evidence id"),
            10,
            False,
            _(
                "certprep's number for this piece of evidence. Leave it empty on a new link; "
                "do not change it otherwise."
            ),
        ),
        Column("ref", _("Reference"), 11, True, _("The clause of the requirement the evidence supports.")),
        Column(
            "kind", _("Kind"), 9, True, _("link, file or answer. Only links can be added, changed or removed here.")
        ),
        Column("title", _("Title"), 40, True, _("What the evidence is; empty for a link: its address."), wrap=True),
        Column(
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


def _assessment_rows(assessment: Assessment, exported_at: datetime.datetime) -> list[tuple[str, Any, str]]:
    scale = workbook_scale(assessment)
    return [
        (
            KEY_ASSESSMENT,
            assessment.pk,
            _("The assessment this workbook belongs to. An import into another one is refused."),
        ),
        (KEY_NAME, assessment.name, _("The assessment's name when exported (for information).")),
        (
            KEY_FRAMEWORK,
            assessment.framework.urn,
            _("The framework assessed against: %(name)s.") % {"name": assessment.framework.tr.name},
        ),
        (KEY_SCALE, scale, _("The rating scale: %(scale)s.") % {"scale": _scale_label(scale)}),
        (
            KEY_TARGET,
            assessment.default_target,
            _("The default target: what an empty Target means (for information; change it in certprep)."),
        ),
        (
            KEY_EXPORTED,
            exported_at.isoformat(),
            _("When the workbook was exported. Links added in certprep after this moment are kept by an import."),
        ),
    ]


# Export ------------------------------------------------------------------------------------------------


def _row(values: Iterable[Any]) -> list[Any]:
    return [neutralize(None if v == "" else v) for v in values]


def _header(sheet: Worksheet, columns: list[Column]) -> None:
    sheet.append(_row(c.header for c in columns))
    for index, column in enumerate(columns):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL if column.editable else _READ_ONLY_HEAD_FILL
        cell.alignment = _HEAD_ALIGN
        cell.comment = Comment(str(neutralize(column.help)), "certprep", width=300, height=120)
        sheet.column_dimensions[column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 32


def _style_body(sheet: Worksheet, columns: list[Column], rows: int, *, grey_read_only: bool = True) -> None:
    for index, column in enumerate(columns):
        for (cell,) in sheet.iter_rows(min_row=2, max_row=rows + 1, min_col=index + 1, max_col=index + 1):
            cell.alignment = _WRAP if column.wrap else _TOP
            if grey_read_only and not column.editable:
                cell.fill = _READ_ONLY_FILL
                cell.font = _READ_ONLY_FONT


def _list_range(column: str, count: int) -> str:
    return f"{LISTS_SHEET}!${column}$1:${column}${max(count, 1)}"


def _validation(sheet: Worksheet, columns: list[Column], key: str, rows: int, **options: Any) -> None:
    index = next(i for i, c in enumerate(columns) if c.key == key)
    letter = column_letter(index)
    check = DataValidation(allow_blank=True, showErrorMessage=True, errorStyle="stop", **options)
    check.error = str(neutralize(next(c for c in columns if c.key == key).help))
    check.errorTitle = _("Not an allowed value")
    sheet.add_data_validation(check)
    check.add(f"{letter}2:{letter}{max(rows, 1) + 1}")


def _evidence_link(evidence: Evidence) -> str:
    if evidence.kind == EvidenceKind.LINK:
        return evidence.url
    if evidence.kind == EvidenceKind.FILE:
        return evidence.original_name
    answer = evidence.answer
    if answer is None:
        return _("(the survey answer was deleted)")
    return f"{answer.response.respondent.person.name}: {answer.question.tr.text}"


def _members(assessment: Assessment) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(memberships__engagement_id=assessment.engagement_id)
        .order_by("username")
        .distinct()
    )


def _ratings(assessment: Assessment) -> list[Rating]:
    """The ratings with their documentation status and the engagement's weight attached (fixed queries)."""
    ratings = list(
        Rating.objects.filter(assessment=assessment)
        .select_related("requirement", "owner")
        .order_by("requirement__order", "pk")
    )
    attach_documentation(ratings, assessment.engagement_id)
    weights = weights_by_requirement(assessment.engagement_id, assessment.framework_id)
    for rating in ratings:
        rating.weight = weights.get(rating.requirement_id, rating.requirement.weight)  # type: ignore[attr-defined]
    return ratings


def _evidence(assessment: Assessment) -> list[Evidence]:
    return list(
        Evidence.objects.filter(rating__assessment=assessment)
        .select_related("rating__requirement", "answer__question", "answer__response__respondent__person")
        .order_by("rating__requirement__order", "rating_id", "added_at", "pk")
    )


def _rating_values(rating: Rating, columns: list[Column], assessment: Assessment) -> list[Any]:
    requirement = rating.requirement
    attributes = clean_attributes(rating.attributes or {})
    values: list[Any] = []
    for column in columns:
        key = column.key
        if key == "id":
            values.append(rating.pk)
        elif key == "version":
            values.append(rating.version)
        elif key == "ref":
            values.append(requirement.ref_id)
        elif key == "title":
            values.append(requirement.tr.name)
        elif key == "description":
            values.append(requirement.tr.description)
        elif key == "weight":
            values.append(getattr(rating, "weight", requirement.weight))
        elif key == "scale":
            values.append(rating.scale)
        elif key.startswith("pa:"):
            values.append(attributes.get(key[3:]) if rating.scale == Scale.CAPABILITY else None)
        elif key == "computed":
            values.append(rating.level if rating.scale == Scale.CAPABILITY else None)
        elif key == "level":
            values.append(rating.level if rating.scale == Scale.COMPLIANCE else None)
        elif key == "target":
            values.append(rating.target)
        elif key == "gap":
            values.append(gap(rating.level, effective_target(rating.target, assessment.default_target, rating.scale)))
        elif key == "documentation":
            values.append(rating.documentation)
        elif key == "assessor":
            values.append(rating.owner.get_username() if rating.owner_id and rating.owner else None)
        elif key == "notes":
            values.append(rating.notes)
        elif key == "check":
            values.append(
                fingerprint(
                    attributes if rating.scale == Scale.CAPABILITY else rating.level,
                    rating.target,
                    rating.documentation,
                    rating.owner_id,
                    rating.notes,
                )
            )
    return values


def _plain_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fingerprint(
    rating: dict[str, str] | int | None, target: int | None, documentation: str, owner_id: int | None, notes: str
) -> str:
    """A short digest of a row's editable values: equal values, equal digest."""
    canonical = json.dumps(
        [rating, target, documentation, owner_id, _plain_lines(notes)], sort_keys=True, ensure_ascii=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _about(book: Workbook, assessment: Assessment, ratings: list[Column], evidence: list[Column]) -> None:
    sheet = book.create_sheet(ABOUT_SHEET)
    scale = workbook_scale(assessment)
    top = scale_max(Scale.CAPABILITY if scale == Scale.MIXED else scale)
    rows: list[tuple[str, str] | str] = [
        _("About this workbook"),
        (
            _("Assessment"),
            _("%(name)s (%(scale)s, default target %(target)s)")
            % {"name": assessment.name, "scale": _scale_label(assessment.scale), "target": assessment.default_target},
        ),
        (
            _("How to use it"),
            _(
                "Rate the requirements on the Ratings sheet and manage links on the Evidence sheet, then import the "
                "workbook on the assessment's import page. Keep the sheets, their names and the order of the "
                "columns; columns added after the last one are ignored."
            ),
        ),
        (
            _("All or nothing"),
            _(
                "The import checks the whole workbook first. If anything is wrong, nothing changes and the first "
                "problem is shown with its sheet, row and column."
            ),
        ),
        (
            _("Changes made meanwhile"),
            _(
                "The Version column tells whether a requirement was saved in certprep after the export. A row you "
                "changed that was also changed in certprep since the export refuses the whole import: export again "
                "and redo your changes there. Rows you did not change keep what was saved in certprep meanwhile."
            ),
        ),
        (
            _("Read-only columns"),
            _(
                "Grey columns are for information; the import ignores what is typed in them "
                "(the level and gap are recalculated)."
            ),
        ),
        _('Sheet "%(sheet)s"') % {"sheet": RATINGS_SHEET},
        *[(c.header, c.help) for c in ratings],
        _("Rating scale: %(scale)s") % {"scale": _scale_label(scale)},
    ]
    if scale in (Scale.CAPABILITY, Scale.MIXED):
        rows += [(str(value), str(label)) for value, label in Achievement.choices]
        rows.append(
            (
                _("Level"),
                _(
                    "A level is achieved when its process attributes are at least L and every attribute of the lower "
                    "levels is F; an attribute not rated counts as N."
                ),
            )
        )
        rows += [(str(value), str(label)) for value, label in Capability.choices]
    if scale in (Scale.COMPLIANCE, Scale.MIXED):
        rows += [(str(value), str(label)) for value, label in Compliance.choices]
        rows.append(("", _("Empty: not rated yet.")))
    rows += [
        (
            _("Target"),
            (
                _(
                    "1 to %(max)s, or empty for the assessment's default target (%(default)s). A requirement on the "
                    "compliance scale takes at most 3."
                )
                if scale == Scale.MIXED
                else _("1 to %(max)s, or empty for the assessment's default target (%(default)s).")
            )
            % {"max": top, "default": assessment.default_target},
        ),
        _("Documentation values"),
        *[(str(value) or _("(empty)"), str(label)) for value, label in Documentation.choices],
        _('Sheet "%(sheet)s"') % {"sheet": EVIDENCE_SHEET},
        *[(c.header, c.help) for c in evidence],
        (
            _("Links"),
            _(
                "Change a link's reference, title or address in its row; add a link in a new row with an empty "
                "Evidence id (Kind empty or link); remove a link by deleting its row. Links added in certprep after "
                "the export are kept."
            ),
        ),
        (
            _("Files and survey answers"),
            _(
                "Rows of kind file or answer are for information: the import keeps these pieces of evidence as they "
                "are, even when their rows are changed or removed. Add or remove them in certprep."
            ),
        ),
        _('Sheet "%(sheet)s"') % {"sheet": ASSESSMENT_SHEET},
        (
            _("Assessment"),
            _(
                "Which assessment, framework and scale the workbook belongs to. Do not change it: an import into "
                "another assessment, or with another framework or scale, is refused."
            ),
        ),
    ]
    first = True
    for item in rows:
        if isinstance(item, str):
            if not first:
                sheet.append([])
            sheet.append(_row([item]))
            sheet.cell(row=sheet.max_row, column=1).font = _TITLE_FONT if first else _BOLD
            first = False
        else:
            sheet.append(_row(item))
            sheet.cell(row=sheet.max_row, column=1).font = _BOLD
            for cell in sheet[sheet.max_row]:
                cell.alignment = _WRAP
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 100


def assessment_export(assessment: Assessment) -> bytes:
    """The assessment as an .xlsx workbook (bytes)."""
    exported_at = timezone.now()
    ratings = _ratings(assessment)
    evidence = _evidence(assessment)
    members = _members(assessment)
    book = Workbook()

    sheet = book.active
    assert sheet is not None
    sheet.title = RATINGS_SHEET
    scale = workbook_scale(assessment)
    columns = rating_columns(scale)
    _header(sheet, columns)
    for rating in ratings:
        sheet.append(_row(_rating_values(rating, columns, assessment)))
    _style_body(sheet, columns, len(ratings))
    sheet.freeze_panes = "D2"
    sheet.column_dimensions[column_letter(len(columns) - 1)].hidden = True  # the row check
    sheet.auto_filter.ref = f"A1:{column_letter(len(columns) - 2)}{len(ratings) + 1}"
    top = scale_max(Scale.CAPABILITY if scale == Scale.MIXED else scale)
    documentation_values = [v for v in Documentation.values if v]
    if scale in (Scale.CAPABILITY, Scale.MIXED):
        for key in ATTRIBUTE_KEYS:
            _validation(
                sheet, columns, "pa:" + key, len(ratings), type="list", formula1='"' + ",".join(ACHIEVEMENTS) + '"'
            )
    if scale in (Scale.COMPLIANCE, Scale.MIXED):
        _validation(
            sheet,
            columns,
            "level",
            len(ratings),
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(scale_max(Scale.COMPLIANCE)),
        )
    _validation(
        sheet, columns, "target", len(ratings), type="whole", operator="between", formula1="1", formula2=str(top)
    )
    _validation(
        sheet, columns, "documentation", len(ratings), type="list", formula1=_list_range("A", len(documentation_values))
    )
    if members:
        _validation(sheet, columns, "assessor", len(ratings), type="list", formula1=_list_range("B", len(members)))

    evidence_sheet = book.create_sheet(EVIDENCE_SHEET)
    e_columns = evidence_columns()
    _header(evidence_sheet, e_columns)
    for item in evidence:
        evidence_sheet.append(
            _row([item.pk, item.rating.requirement.ref_id, item.kind, item.title, _evidence_link(item)])
        )
    _style_body(evidence_sheet, e_columns, len(evidence), grey_read_only=False)
    for index, item in enumerate(evidence, start=2):
        if item.kind != EvidenceKind.LINK:  # informational rows
            for cell in evidence_sheet[index]:
                cell.fill = _READ_ONLY_FILL
                cell.font = _READ_ONLY_FONT
    evidence_sheet.freeze_panes = "A2"
    references = list(dict.fromkeys(r.requirement.ref_id for r in ratings))
    _validation(
        evidence_sheet,
        e_columns,
        "ref",
        len(evidence) + EXTRA_ROWS,
        type="list",
        formula1=_list_range("C", len(references)),
    )
    _validation(
        evidence_sheet,
        e_columns,
        "kind",
        len(evidence) + EXTRA_ROWS,
        type="list",
        formula1='"' + ",".join(EvidenceKind.values) + '"',
    )

    info = book.create_sheet(ASSESSMENT_SHEET)
    info.append(_row([_("Key"), _("Value"), _("Meaning")]))
    for key, value, meaning in _assessment_rows(assessment, exported_at):
        info.append(_row([key, value, meaning]))
    for cell in info[1]:
        cell.font = _BOLD
        cell.fill = _READ_ONLY_HEAD_FILL
    for letter, width in (("A", 18), ("B", 50), ("C", 90)):
        info.column_dimensions[letter].width = width

    _about(book, assessment, columns, e_columns)

    lists = book.create_sheet(LISTS_SHEET)
    for index, value in enumerate(documentation_values, start=1):
        lists.cell(row=index, column=1, value=neutralize(value))
    for index, user in enumerate(members, start=1):
        lists.cell(row=index, column=2, value=neutralize(user.get_username()))
    for index, ref in enumerate(references, start=1):
        lists.cell(row=index, column=3, value=neutralize(ref))
    lists.sheet_state = "hidden"

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Import ------------------------------------------------------------------------------------------------


def _where(sheet: str, row: int, column: Column | None = None, index: int | None = None) -> str:
    if column is None or index is None:
        return _('Sheet "%(sheet)s", row %(row)s') % {"sheet": sheet, "row": row}
    return _('Sheet "%(sheet)s", row %(row)s, column %(column)s (%(header)s)') % {
        "sheet": sheet,
        "row": row,
        "column": column_letter(index),
        "header": column.header,
    }


class _Sheet:
    """The columns of one sheet, to name a cell in an error message."""

    def __init__(self, name: str, columns: list[Column]) -> None:
        self.name = name
        self.columns = columns
        self.index = {c.key: i for i, c in enumerate(columns)}

    def fail(self, row: int, key: str | None, message: str) -> ServiceError:
        if key is None:
            where = _where(self.name, row)
        else:
            index = self.index[key]
            where = _where(self.name, row, self.columns[index], index)
        return ServiceError(_("%(where)s: %(problem)s") % {"where": where, "problem": message}, field="file")

    def cells(self, values: list[Any]) -> dict[str, str]:
        return {c.key: cell_text(values[i]) if i < len(values) else "" for i, c in enumerate(self.columns)}


def _whole(text: str) -> int | None:
    return int(text) if WHOLE.match(text) else None


# Headers a column had in earlier exports, still read: the Chinese header of Documentation was 文档化 until
# docs/glossary.md named the concept 成文信息状态.
OLD_HEADERS: dict[str, tuple[str, ...]] = {"documentation": ("文档化",)}


def _headers_in_every_language(make: Callable[[], list[Column]]) -> list[set[str]]:
    """For each column, its header in every language certprep speaks (the file may come from another), and
    the headers it had in earlier exports."""
    accepted: list[set[str]] = [{c.header, *OLD_HEADERS.get(c.key, ())} for c in make()]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for index, column in enumerate(make()):
                accepted[index].add(column.header)
    return accepted


def _check_header(sheet: _Sheet, rows: list[tuple[int, list[Any]]], make: Callable[[], list[Column]]) -> None:
    if not rows:
        raise ServiceError(_('Sheet "%(sheet)s" is empty.') % {"sheet": sheet.name}, field="file")
    number, header = rows[0]
    for index, accepted in enumerate(_headers_in_every_language(make)):
        found = cell_text(header[index]) if index < len(header) else ""
        if found not in accepted:
            raise sheet.fail(
                number,
                sheet.columns[index].key,
                _(
                    'the column header is "%(found)s" where the export has "%(expected)s". Keep the columns of the '
                    "export in their order: do not insert, move or delete columns."
                )
                % {"found": found, "expected": sheet.columns[index].header},
            )


def _parse_identity(raw: bytes, filename: str, assessment: Assessment) -> datetime.datetime:
    """Check that the workbook belongs to this assessment; returns when it was exported."""
    columns = [
        Column("key", _("Key"), 0, False, ""),
        Column("value", _("Value"), 0, False, ""),
    ]
    sheet = _Sheet(ASSESSMENT_SHEET, columns)
    rows = list(read_rows(raw, filename, sheet=ASSESSMENT_SHEET, max_columns=3 + SPARE_COLUMNS))  # key, value, meaning
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
    if _whole(value) != assessment.pk:
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
            % {"found": value, "scale": expected, "label": _scale_label(expected)},
        )
    number, value = found[KEY_EXPORTED]
    try:
        exported_at = datetime.datetime.fromisoformat(value)
    except ValueError:
        exported_at = None
    if exported_at is None or timezone.is_naive(exported_at):
        raise sheet.fail(number, "value", _("this is not the export time certprep wrote; do not change it."))
    return exported_at


def _same_text(a: str, b: str) -> bool:
    return _plain_lines(a) == _plain_lines(b)


@dataclass
class _RatingChange:
    rating: Rating
    row: int
    changes: dict[str, Any] = field(default_factory=dict)


# Labels of the two former lists (the assessment's and the checklist's), still read from older workbooks.
_OLD_DOCUMENTATION_LABELS = {
    "approved and controlled": "approved",
    "approved and in use": "approved",
    "none needed": "not_needed",
    "无需": "not_needed",  # the Chinese label of "None needed" before 无需成文信息
    "draft": "draft",
}


def _lookup_documentation(text: str) -> str | None:
    lowered = text.lower().strip()
    lowered = LEGACY_DOCUMENTATION.get(lowered, lowered)
    for value, label in Documentation.choices:
        if lowered == value or (value and lowered == str(label).lower()):
            return str(value)
    return _OLD_DOCUMENTATION_LABELS.get(lowered)


def _parse_ratings(raw: bytes, filename: str, assessment: Assessment) -> list[_RatingChange]:
    scale = workbook_scale(assessment)
    sheet = _Sheet(RATINGS_SHEET, rating_columns(scale))
    rows = list(read_rows(raw, filename, sheet=RATINGS_SHEET, max_columns=len(sheet.columns) + SPARE_COLUMNS))
    _check_header(sheet, rows, lambda: rating_columns(scale))
    stored = {r.pk: r for r in _ratings(assessment)}
    references = {r.requirement.ref_id for r in stored.values()}
    members = {user.get_username(): user for user in _members(assessment)}
    members_folded: dict[str, list[Any]] = {}
    for username, user in members.items():
        members_folded.setdefault(username.casefold(), []).append(user)
    documentation_values = ", ".join(v for v in Documentation.values if v)
    seen: dict[int, int] = {}
    changes: list[_RatingChange] = []
    for number, values in rows[1:]:
        cells = sheet.cells(values)
        if not any(cells.values()):
            continue
        rating_id = _whole(cells["id"])
        if rating_id is None:
            raise sheet.fail(
                number, "id", _('"%(value)s" is not a rating id; do not change this column.') % {"value": cells["id"]}
            )
        rating = stored.get(rating_id)
        if rating is None:
            raise sheet.fail(number, "id", _("there is no rating %(id)s in this assessment.") % {"id": rating_id})
        if rating_id in seen:
            raise sheet.fail(
                number,
                "id",
                _("rating %(id)s appears twice (also on row %(row)s).") % {"id": rating_id, "row": seen[rating_id]},
            )
        seen[rating_id] = number
        if cells["ref"] != rating.requirement.ref_id:
            if cells["ref"] not in references:
                message = _('there is no requirement "%(ref)s" in this assessment.') % {"ref": cells["ref"]}
            else:
                message = _(
                    'rating %(id)s is requirement "%(expected)s", not "%(ref)s". Do not change the Rating id and '
                    "Reference columns."
                ) % {"id": rating_id, "expected": rating.requirement.ref_id, "ref": cells["ref"]}
            raise sheet.fail(number, "ref", message)
        version = _whole(cells["version"])
        if version is None:
            raise sheet.fail(
                number,
                "version",
                _('"%(value)s" is not the version of the export; do not change this column.')
                % {"value": cells["version"]},
            )

        wanted: dict[str, Any] = {}
        value: dict[str, str] | int | None
        top = scale_max(rating.scale)
        if rating.scale == Scale.CAPABILITY:
            attributes: dict[str, str] = {}
            for key in ATTRIBUTE_KEYS:
                text = cells["pa:" + key].upper()
                if text and text not in ACHIEVEMENTS:
                    raise sheet.fail(
                        number, "pa:" + key, _('"%(value)s" is not N, P, L or F.') % {"value": cells["pa:" + key]}
                    )
                if text:
                    attributes[key] = text
            value = attributes
            if attributes != clean_attributes(rating.attributes or {}):
                wanted["attributes"] = {key: attributes.get(key, "") for key in ATTRIBUTE_KEYS}
        else:
            level = _whole(cells["level"]) if cells["level"] else None
            if cells["level"] and (level is None or level > top):
                raise sheet.fail(
                    number,
                    "level",
                    _("the rating must be a whole number from 0 to %(max)s, or empty when not rated.") % {"max": top},
                )
            value = level
            if level != rating.level:
                wanted["level"] = level
        target = _whole(cells["target"]) if cells["target"] else None
        if cells["target"] and (target is None or not 1 <= target <= top):
            raise sheet.fail(number, "target", _("the target must be between 1 and %(max)s.") % {"max": top})
        if target != rating.target:
            wanted["target"] = target
        documentation = _lookup_documentation(cells["documentation"])
        if documentation is None:
            raise sheet.fail(
                number,
                "documentation",
                _('"%(value)s" is not a documentation status; use one of %(values)s, or leave it empty (not checked).')
                % {"value": cells["documentation"], "values": documentation_values},
            )
        if documentation != rating.documentation:
            wanted["documentation"] = documentation
        username = cells["assessor"]
        owner: Any = None
        if username:
            if rating.owner_id and rating.owner and username == rating.owner.get_username():
                owner = rating.owner  # kept, even if they have left the engagement since
            else:
                owner = members.get(username)
                if owner is None:
                    folded = members_folded.get(username.casefold(), [])
                    owner = folded[0] if len(folded) == 1 else None
                if owner is None:
                    raise sheet.fail(
                        number, "assessor", _('"%(value)s" is not a member of this engagement.') % {"value": username}
                    )
        if (owner.pk if owner else None) != rating.owner_id:
            wanted["owner"] = owner
        notes = without_control_characters(cells["notes"]).strip()
        if len(notes) > NOTES_MAX:
            raise sheet.fail(number, "notes", _("at most %(n)s characters.") % {"n": NOTES_MAX})
        if not _same_text(notes, rating.notes):
            wanted["notes"] = notes

        if not wanted:
            continue
        if version != rating.version and cells["check"] == fingerprint(
            value, target, documentation, owner.pk if owner else None, notes
        ):
            continue  # the row is as exported: what was saved in certprep since stays
        if version != rating.version:
            raise ConflictError(
                _(
                    "%(where)s (%(ref)s): this requirement was changed in certprep since the export (version "
                    "%(theirs)s there, %(yours)s in the file), and the file changes it too. Nothing was imported: "
                    "export again and redo your changes in the new workbook."
                )
                % {
                    "where": _where(RATINGS_SHEET, number),
                    "ref": rating.requirement.ref_id,
                    "theirs": rating.version,
                    "yours": version,
                }
            )
        changes.append(_RatingChange(rating=rating, row=number, changes=wanted))
    return changes


@dataclass
class _LinkPlan:
    added: list[tuple[int, Rating, str, str]] = field(default_factory=list)  # row, rating, url, title
    # row, evidence, rating, url, title
    changed: list[tuple[int, Evidence, Rating, str, str]] = field(default_factory=list)
    removed: list[Evidence] = field(default_factory=list)


def _parse_evidence(raw: bytes, filename: str, assessment: Assessment, exported_at: datetime.datetime) -> _LinkPlan:
    sheet = _Sheet(EVIDENCE_SHEET, evidence_columns())
    rows = list(read_rows(raw, filename, sheet=EVIDENCE_SHEET, max_columns=len(sheet.columns) + SPARE_COLUMNS))
    _check_header(sheet, rows, evidence_columns)
    ratings = _ratings(assessment)
    by_ref: dict[str, Rating] = {}
    for rating in ratings:  # a reference both current and dropped by a newer framework: the current one
        ref = rating.requirement.ref_id
        if ref not in by_ref or (rating.requirement.is_current and not by_ref[ref].requirement.is_current):
            by_ref[ref] = rating
    rating_by_id = {r.pk: r for r in ratings}
    stored = {e.pk: e for e in _evidence(assessment)}
    link_words = {"", str(EvidenceKind.LINK.value), str(EvidenceKind.LINK.label).lower()}
    plan = _LinkPlan()
    seen: dict[int, int] = {}

    def rating_of(number: int, ref: str) -> Rating:
        if not ref:
            raise sheet.fail(number, "ref", _("give the reference of the requirement the link supports."))
        found = by_ref.get(ref)
        if found is None:
            raise sheet.fail(number, "ref", _('there is no requirement "%(ref)s" in this assessment.') % {"ref": ref})
        return found

    def link_of(number: int, text: str) -> str:
        try:
            return clean_url(text)
        except ServiceError as exc:
            raise sheet.fail(number, "link", exc.message) from exc

    def title_of(number: int, text: str) -> str:
        """The link's title as the evidence service stores it: one line (core.text.single_line), single spaces."""
        try:
            return " ".join(single_line(text, field="title", label=_("The title"), limit=TITLE_MAX).split())
        except ServiceError as exc:
            raise sheet.fail(number, "title", exc.message) from exc

    for number, values in rows[1:]:
        cells = sheet.cells(values)
        if not any(cells.values()):
            continue
        if cells["id"]:
            evidence_id = _whole(cells["id"])
            if evidence_id is None:
                raise sheet.fail(
                    number,
                    "id",
                    _('"%(value)s" is not an evidence id; leave it empty for a new link.') % {"value": cells["id"]},
                )
            evidence = stored.get(evidence_id)
            if evidence is None:
                raise sheet.fail(
                    number,
                    "id",
                    _(
                        "there is no evidence %(id)s in this assessment (it may have been removed in certprep since "
                        "the export). Delete the row, or empty the id to add the link again."
                    )
                    % {"id": evidence_id},
                )
            if evidence_id in seen:
                raise sheet.fail(
                    number,
                    "id",
                    _("evidence %(id)s appears twice (also on row %(row)s).")
                    % {"id": evidence_id, "row": seen[evidence_id]},
                )
            seen[evidence_id] = number
            if evidence.kind != EvidenceKind.LINK:
                continue  # files and survey answers are listed for information only
            rating = rating_of(number, cells["ref"])
            title = title_of(number, cells["title"])
            url = link_of(number, cells["link"])
            title = title or url[:TITLE_MAX]
            if (rating.pk, url, title) != (evidence.rating_id, evidence.url, evidence.title):
                plan.changed.append((number, evidence, rating, url, title))
        else:
            if cells["kind"].lower() not in link_words:
                raise sheet.fail(
                    number,
                    "kind",
                    _("only links can be added in the workbook; add files and survey answers in certprep."),
                )
            rating = rating_of(number, cells["ref"])
            title = title_of(number, cells["title"])
            url = link_of(number, cells["link"])
            plan.added.append((number, rating, url, title))

    plan.removed = [
        e for pk, e in stored.items() if e.kind == EvidenceKind.LINK and pk not in seen and e.added_at <= exported_at
    ]
    # Room: no requirement may end with more pieces of evidence than certprep allows.
    count: dict[int, int] = {}
    for item in stored.values():
        count[item.rating_id] = count.get(item.rating_id, 0) + 1
    for item in plan.removed:
        count[item.rating_id] -= 1
    arriving: list[tuple[int, Rating]] = []
    for number, evidence, rating, _url, _title in plan.changed:
        if rating.pk != evidence.rating_id:
            count[evidence.rating_id] -= 1
            arriving.append((number, rating))
    arriving += [(number, rating) for number, rating, _url, _title in plan.added]
    for number, rating in sorted(arriving, key=lambda pair: pair[0]):
        count[rating.pk] = count.get(rating.pk, 0) + 1
        if count[rating.pk] > MAX_EVIDENCE_PER_RATING:
            raise sheet.fail(
                number,
                "ref",
                _("requirement %(ref)s would have more than %(n)s pieces of evidence.")
                % {"ref": rating_by_id[rating.pk].requirement.ref_id, "n": MAX_EVIDENCE_PER_RATING},
            )
    return plan


@transaction.atomic
def assessment_import(*, assessment: Assessment, actor: Any, raw: bytes, filename: str) -> dict[str, int]:
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
    for evidence in links.removed:
        evidence.rating.assessment = current
        evidence_delete(evidence=evidence, actor=actor)
    for _number, evidence, rating, url, title in links.changed:
        before = {"requirement": str(evidence.rating.requirement), "url": evidence.url, "title": evidence.title}
        after = {"requirement": str(rating.requirement), "url": url, "title": title}
        evidence.rating, evidence.url, evidence.title = rating, url, title
        evidence.save(update_fields=["rating", "url", "title"])
        audit_record(
            engagement=current.engagement,
            actor=actor,
            action="update",
            obj=evidence,
            changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        )
    for _number, rating, url, title in links.added:
        rating.assessment = current
        evidence_add_link(rating=rating, actor=actor, url=url, title=title)

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
