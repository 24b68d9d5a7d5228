"""Writing the assessment workbook (see the package's docstring for its sheets)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from certprep.core.sheet_columns import (
    BOLD,
    READ_ONLY_FILL,
    READ_ONLY_FONT,
    TITLE_FONT,
    WRAP,
    Column,
    append_row,
    set_widths,
    style_body,
    workbook_bytes,
    write_header,
)
from certprep.core.spreadsheets import neutralize
from certprep.core.xlsx import column_letter
from certprep.gaps.choices import Achievement, Capability, Compliance, Documentation, EvidenceKind, Scale
from certprep.gaps.models import Assessment, Evidence, Rating
from certprep.gaps.rules import ACHIEVEMENTS, ATTRIBUTE_KEYS, clean_attributes, effective_target, gap, scale_max
from certprep.gaps.selectors.documents import attach_documentation
from certprep.gaps.selectors.weights import weights_by_requirement
from certprep.gaps.spreadsheet.columns import (
    ABOUT_SHEET,
    ASSESSMENT_SHEET,
    EVIDENCE_SHEET,
    EXTRA_ROWS,
    KEY_ASSESSMENT,
    KEY_EXPORTED,
    KEY_FRAMEWORK,
    KEY_NAME,
    KEY_SCALE,
    KEY_TARGET,
    LISTS_SHEET,
    RATINGS_SHEET,
    evidence_columns,
    fingerprint,
    identity_columns,
    rating_columns,
    scale_label,
    workbook_scale,
)

# Reads shared with the import --------------------------------------------------------------------------


def members(assessment: Assessment) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(memberships__engagement_id=assessment.engagement_id)
        .order_by("username")
        .distinct()
    )


def ratings(assessment: Assessment) -> list[Rating]:
    """The ratings with their documentation status and the engagement's weight attached (fixed queries)."""
    rows = list(
        Rating.objects.filter(assessment=assessment)
        .select_related("requirement", "owner")
        .order_by("requirement__order", "pk")
    )
    attach_documentation(rows, assessment.engagement_id)
    weights = weights_by_requirement(assessment.engagement_id, assessment.framework_id)
    for rating in rows:
        rating.weight = weights.get(rating.requirement_id, rating.requirement.weight)  # type: ignore[attr-defined]
    return rows


def evidence(assessment: Assessment) -> list[Evidence]:
    return list(
        Evidence.objects.filter(rating__assessment=assessment)
        .select_related("rating__requirement", "answer__question", "answer__response__respondent__person")
        .order_by("rating__requirement__order", "rating_id", "added_at", "pk")
    )


# Cells -------------------------------------------------------------------------------------------------


def _evidence_link(item: Evidence) -> str:
    if item.kind == EvidenceKind.LINK:
        return item.url
    if item.kind == EvidenceKind.FILE:
        return item.original_name
    answer = item.answer
    if answer is None:
        return _("(the survey answer was deleted)")
    return f"{answer.response.respondent.person.name}: {answer.question.tr.text}"


def _rating_value(rating: Rating, key: str, attributes: dict[str, str], assessment: Assessment) -> Any:
    """The cell of one column of a rating's row."""
    requirement = rating.requirement
    capability = rating.scale == Scale.CAPABILITY
    if key.startswith("pa:"):
        return attributes.get(key[3:]) if capability else None
    values: dict[str, Any] = {
        "id": lambda: rating.pk,
        "version": lambda: rating.version,
        "ref": lambda: requirement.ref_id,
        "title": lambda: requirement.tr.name,
        "description": lambda: requirement.tr.description,
        "weight": lambda: getattr(rating, "weight", requirement.weight),
        "scale": lambda: rating.scale,
        "computed": lambda: rating.level if capability else None,
        "level": lambda: rating.level if rating.scale == Scale.COMPLIANCE else None,
        "target": lambda: rating.target,
        "gap": lambda: gap(rating.level, effective_target(rating.target, assessment.default_target, rating.scale)),
        "documentation": lambda: rating.documentation,
        "assessor": lambda: rating.owner.get_username() if rating.owner_id and rating.owner else None,
        "notes": lambda: rating.notes,
        "check": lambda: fingerprint(
            attributes if capability else rating.level,
            rating.target,
            rating.documentation,
            rating.owner_id,
            rating.notes,
        ),
    }
    return values[key]()


