"""Import and export of the people list: checked whole before anything is written, and lossless both ways.
Test workbooks are built, and exports read back, with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.people.models import Person
from certprep.people.selectors import pairs_of
from certprep.people.services import person_create
from certprep.people.workbook import people_export, people_import, people_template

pytestmark = pytest.mark.django_db

HEADERS = ["Name", "Department", "Job title", "E-mail", "Roles"]
OLD_HEADERS = ["Name", "Department", "Job title", "E-mail", "SMS roles", "Processes"]


def held(name):
    return pairs_of(Person.objects.get(name=name))


def xlsx(rows, title="People"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(engagement, owner, raw, filename="people.xlsx"):
    return people_import(engagement=engagement, actor=owner, raw=raw, filename=filename)


def refused(engagement, owner, raw, filename="people.xlsx"):
    with pytest.raises(ServiceError) as caught:
        run(engagement, owner, raw, filename)
    assert not Person.objects.exists(), "a refused import writes nothing"
    return caught.value.message


def read_back(raw):
    workbook = load_workbook(io.BytesIO(raw))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_a_good_workbook_adds_everyone_with_roles_for_processes_in_every_spelling(engagement, owner):
    raw = xlsx(
        [
            HEADERS,
            [
                "Ann Lee",
                "IT Operations",
                "Service desk lead",
                "ann@client-a.example",
                "Incident: owner, manager; Problem management: manager",
            ],
            [None, None, None, None, None],
            [
                "Bob Chen",
                "Quality",
                "Quality manager",
                "bob@client-a.example",
                "质量经理；事件管理：协调员\nrelease: executor",
            ],
            ["Cai Wen", "Board", "CEO", None, "TOP MANAGEMENT"],
        ]
    )
    result = run(engagement, owner, raw)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert held("Ann Lee") == [
        ("process_owner", "incident"),
        ("process_manager", "incident"),
        ("process_manager", "problem"),
    ]
    assert held("Bob Chen") == [
        ("quality_manager", ""),
        ("process_coordinator", "incident"),
        ("process_executor", "release"),
    ]
    assert held("Cai Wen") == [("top_management", "")]
    assert Person.objects.get(name="Cai Wen").email == ""
    assert AuditEntry.objects.filter(object_type="people.person", action="create").count() == 3
    summary = AuditEntry.objects.get(object_type="engagements.engagement", action="update")
    assert summary.changes["added"] == [None, 3]
    assert summary.changes["updated"] == [None, 0]
    assert "people.xlsx" in summary.changes["via"][1]


def test_an_older_list_with_sms_roles_and_processes_columns_still_imports(engagement, owner):
    raw = xlsx(
        [
            OLD_HEADERS,
            [
                "Ann Lee",
                "",
                "",
                "ann@client-a.example",
                "process_manager; Process owner",
                "incident, Problem management",
            ],
            ["Bob Chen", "", "", "", "质量经理", "事件管理"],
        ]
    )
    run(engagement, owner, raw)
    # The old columns did not say which role went with which process: each process role for each process.
    assert held("Ann Lee") == [
        ("process_owner", "incident"),
        ("process_manager", "incident"),
        ("process_owner", "problem"),
        ("process_manager", "problem"),
    ]
    assert held("Bob Chen") == [("quality_manager", "")]


def test_a_good_csv_with_columns_in_another_order_is_imported(engagement, owner):
    text = "E-mail,NAME,Roles\r\nann@client-a.example,Ann Lee,Incident management: executor\r\n,,\r\n,Bob Chen,\r\n"
    result = run(engagement, owner, text.encode("utf-8-sig"), "people.csv")
    assert result.created == 2
    assert Person.objects.get(name="Ann Lee").email == "ann@client-a.example"
    assert held("Ann Lee") == [("process_executor", "incident")]
    assert held("Bob Chen") == []


def test_chinese_headers_and_full_width_punctuation_are_accepted(engagement, owner):
    raw = xlsx(
        [
            ["姓名", "部门", "职务", "电子邮件", "角色"],
            ["李伟", "运维部", "经理", "li.wei@client-a.example", "变更管理：所有者；服务管理体系经理"],
        ]
    )
    run(engagement, owner, raw)
    person = Person.objects.get()
    assert (person.name, person.department, person.job_title) == ("李伟", "运维部", "经理")
    assert held("李伟") == [("sms_manager", ""), ("process_owner", "change")]


def test_process_names_of_the_lens_are_accepted(engagement, owner):
    run(
        engagement,
        owner,
        xlsx([["Name", "Roles"], ["Ann", "Service continuity and availability management: owner; 供方管理：经理"]]),
    )
    assert held("Ann") == [("process_owner", "continuity-availability"), ("process_manager", "supplier")]


def test_roles_in_the_import_fill_the_matrix(engagement, owner):
    from certprep.responsibilities.selectors import matrix_view
    from certprep.responsibilities.services import matrix_from_template

    matrix_from_template(engagement=engagement, actor=owner)
    run(
        engagement,
        owner,
        xlsx(
            [
                ["Name", "Roles"],
                ["Gao Bo", "Change: owner, manager"],
                ["He Ping", "Change: coordinator"],
                ["Liu Yang", "Incident: owner"],
                ["Zhou Anna", "SMS manager"],
            ]
        ),
    )
    view = matrix_view(engagement)
    change = dict((role.key, [p.name for p in people]) for role, people in view.block("change").columns)
    incident = dict((role.key, [p.name for p in people]) for role, people in view.block("incident").columns)
    assert change["process-owner"] == ["Gao Bo"]
    assert change["process-coordinator"] == ["He Ping"]
    assert incident["process-owner"] == ["Liu Yang"]
    assert incident["process-manager"] == []
    assert change["sms-manager"] == incident["sms-manager"] == ["Zhou Anna"]


def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(engagement, owner):
    rows = [HEADERS] + [[f"Person {n}", "", "", f"p{n}@client-a.example", "", ""] for n in range(2, 7)]
    rows.append(["Bob", "", "", "bob@", "", ""])  # row 7
    message = refused(engagement, owner, xlsx(rows))
    assert message == 'Row 7, column D (E-mail): "bob@" is not a valid e-mail address.'
    assert not AuditEntry.objects.filter(object_type="people.person").exists()


def test_a_bad_row_refuses_the_whole_csv_too(engagement, owner):
    message = refused(engagement, owner, b"Name,E-mail\nAnn,ann@x.example\n,bob@x.example\n", "people.csv")
    assert message == "Row 3, column A (Name): Every person needs a name."


def test_duplicate_e_mails_in_the_file_name_both_rows(engagement, owner):
    raw = xlsx(
        [
            HEADERS,
            ["Ann", "", "", "ann@x.example"],
            ["Bob", "", "", "bob@x.example"],
            ["Ann 2", "", "", "ANN@x.example"],
        ]
    )
    message = refused(engagement, owner, raw)
    assert message.startswith("Row 4, column D (E-mail):")
    assert "also on row 2" in message


def test_an_unknown_role_is_refused_with_its_row_column_and_pair(engagement, owner):
    message = refused(engagement, owner, xlsx([HEADERS, ["Ann", "", "", "", "Incident: manager; Change: boss"]]))
    assert message.startswith('Row 2, column E (Roles): "Change: boss": "boss" is not a role held for a process.')


def test_an_unknown_process_is_refused_with_its_row_column_and_pair(engagement, owner):
    message = refused(engagement, owner, xlsx([HEADERS, ["Ann", "", "", "", "Incident: owner; Coffee making: owner"]]))
    assert message.startswith(
        'Row 2, column E (Roles): "Coffee making: owner": "Coffee making" is not one of the processes.'
    )


def test_an_unknown_process_in_an_older_list_is_refused_with_its_row_and_column(engagement, owner):
    message = refused(
        engagement, owner, xlsx([OLD_HEADERS, ["Ann", "", "", "", "Process owner", "incident; Coffee making"]])
    )
    assert message.startswith('Row 2, column F (Processes): "Coffee making" is not one of the processes.')


def test_the_column_letter_follows_the_file_not_the_usual_order(engagement, owner):
    message = refused(engagement, owner, xlsx([["体系角色", "姓名"], ["老板", "Ann"]]))
    assert message.startswith('Row 2, column A (体系角色): "老板"')


def test_a_file_without_a_name_column_is_refused_naming_the_header_row(engagement, owner):
    message = refused(engagement, owner, xlsx([[], ["Department", "E-mail"], ["IT", "ann@x.example"]]))
    assert message.startswith('Row 2 (the header row) has no "Name" column.')


def test_an_unknown_column_is_refused_rather_than_ignored(engagement, owner):
    message = refused(engagement, owner, xlsx([["Name", "Emial"], ["Ann", "ann@x.example"]]))
    assert message.startswith('Row 1, column B: "Emial" is not a column of the people list.')


def test_a_value_under_no_header_is_refused(engagement, owner):
    message = refused(engagement, owner, xlsx([["Name"], ["Ann", "surprise"]]))
    assert message == "Row 2, column B holds a value but the column has no header."


def test_an_empty_file_is_refused(engagement, owner):
    assert "The file is empty" in refused(engagement, owner, xlsx([]))


def test_a_text_file_named_xlsx_is_refused(engagement, owner):
    message = refused(engagement, owner, b"Name,E-mail\nAnn,ann@x.example\n", "people.xlsx")
    assert message == "The file is not a readable Excel workbook (.xlsx)."


def test_other_file_types_are_refused(engagement, owner):
    assert "Upload an Excel workbook" in refused(engagement, owner, b"Name\nAnn\n", "people.txt")


def test_rows_with_a_known_e_mail_update_that_person_and_others_are_added(engagement, owner):
    ann = person_create(
        engagement=engagement, actor=owner, name="Ann Lee", email="ann@client-a.example", department="IT"
    )
    raw = xlsx(
        [["E-mail", "Name", "Job title"], ["ANN@client-a.example", "Ann Lee", "Director"], ["bob@x.example", "Bob", ""]]
    )
    result = run(engagement, owner, raw)
    assert (result.created, result.updated) == (1, 1)
    ann.refresh_from_db()
    assert ann.job_title == "Director", "columns absent from the file are kept"
    assert ann.department == "IT", "columns absent from the file are kept"
    assert ann.version == 2
    assert AuditEntry.objects.get(object_type="people.person", action="update").changes == {
        "job_title": ["", "Director"],
        "email": ["ann@client-a.example", "ANN@client-a.example"],
    }, "the e-mail matches in any case and the file's spelling is kept"


def test_a_row_gives_an_e_mail_to_the_person_of_the_same_name_who_had_none(engagement, owner):
    ann = person_create(engagement=engagement, actor=owner, name="Ann Lee")
    result = run(engagement, owner, xlsx([["Name", "E-mail"], ["ann lee", "ann@client-a.example"]]))
    assert (result.created, result.updated) == (0, 1)
    ann.refresh_from_db()
    assert ann.email == "ann@client-a.example"
    assert ann.name == "ann lee"


def _everything(engagement):
    return [
        (values, pairs_of(Person.objects.get(pk=values["id"]))) for values in Person.objects.order_by("pk").values()
    ]


def test_exported_text_is_neutralized_and_the_round_trip_changes_nothing(engagement, owner):
    tricky = [
        ('=HYPERLINK("http://evil.example","click")', "+44 team", "-lead", "", [("process_owner", "")]),
        (
            "@Ann",
            "'quoted",
            "Engineer",
            "ann@client-a.example",
            [("sms_manager", ""), ("process_manager", "incident"), ("process_owner", "change")],
        ),
        ("Li Wei", "", "", "", [("process_executor", "continuity-availability")]),
        ("Li Wei", "Other team", "", "", [("top_management", "")]),
    ]
    for name, department, job, email, roles in tricky:
        person_create(
            engagement=engagement,
            actor=owner,
            name=name,
            department=department,
            job_title=job,
            email=email,
            roles=roles,
        )
    before = _everything(engagement)
    raw = people_export(engagement=engagement)
    rows = read_back(raw)
    assert rows[0] == HEADERS
    cells = [cell for row in rows[1:] for cell in row if isinstance(cell, str)]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), "no cell may run as a formula"
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "''quoted" in cells
    assert [
        "'@Ann",
        "''quoted",
        "Engineer",
        "ann@client-a.example",
        "SMS manager; Incident management: manager; Change management: owner",
    ] in rows
    result = run(engagement, owner, raw, "export.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert _everything(engagement) == before


def test_the_round_trip_is_lossless_with_the_catalogue_loaded(engagement, owner, catalogue):
    person_create(
        engagement=engagement,
        actor=owner,
        name="Ann",
        roles=[("process_owner", "budgeting-accounting"), ("process_executor", "release")],
    )
    before = _everything(engagement)
    result = run(engagement, owner, people_export(engagement=engagement))
    assert result.unchanged == 1
    assert _everything(engagement) == before


def test_neutralized_cells_typed_in_a_file_are_restored(engagement, owner):
    run(engagement, owner, xlsx([["Name", "Department"], ["'=1+2", "'-ops"]]))
    person = Person.objects.get()
    assert (person.name, person.department) == ("=1+2", "-ops")


def test_the_template_has_the_headers_and_a_help_sheet_with_roles_and_processes(engagement):
    workbook = load_workbook(io.BytesIO(people_template()))
    assert workbook.sheetnames == ["People", "Help"]
    assert [cell.value for cell in workbook["People"][1]] == HEADERS
    help_text = [cell for row in workbook["Help"].iter_rows(values_only=True) for cell in row if cell]
    assert "sms_manager" in help_text
    assert "SMS manager" in help_text
    assert "服务管理体系经理" in help_text
    assert "process_manager" in help_text
    assert "manager" in help_text
    assert "经理" in help_text
    assert "incident" in help_text
    assert "Incident management" in help_text
    assert "事件管理" in help_text


def test_the_template_imports_as_an_empty_list(engagement, owner):
    result = run(engagement, owner, people_template(), "template.xlsx")
    assert (result.created, result.updated) == (0, 0)
