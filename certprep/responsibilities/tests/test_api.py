"""The responsibility matrix through the site's own API, /api/v1/engagements/{id}/matrix, signed in with a real
bearer token: the whole matrix, cells, settings, roles with holders, activities, the template, who may write,
outsiders, and every route of the description covered."""

from __future__ import annotations

import pytest

from certprep.core.models import AuditEntry
from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory
from certprep.responsibilities.models import Activity, Assignment, MatrixRole, RoleHolder

pytestmark = pytest.mark.django_db


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def api(client, owner, api_token):
    headers = auth(api_token(owner))

    class Api:
        def get(self, path, **kw):
            return client.get(path, **headers, **kw)

        def send(self, method, path, data=None):
            return getattr(client, method)(path, data or {}, content_type="application/json", **headers)

    return Api()


def base(engagement):
    return f"/api/v1/engagements/{engagement.pk}/matrix"


def role(engagement, key):
    return MatrixRole.objects.get(engagement=engagement, key=key)


def activity(engagement, key):
    return Activity.objects.get(engagement=engagement, key=key)


def test_the_whole_matrix_with_roles_holders_letters_settings_and_violations(
    api, owner, seeded, make_person, catalogue
):
    from certprep.responsibilities import services

    services.role_holder_add(
        role=role(seeded, "service-desk"), actor=owner, person=make_person("Dee", email="dee@a.example")
    )
    body = api.get(base(seeded)).json()
    assert body["settings"] == {"rasci": False, "max_roles_per_person": 4, "version": 1}
    assert [r["key"] for r in body["roles"]] == ["process-owner", "process-manager", "service-desk"]
    assert body["roles"][2]["holders"] == [
        {"id": body["roles"][2]["holders"][0]["id"], "name": "Dee", "email": "dee@a.example"}
    ]
    log = next(a for a in body["activities"] if a["key"] == "log-classify")
    assert {(x["role_id"], x["letter"]) for x in log["letters"]} == {
        (role(seeded, "process-owner").pk, "I"),
        (role(seeded, "process-manager").pk, "A"),
        (role(seeded, "service-desk").pk, "R"),
    }
    kinds = {v["kind"] for v in body["violations"]}
    assert kinds == {"process_without_owner", "role_not_held"}


def test_putting_a_cell_checks_the_letter_you_saw(api, seeded):
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    url = f"{base(seeded)}/cells/{act.pk}/{rl.pk}"
    ok = api.send("put", url, {"letter": "C", "expected": ""})
    assert ok.status_code == 200
    assert ok.json()["letter"] == "C"
    assert "violations" in ok.json()
    stale = api.send("put", url, {"letter": "I", "expected": ""})
    assert stale.status_code == 409
    assert "it now holds C" in stale.json()["detail"]
    assert Assignment.objects.get(activity=act, role=rl).letter == "C"
    cleared = api.send("put", url, {"letter": "", "expected": "C"})
    assert cleared.status_code == 200
    assert not Assignment.objects.filter(activity=act, role=rl).exists()
    refused = api.send("put", url, {"letter": "S", "expected": ""})
    assert refused.status_code == 400
    assert refused.json()["field"] == "letter"
    invalid = api.send("put", url, {"letter": "X", "expected": ""})
    assert invalid.status_code == 422


def test_without_a_valid_token_the_matrix_answers_401(client, seeded):
    assert client.get(base(seeded)).status_code == 401
    refused = client.get(base(seeded), HTTP_AUTHORIZATION="Bearer not-a-token")
    assert refused.status_code == 401
    assert refused["Content-Type"].startswith("application/json")


def test_settings_patch_is_versioned(api, seeded):
    ok = api.send("patch", f"{base(seeded)}/settings", {"version": 1, "rasci": True})
    assert ok.status_code == 200
    assert ok.json() == {"rasci": True, "max_roles_per_person": 4, "version": 2}
    assert api.send("patch", f"{base(seeded)}/settings", {"version": 1, "max_roles_per_person": 3}).status_code == 409


def test_roles_crud_and_holders(api, seeded, make_person):
    created = api.send("post", f"{base(seeded)}/roles", {"name": "Change manager"})
    assert created.status_code == 201
    role_id = created.json()["id"]
    assert created.json()["key"] == "change-manager"
    assert api.send("post", f"{base(seeded)}/roles", {"name": "change MANAGER"}).status_code == 400
    renamed = api.send("patch", f"{base(seeded)}/roles/{role_id}", {"version": 1, "name": "Change lead", "order": 0})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Change lead"
    assert renamed.json()["order"] == 0
    assert api.send("patch", f"{base(seeded)}/roles/{role_id}", {"version": 1, "name": "Lost"}).status_code == 409
    assert api.get(f"{base(seeded)}/roles").json()[0]["id"] == role_id

    dee = make_person("Dee")
    held = api.send("post", f"{base(seeded)}/roles/{role_id}/holders", {"person_id": dee.pk})
    assert held.status_code == 201
    assert held.json()["holders"][0]["name"] == "Dee"
    assert api.send("post", f"{base(seeded)}/roles/{role_id}/holders", {"person_id": dee.pk}).status_code == 400
    assert api.send("delete", f"{base(seeded)}/roles/{role_id}/holders/{dee.pk}").status_code == 204
    assert not RoleHolder.objects.exists()
    assert api.send("delete", f"{base(seeded)}/roles/{role_id}").status_code == 204
    assert api.get(f"{base(seeded)}/roles/{role_id}").status_code == 404