def _rating_values(rating: Rating, columns: list[Column], assessment: Assessment) -> list[Any]:
    attributes = clean_attributes(rating.attributes or {})
    return [_rating_value(rating, column.key, attributes, assessment) for column in columns]


def _list_range(column: str, count: int) -> str:
    return f"{LISTS_SHEET}!${column}$1:${column}${max(count, 1)}"


def _validation(sheet: Worksheet, columns: list[Column], key: str, rows: int, **options: Any) -> None:
    index = next(i for i, c in enumerate(columns) if c.key == key)
    letter = column_letter(index)
    check = DataValidation(allow_blank=True, showErrorMessage=True, errorStyle="stop", **options)
    check.error = str(neutralize(str(columns[index].help)))
    check.errorTitle = _("Not an allowed value")
    sheet.add_data_validation(check)
    check.add(f"{letter}2:{letter}{max(rows, 1) + 1}")


# Sheets ------------------------------------------------------------------------------------------------


def _ratings_sheet(sheet: Worksheet, assessment: Assessment, rows: list[Rating], scale: str, people: int) -> None:
    columns = rating_columns(scale)
    write_header(sheet, columns)
    for rating in rows:
        append_row(sheet, _rating_values(rating, columns, assessment))
    style_body(sheet, columns, len(rows))
    sheet.freeze_panes = "D2"
    sheet.column_dimensions[column_letter(len(columns) - 1)].hidden = True  # the row check
    sheet.auto_filter.ref = f"A1:{column_letter(len(columns) - 2)}{len(rows) + 1}"
    top = scale_max(Scale.CAPABILITY if scale == Scale.MIXED else scale)
    count = len(rows)
    if scale in (Scale.CAPABILITY, Scale.MIXED):
        for key in ATTRIBUTE_KEYS:
            _validation(sheet, columns, "pa:" + key, count, type="list", formula1='"' + ",".join(ACHIEVEMENTS) + '"')
    if scale in (Scale.COMPLIANCE, Scale.MIXED):
        top_step = str(scale_max(Scale.COMPLIANCE))
        _validation(sheet, columns, "level", count, type="whole", operator="between", formula1="0", formula2=top_step)
    _validation(sheet, columns, "target", count, type="whole", operator="between", formula1="1", formula2=str(top))
    documentation_values = [v for v in Documentation.values if v]
    _validation(
        sheet, columns, "documentation", count, type="list", formula1=_list_range("A", len(documentation_values))
    )
    if people:
        _validation(sheet, columns, "assessor", count, type="list", formula1=_list_range("B", people))


def _evidence_sheet(sheet: Worksheet, items: list[Evidence], references: list[str]) -> None:
    columns = evidence_columns()
    write_header(sheet, columns)
    for item in items:
        append_row(sheet, [item.pk, item.rating.requirement.ref_id, item.kind, item.title, _evidence_link(item)])
    style_body(sheet, columns, len(items), grey_read_only=False)
    for index, item in enumerate(items, start=2):
        if item.kind != EvidenceKind.LINK:  # informational rows
            for cell in sheet[index]:
                cell.fill = READ_ONLY_FILL
                cell.font = READ_ONLY_FONT
    sheet.freeze_panes = "A2"
    rows = len(items) + EXTRA_ROWS
    _validation(sheet, columns, "ref", rows, type="list", formula1=_list_range("C", len(references)))
    _validation(sheet, columns, "kind", rows, type="list", formula1='"' + ",".join(EvidenceKind.values) + '"')


def _identity_rows(assessment: Assessment, exported_at: datetime.datetime) -> list[tuple[str, Any, str]]:
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
        (KEY_SCALE, scale, _("The rating scale: %(scale)s.") % {"scale": scale_label(scale)}),
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


