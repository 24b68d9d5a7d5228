"""The matrix import promises "sheet, row and column of the first problem"; an Order too large for the
database instead ends in a bare 404 page (SQLite OverflowError via OutOfRangeIdMiddleware; a DataError/500
on PostgreSQL), with no hint where the problem is."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from certprep.responsibilities import spreadsheet
from certprep.responsibilities.services import matrix_from_template

pytestmark = pytest.mark.django_db


def test_out_of_range_order_is_reported_with_its_cell(owner_client, engagement, owner, catalogue):
    matrix_from_template(engagement=engagement, actor=owner)
    workbook = load_workbook(io.BytesIO(spreadsheet.matrix_export(engagement)))
    workbook["Roles"]["C2"] = "99999999999999999999999"
    upload = io.BytesIO()
    workbook.save(upload)

    page = owner_client.post(
        reverse("responsibilities:import", args=[engagement.pk]),
        {"file": SimpleUploadedFile("matrix.xlsx", upload.getvalue())},
    )
    assert page.status_code == 200, f"answered {page.status_code} instead of the form with the error"
    assert "Sheet &quot;Roles&quot;, row 2, column C (Order)" in page.content.decode()
