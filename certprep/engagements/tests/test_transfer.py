from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.engagements import services
from certprep.engagements.models import Engagement
from certprep.engagements.tests.factories import UserFactory
from certprep.engagements.transfer import engagement_export, engagement_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_engagement(engagement, owner):
    services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=1,
        data={
            "industry": "finance",
            "people_in_scope": 410,
            "sites": ["Beijing", "Tianjin"],
            "services_in_scope": ["Core banking hosting", "Service desk"],
            "scope_who": "IT Operations",
            "scope_services": "hosting and service desk",
            "itil_adoption": "broad",
            "existing_certifications": ["iso27001"],
            "notes": "Quoted \"notes\" with 中文 and <tags>",
        },
    )
    services.member_add(engagement=engagement, actor=owner, user=UserFactory(username="qm", email="qm@a.example"), role="editor")
    return engagement


def _comparable(document):
    document = dict(document)
    document.pop("exported_at")
    return document


def test_export_then_import_is_lossless(rich_engagement, owner):
    exported = engagement_export(rich_engagement)
    copy, missing = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert missing == []
    again = engagement_export(copy)
    assert again["audit"][:-1] == exported["audit"]  # the history, plus one entry for the import
    assert again["audit"][-1]["changes"]["imported_from"] == [None, "file"]
    again["audit"], exported["audit"] = [], []
    assert _comparable(again) == _comparable(exported)


def test_a_broken_file_imports_nothing_and_says_where(owner, rich_engagement):
    exported = engagement_export(rich_engagement)
    exported["profile"]["people_in_scope"] = -3
    before = Engagement.objects.count()
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert "profile.people_in_scope" in excinfo.value.message
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=b'{"format": "certprep.engagement/1",\n "engagement": {', actor=owner)
    assert "line 2" in excinfo.value.message
    assert Engagement.objects.count() == before


def test_members_without_an_account_here_are_reported(rich_engagement, owner):
    exported = engagement_export(rich_engagement)
    exported["members"].append({"username": "ghost", "email": "ghost@a.example", "role": "viewer"})
    _copy, missing = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert missing == ["ghost"]


def test_export_and_import_through_the_pages(owner_client, rich_engagement):
    response = owner_client.get(reverse("engagements:export", args=[rich_engagement.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    upload = SimpleUploadedFile("e.json", response.content, content_type="application/json")
    response = owner_client.post(reverse("engagements:import"), {"file": upload}, follow=True)
    assert "Engagement imported" in response.content.decode()
    assert Engagement.objects.filter(name="Client A preparation").count() == 2


def test_a_viewer_cannot_export(client, rich_engagement, owner):
    viewer = UserFactory(username="viewer9")
    services.member_add(engagement=rich_engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    assert client.get(reverse("engagements:export", args=[rich_engagement.pk])).status_code == 403


def test_export_and_import_through_the_api(client, owner, rich_engagement, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    exported = client.get(f"/api/v1/engagements/{rich_engagement.pk}/export", **headers).json()
    assert exported["profile"]["people_in_scope"] == 410
    upload = SimpleUploadedFile("e.json", json.dumps(exported).encode())
    response = client.post("/api/v1/engagements/import", {"file": upload}, **headers)
    assert response.status_code == 201 and response.json()["engagement"]["my_role"] == "owner"


def test_the_commands_round_trip(tmp_path, rich_engagement, owner):
    path = tmp_path / "e.json"
    call_command("export_engagement", rich_engagement.pk, output=str(path), verbosity=0)
    call_command("import_engagement", str(path), owner="olivia", verbosity=0)
    assert Engagement.objects.filter(name="Client A preparation").count() == 2
    path.write_text("{}")
    with pytest.raises(CommandError):
        call_command("import_engagement", str(path), owner="olivia")


def test_an_unknown_choice_in_the_file_is_refused(rich_engagement, owner):
    exported = engagement_export(rich_engagement)
    exported["profile"]["existing_certifications"] = ["iso99999"]
    with pytest.raises(ServiceError) as excinfo:
        engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert "profile.existing_certifications" in excinfo.value.message
