"""The people pages: list with search and filters, add, edit, delete, import and export, and who may do what."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from certprep.core.models import AuditEntry
from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory
from certprep.people.models import Person, RoleAssignment
from certprep.people.selectors import pairs_of
from certprep.people.services import person_create, person_update

pytestmark = pytest.mark.django_db

HEADERS = ["Name", "Department", "Job title", "E-mail", "Roles"]


def url(name, engagement, *args):
    return reverse(f"survey:{name}", args=[engagement.pk, *args])


def add(engagement, owner, name="Ann Lee", **values):
    return person_create(engagement=engagement, actor=owner, name=name, **values)


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def viewer_client(client, engagement, owner):
    viewer = UserFactory(username="viv")
    engagement_services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    return client


def test_sign_in_is_required(client, engagement):
    response = client.get(url("people", engagement))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_list_shows_people_with_roles_processes_counts_and_warnings(owner_client, engagement, owner):
    add(
        engagement,
        owner,
        department="IT",
        email="ann@client-a.example",
        roles=[("process_manager", "incident"), ("sms_manager", "")],
    )
    add(engagement, owner, name="Bob Chen", roles=[("process_executor", "")])
    body = owner_client.get(url("people", engagement)).content.decode()
    assert "Ann Lee" in body
    assert "ann@client-a.example" in body
    assert "SMS manager" in body
    assert "Incident management: manager" in body
    assert "2 people" in body
    assert "no process chosen" in body
    assert "1 person holds a process role without a process" in body
    assert 'class="subnav"' in body
    assert url("person_new", engagement) in body


def test_the_list_searches_and_filters_by_role_process_and_missing_processes(owner_client, engagement, owner):
    add(engagement, owner, department="Finance", roles=[("top_management", "")])
    add(
        engagement,
        owner,
        name="Bob Chen",
        email="bob@client-a.example",
        roles=[("process_owner", "change"), ("process_executor", "incident")],
    )
    add(engagement, owner, name="Cai Wen", roles=[("process_executor", "")])
    people = url("people", engagement)

    def names(**params):
        return [row["person"].name for row in owner_client.get(people, params).context["rows"]]

    assert names() == ["Ann Lee", "Bob Chen", "Cai Wen"]
    assert names(q="financ") == ["Ann Lee"]
    assert names(q="bob@") == ["Bob Chen"]
    assert names(role="process_owner") == ["Bob Chen"]
    assert names(process="change") == ["Bob Chen"]
    assert names(role="process_owner", process="incident") == [], "role and process are held together, not crossed"
    assert names(role="process_executor", process="incident") == ["Bob Chen"]
    assert names(missing="1") == ["Cai Wen"]
    assert names(role="nonsense") == ["Ann Lee", "Bob Chen", "Cai Wen"], "an unknown filter is ignored"
    assert "1 person matches" in owner_client.get(people, {"q": "cai"}).content.decode()


def test_an_htmx_search_gets_only_the_table(owner_client, engagement, owner):
    add(engagement, owner)
    response = owner_client.get(url("people", engagement), {"q": "ann"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Ann Lee" in body
    assert "<html" not in body


def test_the_list_is_paginated_at_100(owner_client, engagement):
    Person.objects.bulk_create(Person(engagement=engagement, name=f"Person {n:03}") for n in range(130))
    response = owner_client.get(url("people", engagement))
    assert len(response.context["rows"]) == 100
    assert len(owner_client.get(url("people", engagement), {"page": 2}).context["rows"]) == 30


def test_the_list_query_count_does_not_grow_with_the_number_of_people(owner_client, engagement):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(url("people", engagement)).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        start = Person.objects.count()
        people = Person.objects.bulk_create(
            Person(engagement=engagement, name=f"P{start + i}", email=f"p{start + i}@x.example") for i in range(n)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(person=p, role=role, process_code=code)
            for p in people
            for role, code in (("process_owner", "incident"), ("process_manager", "change"), ("sms_manager", ""))
        )

    grow(3)
    small = count()
    grow(297)
    assert count() == small


def test_user_text_is_escaped(owner_client, engagement, owner):
    payload = '<script>alert("x")</script>'
    person = add(engagement, owner, name=payload, department=payload)
    for page in (url("people", engagement), url("person_edit", engagement, person.pk)):
        body = owner_client.get(page).content.decode()
        assert payload not in body
        assert "&lt;script&gt;" in body


def test_a_person_is_added_with_roles_and_processes_from_checkboxes(owner_client, engagement):
    response = owner_client.post(
        url("person_new", engagement),
        {
            "name": "Ann Lee",
            "email": "ann@client-a.example",
            "roles": ["process_owner@incident", "sms_manager@", "process_executor@change"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("people", engagement)
    assert pairs_of(Person.objects.get()) == [
        ("sms_manager", ""),
        ("process_owner", "incident"),
        ("process_executor", "change"),
    ]


def test_the_add_form_shows_roles_and_processes_as_checkboxes_with_help(owner_client, engagement):
    body = owner_client.get(url("person_new", engagement)).content.decode()
    assert 'type="checkbox" name="roles" value="sms_manager@"' in body
    assert 'type="checkbox" name="roles" value="process_owner@incident"' in body
    assert 'type="checkbox" name="roles" value="process_owner@change"' in body
    assert "the owner of change management is not the owner of capacity management" in body


def test_a_process_role_without_a_process_is_saved_with_a_warning(owner_client, engagement, owner):
    person = add(engagement, owner, name="Ann", roles=[("process_executor", "")])
    response = owner_client.post(
        url("person_edit", engagement, person.pk),
        {"name": "Ann", "roles": ["process_executor@"], "expected_version": 1},
        follow=True,
    )
    assert Person.objects.count() == 1
    assert "Process executor without a process" in response.content.decode()


def test_a_rejected_form_keeps_what_was_typed(owner_client, engagement, owner):
    add(engagement, owner, name="Bob Chen", email="bob@client-a.example")
    response = owner_client.post(
        url("person_new", engagement),
        {
            "name": "Ann Typed",
            "department": "Kept dept",
            "email": "BOB@client-a.example",
            "roles": ["process_owner@change"],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "already used by Bob Chen" in body
    assert 'value="Ann Typed"' in body
    assert 'value="Kept dept"' in body
    assert re.search(r'name="roles" value="process_owner@change"[^>]*checked', body)
    invalid = owner_client.post(url("person_new", engagement), {"name": "Ann", "email": "ann@"}).content.decode()
    assert "is not a valid e-mail address" in invalid
    assert Person.objects.count() == 1


def test_a_person_is_edited_with_the_version_check(owner_client, engagement, owner):
    person = add(engagement, owner)
    page = owner_client.get(url("person_edit", engagement, person.pk)).content.decode()
    assert 'name="expected_version" value="1"' in page
    response = owner_client.post(
        url("person_edit", engagement, person.pk), {"name": "Ann Lee-Smith", "expected_version": 1}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Ann Lee-Smith"
    assert person.version == 2


def test_a_stale_edit_shows_a_conflict_keeps_what_was_typed_and_the_other_save(owner_client, engagement, owner):
    person = add(engagement, owner)
    person_update(person=person, actor=owner, expected_version=1, data={"department": "Theirs"})
    response = owner_client.post(
        url("person_edit", engagement, person.pk),
        {"name": "Ann Lee", "department": "Mine typed", "expected_version": 1},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this" in body
    assert 'value="Mine typed"' in body
    person.refresh_from_db()
    assert person.department == "Theirs"


def test_delete_asks_for_confirmation_then_deletes(owner_client, engagement, owner):
    person = add(engagement, owner)
    first = owner_client.post(url("person_delete", engagement, person.pk))
    assert first.status_code == 200
    assert 'name="confirm" value="yes"' in first.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    response = owner_client.post(url("person_delete", engagement, person.pk), {"confirm": "yes"})
    assert response.status_code == 302
    assert not Person.objects.exists()
    assert owner_client.get(url("person_delete", engagement, person.pk)).status_code == 405


def test_the_import_page_explains_the_columns_and_links_the_template(owner_client, engagement):
    body = owner_client.get(url("people_import", engagement)).content.decode()
    assert url("people_template", engagement) in body
    assert "E-mail" in body
    assert "Change management: owner; Incident: coordinator" in body


def test_an_import_shows_the_counts(owner_client, engagement, owner):
    add(engagement, owner, email="ann@client-a.example")
    raw = xlsx([HEADERS, ["Ann Lee", "IT", "", "ann@client-a.example", ""], ["Bob", "", "", "", "Process owner"]])
    response = owner_client.post(url("people_import", engagement), {"file": upload(raw, "people.xlsx")}, follow=True)
    body = response.content.decode()
    assert "1 added, 1 updated, 0 unchanged" in body
    assert "hold a process role without a process" in body
    assert Person.objects.count() == 2


def test_a_bad_import_shows_row_and_column_and_imports_nothing(owner_client, engagement):
    raw = xlsx([HEADERS, ["Ann", "", "", "ann@x.example"], ["Bob", "", "", "bob@"]])
    response = owner_client.post(url("people_import", engagement), {"file": upload(raw, "people.xlsx")})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in body
    assert "Row 3, column D (E-mail): &quot;bob@&quot; is not a valid e-mail address." in body
    assert not Person.objects.exists()


def test_the_export_downloads_a_workbook_openpyxl_reads(owner_client, engagement, owner):
    add(engagement, owner, email="ann@client-a.example", roles=[("process_owner", "incident")])
    response = owner_client.get(url("people_export", engagement))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert list(rows[1]) == ["Ann Lee", None, None, "ann@client-a.example", "Incident management: owner"]


def test_the_template_downloads_with_a_help_sheet(owner_client, engagement):
    response = owner_client.get(url("people_template", engagement))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["People", "Help"]


def test_the_template_headers_follow_a_chinese_user(owner_client, engagement):
    owner_client.cookies["django_language"] = "zh-hans"
    response = owner_client.get(url("people_template", engagement), HTTP_ACCEPT_LANGUAGE="zh-hans")
    first = [cell.value for cell in load_workbook(io.BytesIO(response.content))["People"][1]]
    assert first == ["姓名", "部门", "职务", "电子邮件", "角色"]


def test_a_viewer_reads_but_cannot_write(viewer_client, engagement, owner):
    person = add(engagement, owner)
    body = viewer_client.get(url("people", engagement)).content.decode()
    assert "Ann Lee" in body
    assert url("person_new", engagement) not in body
    assert url("people_import", engagement) not in body
    page = viewer_client.get(url("person_edit", engagement, person.pk))
    assert page.status_code == 200
    assert "read-only" in page.content.decode()
    assert '<form method="post" class="card' not in page.content.decode()
    assert viewer_client.get(url("people_export", engagement)).status_code == 200
    assert viewer_client.get(url("person_new", engagement)).status_code == 403
    assert viewer_client.post(url("person_new", engagement), {"name": "X"}).status_code == 403
    assert (
        viewer_client.post(url("person_edit", engagement, person.pk), {"name": "X", "expected_version": 1}).status_code
        == 403
    )
    assert viewer_client.post(url("person_delete", engagement, person.pk), {"confirm": "yes"}).status_code == 403
    assert viewer_client.get(url("people_import", engagement)).status_code == 403
    raw = xlsx([["Name"], ["X"]])
    assert viewer_client.post(url("people_import", engagement), {"file": upload(raw, "p.xlsx")}).status_code == 403
    assert list(Person.objects.values_list("name", flat=True)) == ["Ann Lee"]


@pytest.mark.parametrize(
    ("name", "method", "with_person"),
    [
        ("people", "get", False),
        ("person_new", "get", False),
        ("person_new", "post", False),
        ("person_edit", "get", True),
        ("person_edit", "post", True),
        ("person_delete", "post", True),
        ("people_import", "get", False),
        ("people_import", "post", False),
        ("people_export", "get", False),
        ("people_template", "get", False),
        ("role_holders", "get", False),
        ("role_holders", "post", False),
    ],
)
def test_an_outsider_gets_404_on_every_route(outsider_client, engagement, owner, name, method, with_person):
    person = add(engagement, owner)
    args = [person.pk] if with_person else []
    response = getattr(outsider_client, method)(
        url(name, engagement, *args), {"name": "X", "confirm": "yes", "expected_version": 1}
    )
    assert response.status_code == 404
    assert list(Person.objects.values_list("name", flat=True)) == ["Ann Lee"]


def test_a_person_of_another_engagement_is_not_found(owner_client, engagement, owner, outsider):
    other = outsider.memberships.get().engagement
    foreign = person_create(engagement=other, actor=outsider, name="Foreign")
    assert owner_client.get(url("person_edit", engagement, foreign.pk)).status_code == 404
    assert owner_client.post(url("person_delete", engagement, foreign.pk), {"confirm": "yes"}).status_code == 404
    assert Person.objects.filter(pk=foreign.pk).exists()


def test_changes_made_on_the_pages_are_in_the_audit_trail(owner_client, engagement):
    owner_client.post(url("person_new", engagement), {"name": "Ann"})
    person = Person.objects.get()
    owner_client.post(url("person_edit", engagement, person.pk), {"name": "Ann B", "expected_version": 1})
    owner_client.post(url("person_delete", engagement, person.pk), {"confirm": "yes"})
    actions = list(
        AuditEntry.objects.filter(object_type="people.person").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_process_names_follow_the_language_of_the_user(owner_client, engagement, owner, catalogue):
    add(engagement, owner, roles=[("process_owner", "incident")])
    owner_client.cookies["django_language"] = "zh-hans"
    body = owner_client.get(url("people", engagement), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "事件管理" in body


# Roles per process: many holders in one form --------------------------------------------------------------


def test_the_roles_page_assigns_many_holders_in_one_form_without_preselecting_anyone(owner_client, engagement, owner):
    ann = add(engagement, owner)
    bob = add(engagement, owner, name="Bob Chen")
    cai = add(engagement, owner, name="Cai Wen", roles=[("process_owner", "change")])
    page = owner_client.get(url("role_holders", engagement))
    body = page.content.decode()
    assert page.status_code == 200
    assert "no owner" in body
    empty_cell = re.search(r'<select name="cell_process_owner@incident"[^>]*>(.*?)</select>', body, re.S).group(1)
    assert "selected" not in empty_cell, "an empty cell offers no pre-selected person"
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(
        {
            "cell_process_owner@incident": [str(ann.pk)],
            "cell_process_manager@incident": [str(ann.pk), str(bob.pk)],
            "cell_process_owner@change": [str(cai.pk), str(bob.pk)],
            "cell_sms_manager@": [str(bob.pk)],
        }
    )
    data = {key: value for key, value in data.items() if value not in (None, [], "")}
    response = owner_client.post(url("role_holders", engagement), data, follow=True)
    assert "Roles saved: 2 people changed." in response.content.decode()  # Cai Wen still owns change
    assert pairs_of(ann) == [("process_owner", "incident"), ("process_manager", "incident")]
    assert pairs_of(bob) == [("sms_manager", ""), ("process_manager", "incident"), ("process_owner", "change")]
    assert "2 owners" in response.content.decode(), "a process with two owners is flagged"
    assert AuditEntry.objects.filter(object_type="people.person", action="update").count() == 2


def test_the_roles_page_refuses_a_cell_someone_else_changed_meanwhile(owner_client, engagement, owner):
    ann = add(engagement, owner)
    bob = add(engagement, owner, name="Bob Chen")
    form = owner_client.get(url("role_holders", engagement)).context["form"]
    person_update(person=bob, actor=owner, expected_version=1, data={"roles": [("process_owner", "incident")]})
    data = {name: form[name].value() for name in form.fields}
    data["cell_process_owner@incident"] = [str(ann.pk)]
    data = {key: value for key, value in data.items() if value not in (None, [], "")}
    body = owner_client.post(url("role_holders", engagement), data).content.decode()
    assert "Someone else changed the holders of Process owner of Incident management" in body
    assert pairs_of(ann) == []
    assert pairs_of(bob) == [("process_owner", "incident")]


def test_a_viewer_sees_the_roles_page_but_cannot_save_it(viewer_client, engagement, owner):
    add(engagement, owner, roles=[("process_owner", "change")])
    body = viewer_client.get(url("role_holders", engagement)).content.decode()
    assert "Ann Lee" in body
    assert 'name="cell_' not in body
    assert viewer_client.post(url("role_holders", engagement), {}).status_code == 403


@pytest.mark.parametrize("page", ["people", "role_holders"])
def test_the_people_and_roles_pages_query_counts_do_not_grow_with_the_people(owner_client, engagement, page):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(url(page, engagement)).status_code == 200
        return len(ctx.captured_queries)

    def grow(n):
        start = Person.objects.count()
        people = Person.objects.bulk_create(Person(engagement=engagement, name=f"P{start + i}") for i in range(n))
        RoleAssignment.objects.bulk_create(
            RoleAssignment(person=p, role=role, process_code=code)
            for i, p in enumerate(people)
            for role, code in (
                ("process_owner", ["incident", "change", "release"][i % 3]),
                ("process_executor", "problem"),
            )
        )

    grow(3)
    small = count()
    grow(60)
    assert count() == small
