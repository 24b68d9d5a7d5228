"""The budget in Excel with the real database: the export read back with openpyxl (text neutralized, amounts
both ways), the import all or nothing with the first problem named by sheet, row and column, and an export
imported again changing nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from certprep.budget.models import BudgetLine
from certprep.budget.services.inputs import rate_add
from certprep.budget.services.lines import line_add
from certprep.budget.spreadsheet import budget_export, budget_import
from certprep.core.errors import ServiceError
from certprep.core.tests.workbooks import MEMORY_BOUND, peak_memory, width_bomb_rows, with_sheet_replaced

pytestmark = pytest.mark.django_db
D = Decimal


def _line(engagement, owner, **values):
    fields = {"category": "consulting", "description": "Gap review", "quantity": "2", "unit": "days"}
    fields |= {"unit_price": "1250.5", "currency": "CNY", "cycle_year": 0, "note": ""}
    return line_add(engagement=engagement, actor=owner, **(fields | values))


def _typed(engagement):
    return sorted(
        BudgetLine.objects.filter(engagement=engagement, source="typed").values_list(
            "category", "description", "quantity", "unit", "unit_price", "currency", "cycle_year", "note"
        )
    )


def test_the_export_reads_back_with_text_neutralized_and_amounts_both_ways(engagement, owner, owner_client):
    _line(engagement, owner, description='=HYPERLINK("http://evil.example")')
    _line(engagement, owner, description="Audit travel", unit_price="400", currency="EUR", quantity="1")
    rate_add(
        engagement=engagement, actor=owner, source="EUR", target="CNY", rate="7.8125", as_of=datetime.date(2026, 12, 1)
    )
    response = owner_client.get(reverse("budget:export", args=[engagement.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Lines"].iter_rows(min_row=2, values_only=True))
    descriptions = {row[1] for row in rows}
    assert '\'=HYPERLINK("http://evil.example")' in descriptions
    travel = next(row for row in rows if row[1] == "Audit travel")
    assert (travel[5], D(str(travel[9])), D(str(travel[10]))) == ("EUR", D("400.00"), D("3125.00"))
    summary = list(book["Budget"].iter_rows(values_only=True))
    cash = next(row for row in summary if row[0] == "Cash out")
    assert D(str(cash[5])) == D("5626.00")  # 2 x 1,250.50 + 3,125.00


def test_an_export_imported_again_changes_nothing(engagement, owner):
    _line(engagement, owner, note="+ travel")
    _line(engagement, owner, category="training", description="ITIL course", quantity="10", unit_price="1200")
    before = _typed(engagement)
    assert budget_import(engagement=engagement, actor=owner, raw=budget_export(engagement), filename="b.xlsx") == 2
    assert _typed(engagement) == before


def _edited(engagement, row, column, value):
    book = load_workbook(io.BytesIO(budget_export(engagement)))
    book["Lines"].cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("column", "value", "place", "problem"),
    [
        (6, "XYZ", "column F (Currency)", "not an ISO 4217 currency code"),
        (5, "1e30", "column E (Unit price)", "more than any budget line can hold"),
        (3, "-1", "column C (Quantity)", "zero or more"),
        (7, "5", "column G (Year of the cycle)", "enter 0, 1, 2 or 3"),
        (1, "lunch", "column A (Category)", "categories"),
    ],
)
def test_a_bad_cell_names_its_place_and_nothing_is_imported(engagement, owner, column, value, place, problem):
    _line(engagement, owner)
    _line(engagement, owner, description="Second")
    before = _typed(engagement)
    raw = _edited(engagement, 3, column, value)
    with pytest.raises(ServiceError) as refused:
        budget_import(engagement=engagement, actor=owner, raw=raw, filename="b.xlsx")
    assert f'Sheet "Lines", row 3, {place}' in refused.value.message
    assert problem in refused.value.message
    assert _typed(engagement) == before


def test_the_import_page_refuses_a_bad_file_and_imports_a_good_one(engagement, owner, owner_client):
    _line(engagement, owner)
    url = reverse("budget:import", args=[engagement.pk])
    bad = io.BytesIO(_edited(engagement, 2, 6, "XYZ"))
    bad.name = "budget.xlsx"
    page = owner_client.post(url, {"file": bad}).content.decode()
    assert "Nothing was imported." in page
    good = io.BytesIO(_edited(engagement, 2, 2, "Gap review, revised"))
    good.name = "budget.xlsx"
    assert owner_client.post(url, {"file": good}).status_code == 302
    assert BudgetLine.objects.get(engagement=engagement).description == "Gap review, revised"


def test_a_workbook_past_the_row_bound_is_refused_before_any_row_is_checked(engagement, owner):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Lines")
    sheet.append(["Category", "Description"])
    for _ in range(5001):
        sheet.append(["lunch", "x"])  # every row is bad too: the bound must speak first
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ServiceError, match="more than 5001 rows"):
        budget_import(engagement=engagement, actor=owner, raw=out.getvalue(), filename="big.xlsx")


def test_a_width_bomb_in_the_lines_sheet_is_refused_in_little_memory(engagement, owner):
    raw = with_sheet_replaced(budget_export(engagement), "xl/worksheets/sheet2.xml", width_bomb_rows(with_value=True))
    result, peak = peak_memory(lambda: budget_import(engagement=engagement, actor=owner, raw=raw, filename="b.xlsx"))
    assert isinstance(result, ServiceError)
    assert "holds a value, but this import reads only the first" in result.message
    assert peak < MEMORY_BOUND
