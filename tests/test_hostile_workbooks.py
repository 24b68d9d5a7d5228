"""Every spreadsheet import (people, responsibility matrix, gap assessment; page and API) refuses the
reported hostile workbooks with a message naming the limit, within a stated bound of memory.

Before the bounded reader, the width bomb below grew a worker to about 2.9 GB in the matrix and
assessment imports."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.core.tests.workbooks import MEMORY_BOUND, peak_memory, width_bomb, width_bomb_rows, with_sheet_replaced
from certprep.gaps.services import assessments as assessment_services
from certprep.gaps.spreadsheet import assessment_export, assessment_import
from certprep.people.workbook import people_import
from certprep.responsibilities.spreadsheet import matrix_export, matrix_import

REFUSED = "Cell ZZZ1 holds a value, but this import reads only the first"


@pytest.fixture
def assessment(engagement, owner, catalogue):
    return assessment_services.assessment_create(
        engagement=engagement, actor=owner, name="Baseline", assessed_on=datetime.date(2026, 11, 2), framework=catalogue
    )


def _matrix_bomb(engagement, *, with_value: bool) -> bytes:
    return with_sheet_replaced(
        matrix_export(engagement), "xl/worksheets/sheet1.xml", width_bomb_rows(with_value=with_value)
    )


def _ratings_bomb(assessment, *, with_value: bool) -> bytes:
    return with_sheet_replaced(
        assessment_export(assessment), "xl/worksheets/sheet1.xml", width_bomb_rows(with_value=with_value)
    )


def test_the_people_import_refuses_a_width_bomb_in_little_memory(engagement, owner):
    result, peak = peak_memory(
        lambda: people_import(
            engagement=engagement, actor=owner, raw=width_bomb(with_value=True), filename="people.xlsx"
        )
    )
    assert isinstance(result, ServiceError)
    assert result.message.startswith(REFUSED)
    assert peak < MEMORY_BOUND


def test_the_people_import_reads_past_a_lying_dimension_in_little_memory(engagement, owner):
    result, peak = peak_memory(
        lambda: people_import(
            engagement=engagement, actor=owner, raw=width_bomb(with_value=False), filename="people.xlsx"
        )
    )
    assert isinstance(result, ServiceError)  # 20,000 empty rows: there is no header row to read
    assert peak < MEMORY_BOUND


def test_the_matrix_import_refuses_a_width_bomb_in_little_memory(engagement, owner):
    raw = _matrix_bomb(engagement, with_value=True)
    result, peak = peak_memory(
        lambda: matrix_import(engagement=engagement, actor=owner, raw=raw, filename="matrix.xlsx")
    )
    assert isinstance(result, ServiceError)
    assert REFUSED in result.message
    assert peak < MEMORY_BOUND


def test_the_assessment_import_refuses_a_width_bomb_in_little_memory(assessment, owner):
    raw = _ratings_bomb(assessment, with_value=True)
    result, peak = peak_memory(
        lambda: assessment_import(assessment=assessment, actor=owner, raw=raw, filename="gaps.xlsx")
    )
    assert isinstance(result, ServiceError)
    assert REFUSED in result.message
    assert peak < MEMORY_BOUND


def test_the_assessment_import_reads_past_a_lying_dimension_in_little_memory(assessment, owner):
    raw = _ratings_bomb(assessment, with_value=False)
    result, peak = peak_memory(
        lambda: assessment_import(assessment=assessment, actor=owner, raw=raw, filename="gaps.xlsx")
    )
    assert isinstance(result, ServiceError)  # the header row is empty now
    assert 'row 1, column A (Rating id): the column header is ""' in result.message
    assert peak < MEMORY_BOUND


def test_the_matrix_import_page_names_the_cell(owner_client, engagement):
    upload = SimpleUploadedFile("matrix.xlsx", _matrix_bomb(engagement, with_value=True))
    page = owner_client.post(reverse("responsibilities:import", args=[engagement.pk]), {"file": upload})
    assert page.status_code == 200
    assert REFUSED in page.content.decode()


def test_the_assessment_import_api_names_the_cell(client, owner, assessment, api_token):
    upload = SimpleUploadedFile("gaps.xlsx", _ratings_bomb(assessment, with_value=True))
    answer = client.post(
        f"/api/v1/engagements/{assessment.engagement_id}/gaps/assessments/{assessment.pk}/import",
        {"file": upload},
        headers={"authorization": f"Bearer {api_token(owner)}"},
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(REFUSED)
