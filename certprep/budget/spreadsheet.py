"""The budget in Excel: the export (a "Budget" sheet with the table by category and year in the reporting
currency, a "Lines" sheet with every line both ways) and the import of budget lines from the "Lines" sheet.

The import reads through certprep.core's bounded reader (size, rows, cells and text limited before any work),
checks every row first (the first problem named by sheet, row and column) and then replaces the engagement's
typed lines in one transaction: all or nothing. Rows whose source is derived or from a quote are skipped, since
the budget recomputes them from their inputs; so an export imported again changes nothing. Text is neutralized
on the way out (core.spreadsheets), so a description starting with "=" is text, never a formula."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from certprep.budget.choices import Category, CycleYear, LineSource
from certprep.budget.models import BudgetLine
from certprep.budget.selectors.budget import budget_view
from certprep.budget.services.inputs import settings_in
from certprep.budget.services.lines import LINE_FIELDS, checked_values
from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.sheet_columns import (
    Column,
    Sheet,
    append_row,
    check_header,
    header_key,
    style_body,
    workbook_bytes,
    write_header,
)
from certprep.core.spreadsheets import read_rows
from certprep.core.xlsx import SheetLimits
from certprep.engagements.models import Engagement

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINES_SHEET = "Lines"
MAX_LINES = 5000
LIMITS = SheetLimits(max_rows=MAX_LINES + 1, max_columns=20, max_cells=(MAX_LINES + 1) * 20)

COLUMNS = (
    Column("category", gettext_lazy("Category"), gettext_lazy("One of the budget's six categories."), 28),
    Column("description", gettext_lazy("Description"), width=40, wrap=True),
    Column("quantity", gettext_lazy("Quantity"), width=10),
    Column("unit", gettext_lazy("Unit"), width=12),
    Column("unit_price", gettext_lazy("Unit price"), width=14),
    Column("currency", gettext_lazy("Currency"), gettext_lazy("ISO 4217 code: CNY, EUR, USD."), 10),
    Column(
        "cycle_year",
        gettext_lazy("Year of the cycle"),
        gettext_lazy("0 initial, 1 and 2 surveillance, 3 recertification."),
        10,
    ),
    Column("note", gettext_lazy("Note"), width=30, wrap=True),
    Column(
        "source",
        gettext_lazy("Source"),
        gettext_lazy("Derived and quote lines are recomputed, not imported."),
        12,
        editable=False,
    ),
    Column("amount", gettext_lazy("Amount"), width=14, editable=False),
    Column("reported", gettext_lazy("In the reporting currency"), width=16, editable=False),
)


def budget_export(engagement: Engagement) -> bytes:
    budget = settings_in(engagement)
    view = budget_view(engagement, budget)
    book = Workbook()
    summary = book.active
    summary.title = "Budget"
    append_row(summary, [_("Category"), *(str(label) for label in CycleYear.labels), _("Total")])
    for _key, label, values, category_total in view.rows():
        append_row(summary, [label, *values, category_total])
    append_row(summary, [_("Cash out"), *(view.rollup.cash_by_year[y] for y in range(4)), view.rollup.cash_total])
    append_row(summary, [_("Reporting currency"), budget.reporting_currency])
    for pair in view.rollup.missing_pairs:
        append_row(
            summary, [_("No exchange rate from %(source)s to %(target)s") % {"source": pair[0], "target": pair[1]}]
        )
    sheet = book.create_sheet(LINES_SHEET)
    write_header(sheet, COLUMNS)
    for line, rolled in view.lines:
        append_row(
            sheet,
            [
                line.get_category_display(),
                line.description,
                line.quantity,
                line.unit,
                line.unit_price,
                line.currency,
                line.cycle_year,
                line.note,
                line.source,
                rolled.amount,
                rolled.reported,
            ],
        )
    style_body(sheet, COLUMNS, len(view.lines))
    return workbook_bytes(book)


def _categories() -> dict[str, str]:
    """Every accepted spelling of a category (its key, its label in each language) -> its key."""
    found = {header_key(c.value): c.value for c in Category}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found |= {header_key(str(c.label)): c.value for c in Category}
    return found


def _row(sheet: Sheet, number: int, cells: dict[str, str], categories: dict[str, str]) -> dict[str, Any]:
    category = categories.get(header_key(cells["category"]))
    if category is None:
        raise sheet.fail(number, "category", _("choose one of the budget's categories."))
    if cells["cycle_year"] not in ("0", "1", "2", "3"):
        raise sheet.fail(number, "cycle_year", _("enter 0, 1, 2 or 3."))
    values = {key: cells[key] for key in ("description", "quantity", "unit", "unit_price", "currency", "note")}
    try:
        return checked_values(category=category, cycle_year=int(cells["cycle_year"]), **values)
    except ServiceError as exc:
        raise sheet.fail(number, exc.field if exc.field in sheet.index else None, exc.message) from None


def read_lines(raw: bytes, filename: str) -> list[dict[str, Any]]:
    """Every typed line of the file, checked; ServiceError naming the first problem's cell."""
    sheet = Sheet(LINES_SHEET, COLUMNS)
    rows = list(read_rows(raw, filename, sheet=LINES_SHEET, max_columns=len(COLUMNS), limits=LIMITS))
    check_header(sheet, rows)
    categories = _categories()
    lines = []
    for number, values in rows[1:]:
        cells = sheet.cells(values)
        if not any(cells.values()):
            continue
        if cells["source"] and cells["source"] != LineSource.TYPED:
            continue
        lines.append(_row(sheet, number, cells, categories))
    return lines


@transaction.atomic
def budget_import(*, engagement: Engagement, actor: Actor, raw: bytes, filename: str) -> int:
    """Replace the engagement's typed lines by the file's; all or nothing. Returns the number of lines."""
    lines = read_lines(raw, filename)
    BudgetLine.objects.filter(engagement=engagement, source=LineSource.TYPED).delete()
    created = BudgetLine.objects.bulk_create(
        BudgetLine(engagement=engagement, source=LineSource.TYPED, **values) for values in lines
    )
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=engagement,
        values={"budget_lines_imported": len(created), "fields": ", ".join(LINE_FIELDS)},
    )
    return len(created)
