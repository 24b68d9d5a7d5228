"""The people API: list with filters, create, read, versioned change, delete and import; members only."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory
from certprep.people.models import Person
from certprep.people.services import person_create, person_update

pytestmark = pytest.mark.django_db


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def base(engagement):
    return f"/api/v1/engagements/{engagement.pk}/people"


def add(engagement, owner, name="Ann Lee", **values):
    return person_create(engagement=engagement, actor=owner, name=name, **values)


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "people.xlsx"
    buffer.seek(0)
    return buffer


@pytest.fixture
def owner_auth(owner, api_token):
    return auth(api_token(owner))


@pytest.fixture
def outsider_auth(outsider, api_token):
    return auth(api_token(outsider))


@pytest.fixture
def viewer_auth(engagement, owner, api_token):
    viewer = UserFactory(username="viv")
    engagement_services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    return auth(api_token(viewer))


def test_the_list_is_paginated_and_filtered(client, engagement, owner, owner_auth):
    add(engagement, owner, department="Finance", roles=[("top_management", "")])
    add(engagement, owner, name="Bob Chen", roles=[("process_owner", "change"), ("process_executor", "incident")])
    add(engagement, owner, name="Cai Wen", roles=[("process_executor", "")])
    response = client.get(base(engagement), **owner_auth)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [p["name"] for p in body["items"]] == ["Ann Lee", "Bob Chen", "Cai Wen"]
    assert body["items"][2]["warnings"]
    assert body["items"][1]["warnings"] == []
    assert [
        p["name"] for p in client.get(base(engagement), {"role": "process_owner"}, **owner_auth).json()["items"]
    ] == ["Bob Chen"]
    assert [p["name"] for p in client.get(base(engagement), {"process": "change"}, **owner_auth).json()["items"]] == [
        "Bob Chen"
    ]
    crossed = client.get(base(engagement), {"role": "process_owner", "process": "incident"}, **owner_auth).json()
    assert crossed["items"] == [], "a role and a process are held together, not crossed"
    assert body["items"][1]["roles"] == [
        {"role": "process_executor", "process": "incident"},
        {"role": "process_owner", "process": "change"},
    ]
    assert [p["name"] for p in client.get(base(engagement), {"q": "financ"}, **owner_auth).json()["items"]] == [
        "Ann Lee"
    ]
    page = client.get(base(engagement), {"limit": 2, "offset": 2}, **owner_auth).json()
    assert page["count"] == 3
    assert [p["name"] for p in page["items"]] == ["Cai Wen"]
    assert client.get(base(engagement), {"role": "boss"}, **owner_auth).status_code == 422


def test_a_person_is_created_read_changed_and_deleted(client, engagement, owner_auth):
    created = client.post(
        base(engagement),
        {
            "name": "Ann Lee",
            "email": "ann@client-a.example",
            "roles": [{"role": "process_manager", "process": "incident"}, {"role": "sms_manager"}],
        },
        content_type="application/json",
        **owner_auth,
    )
    assert created.status_code == 201
    person = created.json()
    assert person["version"] == 1
    assert person["warnings"] == []
    assert person["roles"] == [
        {"role": "sms_manager", "process": ""},
        {"role": "process_manager", "process": "incident"},
    ]
    url = f"{base(engagement)}/{person['id']}"
    assert client.get(url, **owner_auth).json()["email"] == "ann@client-a.example"
    patched = client.patch(
        url,
        {"version": 1, "job_title": "Lead", "roles": [{"role": "process_manager"}]},
        content_type="application/json",
        **owner_auth,
    )
    assert patched.status_code == 200
    assert patched.json()["version"] == 2
    assert patched.json()["job_title"] == "Lead"
    assert patched.json()["warnings"]
    assert client.delete(url, **owner_auth).status_code == 204
    assert not Person.objects.exists()


def test_invalid_input_gets_400_with_the_field(client, engagement, owner, owner_auth):
    add(engagement, owner, name="Bob Chen", email="bob@client-a.example")
    response = client.post(
        base(engagement),
        {"name": "Ann", "email": "bob@client-a.example"},
        content_type="application/json",
        **owner_auth,
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The e-mail address bob@client-a.example is already used by Bob Chen in this engagement.",
        "field": "email",
    }
    bad_process = client.post(
        base(engagement),
        {"name": "Ann", "roles": [{"role": "process_owner", "process": "coffee"}]},
        content_type="application/json",
        **owner_auth,
    )
    assert bad_process.status_code == 422
    system_role = client.post(
        base(engagement),
        {"name": "Ann", "roles": [{"role": "sms_manager", "process": "change"}]},
        content_type="application/json",
        **owner_auth,
    )
    assert system_role.status_code == 400
    assert system_role.json()["field"] == "roles"
    older = client.post(
        base(engagement),
        {"name": "Old Client", "sms_roles": ["process_owner"], "processes": ["change", "release"]},
        content_type="application/json",
        **owner_auth,
    )
    assert [r["process"] for r in older.json()["roles"]] == ["change", "release"]
    bad_email = client.post(
        base(engagement), {"name": "Ann", "email": "ann@"}, content_type="application/json", **owner_auth
    )
    assert bad_email.status_code == 400
    assert bad_email.json()["field"] == "email"


def test_a_stale_patch_gets_409_and_changes_nothing(client, engagement, owner, owner_auth):
    person = add(engagement, owner)
    person_update(person=person, actor=owner, expected_version=1, data={"department": "Theirs"})
    response = client.patch(
        f"{base(engagement)}/{person.pk}",
        {"version": 1, "department": "Mine"},
        content_type="application/json",
        **owner_auth,
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.json()["detail"]
    person.refresh_from_db()
    assert person.department == "Theirs"


def test_an_import_returns_the_counts(client, engagement, owner, owner_auth):
    add(engagement, owner, email="ann@client-a.example")
    file = xlsx([["Name", "E-mail", "SMS roles"], ["Ann Lee", "ann@client-a.example", "SMS manager"], ["Bob", "", ""]])
    response = client.post(f"{base(engagement)}/import", {"file": file}, **owner_auth)
    assert response.status_code == 200
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0, "warnings": 0}


def test_a_bad_import_gets_400_with_row_and_column_and_writes_nothing(client, engagement, owner_auth):
    file = xlsx([["Name", "E-mail"], ["Ann", "ann@x.example"], ["Bob", "bob@"]])
    response = client.post(f"{base(engagement)}/import", {"file": file}, **owner_auth)
    assert response.status_code == 400
    assert response.json()["detail"] == 'Row 3, column B (E-mail): "bob@" is not a valid e-mail address.'
    assert not Person.objects.exists()


def test_a_viewer_reads_but_gets_403_on_writes(client, engagement, owner, viewer_auth):
    person = add(engagement, owner)
    url = f"{base(engagement)}/{person.pk}"
    assert client.get(base(engagement), **viewer_auth).status_code == 200
    assert client.get(url, **viewer_auth).status_code == 200
    assert (
        client.post(base(engagement), {"name": "X"}, content_type="application/json", **viewer_auth).status_code == 403
    )
    assert (
        client.patch(url, {"version": 1, "name": "X"}, content_type="application/json", **viewer_auth).status_code
        == 403
    )
    assert client.delete(url, **viewer_auth).status_code == 403
    assert (
        client.post(f"{base(engagement)}/import", {"file": xlsx([["Name"], ["X"]])}, **viewer_auth).status_code == 403
    )
    assert list(Person.objects.values_list("name", flat=True)) == ["Ann Lee"]


def test_an_outsider_gets_404_everywhere(client, engagement, owner, outsider_auth):
    person = add(engagement, owner)
    url = f"{base(engagement)}/{person.pk}"
    assert client.get(base(engagement), **outsider_auth).status_code == 404
    assert (
        client.post(base(engagement), {"name": "X"}, content_type="application/json", **outsider_auth).status_code
        == 404
    )
    assert client.get(url, **outsider_auth).status_code == 404
    assert (
        client.patch(url, {"version": 1, "name": "X"}, content_type="application/json", **outsider_auth).status_code
        == 404
    )
    assert client.delete(url, **outsider_auth).status_code == 404
    assert (
        client.post(f"{base(engagement)}/import", {"file": xlsx([["Name"], ["X"]])}, **outsider_auth).status_code == 404
    )
    assert list(Person.objects.values_list("name", flat=True)) == ["Ann Lee"]


def test_a_person_of_another_engagement_is_404(client, engagement, owner_auth, outsider):
    other = outsider.memberships.get().engagement
    foreign = person_create(engagement=other, actor=outsider, name="Foreign")
    assert client.get(f"{base(engagement)}/{foreign.pk}", **owner_auth).status_code == 404
    assert client.delete(f"{base(engagement)}/{foreign.pk}", **owner_auth).status_code == 404
    assert Person.objects.filter(pk=foreign.pk).exists()


def test_requests_without_a_token_get_401(client, engagement):
    assert client.get(base(engagement)).status_code == 401