def test_activities_crud(api, seeded):
    created = api.send("post", f"{base(seeded)}/activities", {"process_code": "release", "name": "Plan releases"})
    assert created.status_code == 201
    activity_id = created.json()["id"]
    assert (
        api.send("post", f"{base(seeded)}/activities", {"process_code": "knitting", "name": "Knit"}).status_code == 422
    )
    listed = api.get(f"{base(seeded)}/activities?process=release").json()
    assert [a["key"] for a in listed] == ["plan-releases"]
    patched = api.send(
        "patch", f"{base(seeded)}/activities/{activity_id}", {"version": 1, "name": "Plan and schedule releases"}
    )
    assert patched.status_code == 200
    assert patched.json()["version"] == 2
    assert api.send("patch", f"{base(seeded)}/activities/{activity_id}", {"version": 1, "name": "x"}).status_code == 409
    one = api.get(f"{base(seeded)}/activities/{activity(seeded, 'resolve').pk}").json()
    assert {x["letter"] for x in one["letters"]} == {"A", "R"}
    assert api.send("delete", f"{base(seeded)}/activities/{activity_id}").status_code == 204
    assert not Activity.objects.filter(pk=activity_id).exists()
    assert AuditEntry.objects.filter(object_type="responsibilities.activity", action="delete").exists()


def test_the_template_can_be_copied_through_the_api(api, engagement, monkeypatch, small_template):
    from certprep.responsibilities import services

    monkeypatch.setattr(services, "shipped_template", lambda: small_template)
    assert api.send("post", f"{base(engagement)}/template").json() == {"roles": 3, "activities": 3, "letters": 8}
    assert api.send("post", f"{base(engagement)}/template").json() == {"roles": 0, "activities": 0, "letters": 0}


def test_a_viewer_reads_but_cannot_write(client, owner, seeded, api_token):
    viewer = UserFactory(username="vera")
    engagement_services.member_add(engagement=seeded, actor=owner, user=viewer, role="viewer")
    headers = auth(api_token(viewer))
    assert client.get(base(seeded), **headers).status_code == 200
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    put = client.put(
        f"{base(seeded)}/cells/{act.pk}/{rl.pk}",
        {"letter": "R", "expected": ""},
        content_type="application/json",
        **headers,
    )
    assert put.status_code == 403
    assert (
        client.post(f"{base(seeded)}/roles", {"name": "X"}, content_type="application/json", **headers).status_code
        == 403
    )


def test_an_outsider_gets_404_everywhere(client, outsider, seeded, api_token, make_person):
    person = make_person("Dee")
    headers = auth(api_token(outsider))
    act, rl = activity(seeded, "resolve"), role(seeded, "process-owner")
    b = base(seeded)
    calls = [
        ("get", b, None),
        ("patch", f"{b}/settings", {"version": 1, "rasci": True}),
        ("post", f"{b}/template", None),
        ("put", f"{b}/cells/{act.pk}/{rl.pk}", {"letter": "R", "expected": ""}),
        ("get", f"{b}/roles", None),
        ("post", f"{b}/roles", {"name": "X"}),
        ("get", f"{b}/roles/{rl.pk}", None),
        ("patch", f"{b}/roles/{rl.pk}", {"version": 1, "name": "X"}),
        ("delete", f"{b}/roles/{rl.pk}", None),
        ("post", f"{b}/roles/{rl.pk}/holders", {"person_id": person.pk}),
        ("delete", f"{b}/roles/{rl.pk}/holders/{person.pk}", None),
        ("get", f"{b}/activities", None),
        ("post", f"{b}/activities", {"process_code": "incident", "name": "X"}),
        ("get", f"{b}/activities/{act.pk}", None),
        ("patch", f"{b}/activities/{act.pk}", {"version": 1, "name": "X"}),
        ("delete", f"{b}/activities/{act.pk}", None),
    ]
    for method, path, data in calls:
        response = getattr(client, method)(path, data or {}, content_type="application/json", **headers)
        assert response.status_code == 404, (method, path, response.content[:200])
        assert "Resolve incidents" not in response.content.decode()
    assert MatrixRole.objects.filter(pk=rl.pk).exists()
    assert Activity.objects.filter(pk=act.pk).exists()


def test_every_route_of_the_router_is_covered_by_the_outsider_test(client, owner, api_token):
    spec = client.get("/api/v1/openapi.json").json()
    routes = [(m, p) for p, ops in spec["paths"].items() if "/matrix" in p for m in ops]
    assert len(routes) == 16
    params = {name for p in spec["paths"] if "/matrix" in p for name in __import__("re").findall(r"{(\w+)}", p)}
    assert params == {"engagement_id", "activity_id", "role_id", "person_id"}
