"""The plan in Excel, read back with openpyxl: the Tasks and Resources sheets as an MS Project user expects them,
text neutralized against formula injection, a lossless round trip (export -> import -> export gives the same
cells), an import that is all or nothing and names sheet, row and column of the first problem, hostile
workbooks refused in little memory, the page's preview-then-replace flow and the API."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from certprep.core.errors import ConflictError, ServiceError
from certprep.core.tests.workbooks import MEMORY_BOUND, peak_memory, width_bomb, width_bomb_rows, with_sheet_replaced
from certprep.gaps.tests.factories import member
from certprep.people.tests.factories import person
from certprep.planning.choices import ConstraintType, ExchangeFormat, LagUnit, LinkType
from certprep.planning.models import Assignment, Dependency, Plan, PlanImport, Task
from certprep.planning.selectors.excel import plan_workbook
from certprep.planning.services.excel_import import excel_import, excel_preview

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 1, 4)
INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def plan(engagement):
    """Two stages with tasks under them, every link type with lags, a constraint, progress, estimates, a Chinese
    name, notes starting like a formula, and people with shares."""
    plan = Plan.objects.create(engagement=engagement, start_date=MONDAY)
    ann, bob = person(engagement, "Ann Lee"), person(engagement, "Bob Ma")
    stage = Task.objects.create(plan=plan, name="Preparation", order=10, translations={"zh-hans": {"name": "准备"}})
    design = Task.objects.create(
        plan=plan,
        name="Design",
        order=20,
        parent=stage,
        outline_level=2,
        duration_days=5,
        percent_complete=40,
        actual_start=MONDAY,
        optimistic_days=4,
        pessimistic_days=9,
        notes=INJECTION,
    )
    review = Task.objects.create(
        plan=plan,
        name="-Review",
        order=30,
        parent=stage,
        outline_level=2,
        duration_days=3,
        constraint_type=ConstraintType.SNET,
        constraint_date=datetime.date(2027, 1, 11),
    )
    audit = Task.objects.create(plan=plan, name="Audit", order=40)
    done = Task.objects.create(plan=plan, name="Ready", order=50, parent=audit, outline_level=2, milestone=True)
    Dependency.objects.create(plan=plan, predecessor=design, successor=review, type=LinkType.SS, lag=Decimal(2))
    Dependency.objects.create(
        plan=plan, predecessor=review, successor=done, type=LinkType.FF, lag=Decimal(-50), lag_unit=LagUnit.PERCENT
    )
    Dependency.objects.create(plan=plan, predecessor=design, successor=done, type=LinkType.SF, lag=Decimal("1.5"))
    Assignment.objects.create(task=design, person=ann, share=50)
    Assignment.objects.create(task=design, person=bob, share=100)
    Assignment.objects.create(task=review, person=ann, share=100)
    return plan


def _at(*day: int) -> datetime.datetime:
    """A date as openpyxl reads a date cell back: a naive date-time at midnight."""
    return datetime.datetime.combine(datetime.date(*day), datetime.time())


def _cells(raw: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(raw))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def _rows(raw: bytes, sheet: str = "Tasks") -> list[dict[str, object]]:
    rows = _cells(raw)[sheet]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _edited(raw: bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(raw))
    edit(book["Tasks"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_export_has_the_tasks_and_resources_sheets_as_ms_project_users_read_them(plan):
    raw = plan_workbook(plan)
    assert list(_cells(raw)) == ["Tasks", "Resources"]
    rows = {row["Name"]: row for row in _rows(raw)}
    assert [row["ID"] for row in _rows(raw)] == [1, 2, 3, 4, 5]
    design, review, ready = rows["Design"], rows["'-Review"], rows["Ready"]
    assert (design["WBS"], design["Outline level"], design["Duration (days)"]) == ("1.1", 2, 5)
    assert design["Start"] == _at(2027, 1, 4)
    assert design["Finish"] == _at(2027, 1, 8)
    assert design["Resources"] == "Ann Lee[50%];Bob Ma"
    assert (design["Per cent complete"], design["Optimistic (days)"], design["Pessimistic (days)"]) == (40, 4, 9)
    assert review["Predecessors"] == "2SS+2d"
    assert (review["Constraint"], review["Constraint date"]) == ("SNET", _at(2027, 1, 11))
    assert ready["Predecessors"] == "3FF-50%;2SF+1.5d"
    assert ready["Milestone"] == "Yes"
    assert rows["Preparation"]["Name (Chinese)"] == "准备"
    # Text that a spreadsheet would run as a formula is neutralized with a leading apostrophe.
    assert design["Notes"] == "'" + INJECTION
    people = _rows(raw, "Resources")
    assert people == [
        {"Name": "Ann Lee", "Tasks": 2, "Highest share (%)": 100, "Work (hours)": 44.0},
        {"Name": "Bob Ma", "Tasks": 1, "Highest share (%)": 100, "Work (hours)": 40.0},
    ]


def test_the_round_trip_gives_the_same_cells(plan, owner):
    first = plan_workbook(plan)
    imported, _preview = excel_import(
        plan=plan, actor=owner, raw=first, filename="plan.xlsx", expected_version=plan.version
    )
    plan.refresh_from_db()
    second = plan_workbook(plan)
    assert _cells(second) == _cells(first)
    assert imported.format == ExchangeFormat.XLSX
    assert imported.task_count == 5
    review = Task.objects.get(plan=plan, name="-Review")
    assert review.parent.name == "Preparation"
    assert Task.objects.get(plan=plan, name="Design").notes == INJECTION


def test_a_workbook_saved_again_by_a_spreadsheet_program_imports_the_same(plan, owner):
    """openpyxl re-saves the file as another writer would (its own shared strings, styles and order)."""
    raw = _edited(plan_workbook(plan), lambda sheet: None)
    excel_import(plan=plan, actor=owner, raw=raw, filename="plan.xlsx", expected_version=plan.version)
    plan.refresh_from_db()
    assert _cells(plan_workbook(plan)) == _cells(raw)


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("P3", "Ann Lee[50%];Zed Unknown", 'Sheet "Tasks", row 3, column P (Resources): "Zed Unknown" is not one of'),
        ("I4", "2XX", 'Sheet "Tasks", row 4, column I (Predecessors): "2XX"'),
        ("I4", "9", 'Sheet "Tasks", row 4, column I (Predecessors): there is no task with ID 9.'),
        ("C3", 4, 'Sheet "Tasks", row 3, column C (Outline level): the outline level must be from 1 to 2'),
        ("F5", "two", 'Sheet "Tasks", row 5, column F (Duration (days)): "two" is not a whole number'),
        ("K4", "SOON", 'Sheet "Tasks", row 4, column K (Constraint): "SOON" is not a constraint'),
        ("A4", 7, 'Sheet "Tasks", row 4, column A (ID): IDs number the rows'),
        ("D5", None, 'Sheet "Tasks", row 5, column D (Name): this cell must not be empty.'),
        ("N3", "31/02/2027", 'Sheet "Tasks", row 3, column N (Actual start): "31/02/2027" is not a date'),
        ("R3", 6, 'Sheet "Tasks", row 3, column R (Optimistic (days)): the optimistic duration cannot be longer'),
        ("D1", "Title", 'Sheet "Tasks", row 1, column D (Name): the column header is "Title"'),
    ],
)
def test_the_import_names_sheet_row_and_column_of_the_first_problem_and_stores_nothing(
    plan, owner, cell, value, message
):
    before = sorted(Task.objects.filter(plan=plan).values_list("pk", flat=True))

    def edit(sheet):
        sheet[cell] = value

    raw = _edited(plan_workbook(plan), edit)
    with pytest.raises(ServiceError) as refused:
        excel_import(plan=plan, actor=owner, raw=raw, filename="plan.xlsx", expected_version=plan.version)
    assert refused.value.message.startswith(message), refused.value.message
    assert sorted(Task.objects.filter(plan=plan).values_list("pk", flat=True)) == before
    assert not PlanImport.objects.filter(plan=plan).exists()


def test_a_plan_changed_since_the_preview_is_not_replaced(plan, owner):
    raw = plan_workbook(plan)
    with pytest.raises(ConflictError):
        excel_import(plan=plan, actor=owner, raw=raw, filename="plan.xlsx", expected_version=plan.version + 1)
    assert Task.objects.filter(plan=plan).count() == 5


def test_hostile_workbooks_are_refused_in_little_memory(plan):
    bomb = with_sheet_replaced(plan_workbook(plan), "xl/worksheets/sheet1.xml", width_bomb_rows(with_value=True))
    for raw, expected in (
        (bomb, "Cell ZZZ1 holds a value, but this import reads only the first 19 columns"),
        (width_bomb(with_value=True), 'The workbook has no sheet named "Tasks".'),
        (b"PK\x03\x04" + b"\0" * 100, "The file is not a readable Excel workbook (.xlsx)."),
        (b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB."),
    ):
        result, peak = peak_memory(lambda raw=raw: excel_preview(plan=plan, raw=raw, filename="plan.xlsx"))
        assert isinstance(result, ServiceError)
        assert result.message.startswith(expected), result.message
        assert peak < MEMORY_BOUND


def test_a_workbook_with_more_rows_than_the_bound_is_refused_before_it_is_checked(plan):
    book = Workbook()
    sheet = book.active
    sheet.title = "Tasks"
    for n in range(5003):
        sheet.append([n, "", 1, f"Task {n}"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ServiceError, match="more than 5,?001 rows"):
        excel_preview(plan=plan, raw=out.getvalue(), filename="plan.xlsx")


def test_the_page_previews_then_replaces_the_tasks(owner_client, engagement, plan):
    raw = _edited(plan_workbook(plan), lambda sheet: sheet.cell(row=3, column=4, value="Design the SMS"))
    upload = SimpleUploadedFile("new plan.xlsx", raw)
    preview = owner_client.post(reverse("planning:excel_upload", args=[engagement.pk]), {"file": upload})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "The file has 5 tasks. Importing it replaces the plan's 5 tasks" in body
    assert Task.objects.filter(plan=plan, name="Design").exists()  # nothing replaced yet
    digest = body.split('name="digest" value="')[1].split('"')[0]
    done = owner_client.post(
        reverse("planning:excel_confirm", args=[engagement.pk]),
        {"digest": digest, "expected_version": plan.version},
        follow=True,
    )
    assert "new plan.xlsx imported: 5 tasks." in done.content.decode()
    assert Task.objects.filter(plan=plan, name="Design the SMS").exists()
    assert PlanImport.objects.get(plan=plan).format == ExchangeFormat.XLSX
    exchange = owner_client.get(reverse("planning:exchange", args=[engagement.pk])).content.decode()
    assert "new plan.xlsx" in exchange


def test_the_page_names_the_cell_and_imports_nothing(owner_client, engagement, plan):
    raw = _edited(plan_workbook(plan), lambda sheet: sheet.cell(row=3, column=16, value="Nobody"))
    response = owner_client.post(
        reverse("planning:excel_upload", args=[engagement.pk]),
        {"file": SimpleUploadedFile("plan.xlsx", raw)},
        follow=True,
    )
    body = response.content.decode()
    assert "Nothing was imported." in body
    assert "row 3, column P (Resources): &quot;Nobody&quot; is not one of the engagement" in body
    assert not PlanImport.objects.exists()


def test_a_stale_confirmation_changes_nothing(owner_client, engagement, plan):
    owner_client.post(
        reverse("planning:excel_upload", args=[engagement.pk]),
        {"file": SimpleUploadedFile("plan.xlsx", plan_workbook(plan))},
    )
    response = owner_client.post(
        reverse("planning:excel_confirm", args=[engagement.pk]),
        {"digest": "0" * 64, "expected_version": plan.version},
        follow=True,
    )
    assert "This preview has expired" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_viewers_download_but_cannot_import_and_outsiders_get_404(client, owner, engagement, plan, outsider):
    viewer = member(engagement, owner, "vera")
    client.force_login(viewer)
    download = client.get(reverse("planning:excel_export", args=[engagement.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    upload = {"file": SimpleUploadedFile("plan.xlsx", plan_workbook(plan))}
    assert client.post(reverse("planning:excel_upload", args=[engagement.pk]), upload).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("planning:excel_export", args=[engagement.pk])).status_code == 404
    assert client.post(reverse("planning:excel_upload", args=[engagement.pk]), upload).status_code == 404


def test_the_api_exports_and_imports_with_a_preview_and_a_version(client, owner, api_token, engagement, plan):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    base = f"/api/v1/engagements/{engagement.pk}/plan"
    raw = client.get(f"{base}/export.xlsx", **headers).content
    assert _rows(raw)[1]["Name"] == "Design"
    checked = client.post(
        f"{base}/import.xlsx?version={plan.version}&preview=true",
        {"file": SimpleUploadedFile("plan.xlsx", raw)},
        **headers,
    )
    assert checked.status_code == 200
    assert json.loads(checked.content) == {
        "file_name": "plan.xlsx",
        "preview": True,
        "tasks": 5,
        "replaced": 5,
        "people": ["Ann Lee", "Bob Ma"],
        "import_id": None,
    }
    stale = client.post(
        f"{base}/import.xlsx?version={plan.version + 1}", {"file": SimpleUploadedFile("plan.xlsx", raw)}, **headers
    )
    assert stale.status_code == 409
    done = client.post(
        f"{base}/import.xlsx?version={plan.version}", {"file": SimpleUploadedFile("plan.xlsx", raw)}, **headers
    )
    assert done.status_code == 200
    assert json.loads(done.content)["import_id"] == PlanImport.objects.get(plan=plan).pk
    bad = _edited(raw, lambda sheet: sheet.cell(row=2, column=9, value="1"))
    plan.refresh_from_db()
    refused = client.post(
        f"{base}/import.xlsx?version={plan.version}", {"file": SimpleUploadedFile("plan.xlsx", bad)}, **headers
    )
    assert refused.status_code == 400
    assert "row 2, column I (Predecessors): a task cannot be its own predecessor." in refused.content.decode()


def test_a_workbook_exported_in_chinese_imports_for_someone_working_in_english(plan, owner):
    with translation.override("zh-hans"):
        raw = plan_workbook(plan)
    rows = _cells(raw)["Tasks"]
    assert rows[0][:4] == ["标识号", "WBS", "大纲级别", "名称"]
    assert rows[5][9] == "是"
    english = _cells(plan_workbook(plan))
    excel_import(plan=plan, actor=owner, raw=raw, filename="计划.xlsx", expected_version=plan.version)
    plan.refresh_from_db()
    assert _cells(plan_workbook(plan)) == english


def _more_tasks(plan, engagement, count):
    ann = person(engagement, f"Helper {count}")
    first = Task.objects.filter(plan=plan).count()
    for n in range(first, first + count):
        task = Task.objects.create(plan=plan, name=f"Extra {n}", order=100 + n, duration_days=2)
        Assignment.objects.create(task=task, person=ann, share=30)


def test_the_export_and_import_queries_do_not_grow_with_the_plan(
    owner_client, owner, engagement, plan, django_assert_max_num_queries
):
    url = reverse("planning:excel_export", args=[engagement.pk])
    counts = []
    for count in (2, 40):
        _more_tasks(plan, engagement, count)
        with django_assert_max_num_queries(12):
            owner_client.get(url)
        plan.refresh_from_db()
        raw = plan_workbook(plan)
        with CaptureQueriesContext(connection) as captured:
            excel_import(plan=plan, actor=owner, raw=raw, filename="plan.xlsx", expected_version=plan.version)
        counts.append(len(captured))
    assert counts[0] == counts[1]
