"""The vendor comparison as an Excel workbook: the quotes over the 3-year cycle (each in its own currency), the
criteria with their weights and sensitivity, the ranking with each criterion's contribution, and the decision.
Every text a person typed goes through core.spreadsheets.neutralize, so a vendor named "=HYPERLINK(...)" is
text in the workbook, never a formula."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from babel.numbers import get_currency_precision
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from certprep.core.spreadsheets import neutralize
from certprep.vendors import words
from certprep.vendors.rules import CycleYear
from certprep.vendors.selection import as_decimal
from certprep.vendors.selectors.comparison import Comparison, VendorRow


def _header(sheet: Worksheet, names: list[Any]) -> None:
    sheet.append([str(name) for name in names])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _flags(row: VendorRow) -> str:
    found = [str(words.ACCREDITATION[flag]) for flag in row.accreditation]
    found += [f"{answer}: {words.CHECK[question]}" for question, answer in row.check]
    if row.unpriced:
        found.append(_("a missing part needs your estimate"))
    elif row.estimated:
        found.append(_("includes estimates"))
    return "; ".join(found)


def money_format(currency: str) -> str:
    """The cell format of an amount in `currency`: its minor unit and its ISO code after the number ("1,234.50
    EUR"), so a cell copied away from its row still says its currency; the code is quoted text, never a symbol
    that a spreadsheet would read in its own locale."""
    digits = get_currency_precision(currency)
    return f'#,##0{"." + "0" * digits if digits else ""} "{currency}"'


def _quotes(sheet: Worksheet, comparison: Comparison) -> None:
    sheet.title = _("Quotes")[:31]
    _header(sheet, [_("Vendor"), _("Currency"), *words.YEARS.values(), _("Total"), _("Flags")])
    for row in comparison.rows:
        figures: list[Any] = [row.years.get(year) for year in CycleYear] + [row.total] if row.quote else [None] * 5
        sheet.append(
            [neutralize(row.vendor.name), row.quote.currency if row.quote else None, *figures, neutralize(_flags(row))]
        )
        if row.quote is not None:
            for cell in sheet[sheet.max_row][2 : 3 + len(CycleYear)]:
                cell.number_format = money_format(row.quote.currency)


def _criteria(sheet: Worksheet, comparison: Comparison) -> None:
    names = {row.vendor.pk: row.vendor.name for row in comparison.rows}
    moves = {item.criterion: item for item in comparison.sensitivity}
    _header(
        sheet,
        [
            _("Criterion"),
            _("Weight"),
            _("Share"),
            _("Price"),
            _("Points up to change the winner"),
            _("Points down to change the winner"),
            _("New winner"),
        ],
    )
    for criterion in comparison.criteria:
        move = moves.get(criterion.pk)
        winner = (move.winner_up or move.winner_down) if move else None
        sheet.append(
            [
                neutralize(criterion.shown_name),
                criterion.weight,
                as_decimal(comparison.ranking.shares[criterion.pk], 4),
                _("yes") if criterion.is_price else "",
                move.up if move else None,
                move.down if move else None,
                neutralize(names.get(winner, "")) if winner else _("no change within 0-100"),
            ]
        )


def _ranking(sheet: Worksheet, comparison: Comparison) -> None:
    names = {row.vendor.pk: row.vendor.name for row in comparison.rows}
    heads: list[Any] = [_("Rank"), _("Vendor")]
    for criterion in comparison.criteria:
        heads += [neutralize(criterion.shown_name), _("contribution")]
    _header(sheet, [*heads, _("Weighted score (of 5)")])
    for place, standing in enumerate(comparison.ranking.standings, start=1):
        cells: list[Any] = [place, neutralize(names[standing.vendor])]
        for criterion in comparison.criteria:
            score = comparison.scores.get((standing.vendor, criterion.pk))
            cells += [score.score if score else None, as_decimal(standing.contributions[criterion.pk], 4)]
        sheet.append([*cells, as_decimal(standing.total, 4)])


def _rationales(sheet: Worksheet, comparison: Comparison) -> None:
    names = {row.vendor.pk: row.vendor.name for row in comparison.rows}
    criteria = {criterion.pk: criterion.shown_name for criterion in comparison.criteria}
    _header(sheet, [_("Vendor"), _("Criterion"), _("Score"), _("Why")])
    for (vendor_id, criterion_id), score in sorted(comparison.scores.items()):
        if vendor_id in names and criterion_id in criteria:
            sheet.append(
                [
                    neutralize(names[vendor_id]),
                    neutralize(criteria[criterion_id]),
                    score.score,
                    neutralize(score.rationale),
                ]
            )


def _decision(sheet: Worksheet, comparison: Comparison) -> None:
    decision = comparison.decisions.get(comparison.kind)
    _header(sheet, [_("Vendor chosen"), _("Decided by"), _("Decided at"), _("Why")])
    if decision is not None:
        sheet.append(
            [
                neutralize(decision.vendor.name),
                neutralize(decision.decided_by_label),
                timezone.localtime(decision.decided_at).replace(tzinfo=None),
                neutralize(decision.rationale),
            ]
        )


def comparison_workbook(comparison: Comparison) -> bytes:
    book = Workbook()
    first = book.active
    if not isinstance(first, Worksheet):
        raise TypeError("a new workbook starts with a worksheet")
    _quotes(first, comparison)
    _criteria(book.create_sheet(_("Criteria")[:31]), comparison)
    _ranking(book.create_sheet(_("Ranking")[:31]), comparison)
    _rationales(book.create_sheet(_("Scores and why")[:31]), comparison)
    _decision(book.create_sheet(_("Decision")[:31]), comparison)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
