from __future__ import annotations

import re

import pytest
from django.core import mail

from certprep.core.tests.mail_queue import mail_drain
from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_is_issued_for_a_correct_password_and_opens_the_api(client, owner, engagement):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "olivia", "password": "correct horse battery staple"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    listing = client.get("/api/v1/engagements", **auth(token))
    assert listing.status_code == 200
    assert [e["name"] for e in listing.json()] == ["Client A preparation"]
    assert listing.json()[0]["my_role"] == "owner"


def test_a_wrong_password_gets_401_json(client, owner):
    response = client.post(
        "/api/v1/auth/token", {"username": "olivia", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "Wrong user name or password."


def test_repeated_wrong_passwords_are_rate_limited(client, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token", {"username": "olivia", "password": "nope"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token",
        {"username": "olivia", "password": "correct horse battery staple"},
        content_type="application/json",
    )
    assert response.status_code == 429


def test_requests_without_a_valid_token_get_401(client, engagement):
    assert client.get("/api/v1/engagements").status_code == 401
    response = client.get("/api/v1/engagements", HTTP_AUTHORIZATION="Bearer forged")
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_create_and_patch_an_engagement_with_a_version_check(client, owner, api_token):
    token = api_token(owner)
    created = client.post(
        "/api/v1/engagements",
        {"name": "API engagement", "organization_name": "Acme"},
        content_type="application/json",
        **auth(token),
    )
    assert created.status_code == 201
    eid, version = created.json()["id"], created.json()["version"]
    ok = client.patch(
        f"/api/v1/engagements/{eid}",
        {"version": version, "name": "Renamed"},
        content_type="application/json",
        **auth(token),
    )
    assert ok.status_code == 200
    assert ok.json()["name"] == "Renamed"
    assert ok.json()["version"] == version + 1
    stale = client.patch(
        f"/api/v1/engagements/{eid}",
        {"version": version, "name": "Lost?"},
        content_type="application/json",
        **auth(token),
    )
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.json()["detail"]
    assert client.get(f"/api/v1/engagements/{eid}", **auth(token)).json()["name"] == "Renamed"


def test_profile_patch_validates_and_saves(client, owner, engagement, api_token):
    token = api_token(owner)
    url = f"/api/v1/engagements/{engagement.pk}/profile"
    bad = client.patch(url, {"version": 1, "people_in_scope": -5}, content_type="application/json", **auth(token))
    assert bad.status_code == 422
    assert bad.json()["field"] == "people_in_scope"
    bad_choice = client.patch(
        url, {"version": 1, "itil_adoption": "expert"}, content_type="application/json", **auth(token)
    )
    assert bad_choice.status_code == 422
    ok = client.patch(
        url,
        {
            "version": 1,
            "people_in_scope": 240,
            "services_in_scope": ["Hosting", " ", "Hosting", "Service desk"],
            "itil_adoption": "partial",
        },
        content_type="application/json",
        **auth(token),
    )
    assert ok.status_code == 200
    assert ok.json()["services_in_scope"] == ["Hosting", "Service desk"]
    assert client.get(f"/api/v1/engagements/{engagement.pk}/audit", **auth(token)).json()["items"][0]["changes"][
        "people_in_scope"
    ] == [None, 240]


def test_a_viewer_cannot_write_through_the_api(client, owner, engagement, api_token):
    viewer = UserFactory(username="viewer1")
    services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    token = api_token(viewer)
    url = f"/api/v1/engagements/{engagement.pk}/profile"
    assert client.get(url, **auth(token)).status_code == 200
    response = client.patch(url, {"version": 1, "notes": "x"}, content_type="application/json", **auth(token))
    assert response.status_code == 403
    assert response.json()["detail"]


def _invite(client, engagement, token, email, role="viewer"):
    return client.post(
        f"/api/v1/engagements/{engagement.pk}/members",
        {"email": email, "role": role},
        content_type="application/json",
        **auth(token),
    )


def test_inviting_through_the_api_answers_the_same_whether_the_address_has_an_account(
    client, owner, engagement, api_token
):
    token = api_token(owner)
    UserFactory(username="ed", email="ed@client-a.example")
    known = _invite(client, engagement, token, "ed@client-a.example")
    unknown = _invite(client, engagement, token, "nobody@client-a.example")
    assert known.status_code == unknown.status_code == 201
    shape = {k: v for k, v in known.json().items() if k not in ("email", "expires_at")}
    assert shape == {k: v for k, v in unknown.json().items() if k not in ("email", "expires_at")}
    assert set(known.json()) == {"email", "role", "expires_at"}  # an invitation to accept, never a membership
    assert not engagement.memberships.filter(user__username="ed").exists()


def test_owner_manages_members_through_the_api(client, owner, engagement, api_token):
    token = api_token(owner)
    ed = UserFactory(username="ed", email="ed@client-a.example")
    added = _invite(client, engagement, token, "ed@client-a.example", role="editor")
    assert added.status_code == 201
    assert added.json()["role"] == "editor"
    assert added.json()["expires_at"]
    mail_drain()
    link_token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1)
    membership = services.invitation_accept(token=link_token, user=ed)  # ed joins by accepting
    member_id = membership.pk
    invited = _invite(client, engagement, token, "new@client-a.example")
    assert invited.status_code == 201
    assert invited.json()["email"] == "new@client-a.example"
    mail_drain()
    assert mail.outbox[-1].to == ["new@client-a.example"]
    changed = client.patch(
        f"/api/v1/engagements/{engagement.pk}/members/{member_id}",
        {"role": "viewer"},
        content_type="application/json",
        **auth(token),
    )
    assert changed.json()["role"] == "viewer"
    assert client.delete(f"/api/v1/engagements/{engagement.pk}/members/{member_id}", **auth(token)).status_code == 204
    assert [
        m["username"] for m in client.get(f"/api/v1/engagements/{engagement.pk}/members", **auth(token)).json()
    ] == ["olivia"]


def test_openapi_description_lists_the_routes(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/auth/token",
        "/api/v1/engagements",
        "/api/v1/engagements/{engagement_id}/profile",
        "/api/v1/catalogue/frameworks",
        "/api/v1/catalogue/frameworks/{framework_id}/requirements",
    ):
        assert path in spec["paths"]


def test_a_revoked_token_stops_working(client, owner, api_token):
    token = api_token(owner)
    assert client.delete("/api/v1/auth/token", **auth(token)).status_code == 204
    assert client.get("/api/v1/engagements", **auth(token)).status_code == 401


def test_an_expired_token_is_refused(client, owner, api_token):
    from datetime import timedelta

    from django.utils import timezone

    from certprep.accounts.models import ApiToken

    token = api_token(owner)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/engagements", **auth(token)).status_code == 401
