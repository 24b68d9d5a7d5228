"""An engagement's name, organization and profile texts are single lines (core.text): a line break or another
control character is refused naming the field, on the page, in the service and so in the API; bidirectional
controls are dropped; names are shown isolated (<bdi>); the invitation quotes the names on one line; the
export is handed out by the one download helper."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.core.tests.mail_queue import mail_drain
from certprep.engagements import services
from certprep.engagements.forms import EngagementCreateForm, ProfileForm
from certprep.engagements.models import Engagement, OrganizationProfile

pytestmark = pytest.mark.django_db

LINE_BREAKS = "Enter one line of text: line breaks, tabs and other control characters are not allowed."


@pytest.mark.parametrize("field", ["name", "organization_name"])
def test_the_create_form_refuses_a_line_break_in_the_name_or_organization(field):
    data = {"name": "Certification 2027", "organization_name": "Client A Ltd"}
    form = EngagementCreateForm({**data, field: "Client A\r\nBcc: all@client-a.example"})
    assert not form.is_valid()
    assert form.errors[field] == [LINE_BREAKS]


def test_the_settings_page_refuses_a_line_break_and_keeps_the_stored_name(owner_client, engagement):
    url = reverse("engagements:settings", args=[engagement.pk])
    response = owner_client.post(
        url, {"expected_version": 1, "name": "Renamed\nBcc: x@example.com", "organization_name": "Client A Ltd",
              "survey_preparation_days": 5},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [LINE_BREAKS]
    engagement.refresh_from_db()
    assert engagement.name == "Client A preparation"


def test_the_service_refuses_a_line_break_naming_the_field(owner, engagement):
    before = Engagement.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.engagement_create(user=owner, name="Client A\r\n2027", organization_name="Client A Ltd")
    assert caught.value.field == "name"
    assert caught.value.message == (
        "The engagement name must be one line of text: line breaks, tabs and other control characters are not allowed."
    )
    with pytest.raises(ServiceError) as caught:
        services.engagement_update(
            engagement=engagement, actor=owner, expected_version=1, data={"organization_name": "Client\tA"}
        )
    assert caught.value.field == "organization_name"
    assert caught.value.message.startswith("The organization name must be one line of text")
    assert Engagement.objects.count() == before
    engagement.refresh_from_db()
    assert (engagement.organization_name, engagement.version) == ("Client A Ltd", 1)


def test_the_api_refuses_a_line_break_naming_the_field(client, owner, engagement, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    created = client.post(
        "/api/v1/engagements", {"name": "API\r\nengagement", "organization_name": "Acme"},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert created.status_code == 400
    assert created.json()["field"] == "name"
    assert "must be one line of text" in created.json()["detail"]
    patched = client.patch(
        f"/api/v1/engagements/{engagement.pk}", {"version": 1, "organization_name": "Acme\u2028Ltd"},
        content_type="application/json", **headers,
    )  # fmt: skip
    assert patched.status_code == 400
    assert patched.json()["field"] == "organization_name"
    assert Engagement.objects.filter(name__contains="API").count() == 0


def test_bidirectional_controls_are_dropped_from_the_name_and_organization(owner, engagement):
    created = services.engagement_create(
        user=owner, name="Invoice \u202egpj.exe", organization_name="\u2067Client B\u2069"
    )
    assert (created.name, created.organization_name) == ("Invoice gpj.exe", "Client B")
    services.engagement_update(
        engagement=engagement, actor=owner, expected_version=1, data={"name": " Client A \u202e2027 "}
    )
    engagement.refresh_from_db()
    assert engagement.name == "Client A 2027"
    form = EngagementCreateForm({"name": "\u202eNorthwind", "organization_name": "Northwind Ltd"})
    assert form.is_valid()
    assert form.cleaned_data["name"] == "Northwind"


def test_the_profile_refuses_control_characters_in_its_lines_and_list_entries(owner, engagement):
    profile = engagement.profile
    form = ProfileForm({"expected_version": 1, "scope_who": "IT\r\nOperations", "sites": "Head office\nData\tcentre"},
                       instance=profile)  # fmt: skip
    assert not form.is_valid()
    assert form.errors["scope_who"] == [LINE_BREAKS]
    assert form.errors["sites"] == ['The line "Data centre" holds a tab or another control character; remove it.']
    with pytest.raises(ServiceError) as caught:
        services.profile_update(
            profile=profile, actor=owner, expected_version=1, data={"scope_where": "Beijing\nTianjin"}
        )
    assert caught.value.field == "scope_where"
    assert caught.value.message.startswith("Scope: where must be one line")
    with pytest.raises(ServiceError) as caught:
        services.profile_update(
            profile=profile,
            actor=owner,
            expected_version=1,
            data={"services_in_scope": ["Hosting", "Service\u2028desk"]},
        )
    assert caught.value.field == "services_in_scope"
    assert caught.value.message.startswith("Services in scope, entry 2 must be one line of text")
    services.profile_update(
        profile=profile, actor=owner, expected_version=1,
        data={"sites": ["\u202eBeijing", "Beijing", " "], "scope_who": "\u2066IT Operations\u2069"},
    )  # fmt: skip
    stored = OrganizationProfile.objects.get(pk=profile.pk)
    assert (stored.sites, stored.scope_who) == (["Beijing"], "IT Operations")


def test_engagement_and_member_names_are_shown_isolated(owner_client, owner, engagement):
    owner.first_name, owner.last_name = "Olivia", "Wang"
    owner.save()
    listing = owner_client.get(reverse("engagements:list")).content.decode()
    assert "<h2><bdi>Client A preparation</bdi></h2>" in listing
    assert '<p class="muted"><bdi>Client A Ltd</bdi></p>' in listing
    dashboard = owner_client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    assert "<h1><bdi>Client A preparation</bdi></h1>" in dashboard
    members = owner_client.get(reverse("engagements:members", args=[engagement.pk])).content.decode()
    assert "<td><bdi>Olivia Wang</bdi>" in members


def test_the_invitation_quotes_names_stored_before_the_rule_on_one_line(owner, engagement):
    Engagement.objects.filter(pk=engagement.pk).update(
        name="Client A\r\n\r\nYour password expired: sign in at https://evil.example", organization_name="Client\nA Ltd"
    )
    engagement.refresh_from_db()
    services.member_invite(engagement=engagement, actor=owner, email="ann@client-a.example", role="editor",
                           base_url="http://testserver")  # fmt: skip
    mail_drain()
    (message,) = mail.outbox
    assert message.subject == "Invitation to join an engagement on certprep"
    assert message.to == ["ann@client-a.example"]
    lines = message.body.splitlines()
    assert "  Client A Your password expired: sign in at https://evil.example" in lines
    assert "  Client A Ltd" in lines
    assert not any(line.startswith("Your password") for line in lines)
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "evil.example" not in headers


def test_the_export_is_handed_out_by_the_download_helper(owner_client, engagement):
    response = owner_client.get(reverse("engagements:export", args=[engagement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="certprep-engagement-{engagement.pk}-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content)["engagement"]["name"] == "Client A preparation"