def _identity_sheet(sheet: Worksheet, assessment: Assessment, exported_at: datetime.datetime) -> None:
    write_header(sheet, identity_columns())
    for row in _identity_rows(assessment, exported_at):
        append_row(sheet, row)


def _lists_sheet(sheet: Worksheet, people: list[Any], references: list[str]) -> None:
    columns = (
        [v for v in Documentation.values if v],
        [user.get_username() for user in people],
        references,
    )
    for column, values in enumerate(columns, start=1):
        for row, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=neutralize(value))
    sheet.sheet_state = "hidden"


def assessment_export(assessment: Assessment) -> bytes:
    """The assessment as an .xlsx workbook (bytes)."""
    exported_at = timezone.now()
    rows = ratings(assessment)
    people = members(assessment)
    references = list(dict.fromkeys(r.requirement.ref_id for r in rows))
    scale = workbook_scale(assessment)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = RATINGS_SHEET
    _ratings_sheet(sheet, assessment, rows, scale, len(people))
    _evidence_sheet(book.create_sheet(EVIDENCE_SHEET), evidence(assessment), references)
    _identity_sheet(book.create_sheet(ASSESSMENT_SHEET), assessment, exported_at)
    _about_sheet(book.create_sheet(ABOUT_SHEET), assessment, scale)
    _lists_sheet(book.create_sheet(LISTS_SHEET), people, references)
    return workbook_bytes(book)


# About -------------------------------------------------------------------------------------------------


def _about_intro(assessment: Assessment) -> list[tuple[str, str] | str]:
    return [
        _("About this workbook"),
        (
            _("Assessment"),
            _("%(name)s (%(scale)s, default target %(target)s)")
            % {"name": assessment.name, "scale": scale_label(assessment.scale), "target": assessment.default_target},
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
    ]


def _about_scale(assessment: Assessment, scale: str) -> list[tuple[str, str] | str]:
    rows: list[tuple[str, str] | str] = [_("Rating scale: %(scale)s") % {"scale": scale_label(scale)}]
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
    top = scale_max(Scale.CAPABILITY if scale == Scale.MIXED else scale)
    target = (
        _(
            "1 to %(max)s, or empty for the assessment's default target (%(default)s). A requirement on the "
            "compliance scale takes at most 3."
        )
        if scale == Scale.MIXED
        else _("1 to %(max)s, or empty for the assessment's default target (%(default)s).")
    )
    rows.append((_("Target"), target % {"max": top, "default": assessment.default_target}))
    rows.append(_("Documentation values"))
    rows += [(str(value) or _("(empty)"), str(label)) for value, label in Documentation.choices]
    return rows


def _about_evidence() -> list[tuple[str, str] | str]:
    return [
        _('Sheet "%(sheet)s"') % {"sheet": EVIDENCE_SHEET},
        *[(str(c.header), str(c.help)) for c in evidence_columns()],
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


def _about_sheet(sheet: Worksheet, assessment: Assessment, scale: str) -> None:
    """What every column means, which are read-only, the allowed values and the import rules: a title
    (a text) or a term and its explanation per row."""
    rows = [
        *_about_intro(assessment),
        _('Sheet "%(sheet)s"') % {"sheet": RATINGS_SHEET},
        *[(str(c.header), str(c.help)) for c in rating_columns(scale)],
        *_about_scale(assessment, scale),
        *_about_evidence(),
    ]
    first = True
    for item in rows:
        if isinstance(item, str):
            if not first:
                sheet.append([])
            append_row(sheet, [item])
            sheet.cell(row=sheet.max_row, column=1).font = TITLE_FONT if first else BOLD
            first = False
        else:
            append_row(sheet, item)
            sheet.cell(row=sheet.max_row, column=1).font = BOLD
            for cell in sheet[sheet.max_row]:
                cell.alignment = WRAP
    set_widths(sheet, {"A": 26, "B": 100})
