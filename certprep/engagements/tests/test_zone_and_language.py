"""Each engagement has a time zone and a report language: set on create and in the settings, checked by
the service, carried by the engagement file."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.engagements import services
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import


def test_a_new_engagement_is_in_utc_and_reports_in_english_unless_told(owner):
    engagement = services.engagement_create(user=owner, name="Plain", organization_name="Plain Ltd")
    assert (engagement.time_zone, engagement.report_language) == ("UTC", "en")


def test_the_create_page_takes_the_zone_and_language(owner_client):
    page = owner_client.post(
        reverse("engagements:create"),
        {
            "name": "Harbour",
            "organization_name": "Harbour Ltd",
            "time_zone": "Asia/Shanghai",
            "report_language": "zh-hans",
        },
    )
    assert page.status_code == 302
    created = Engagement.objects.get(name="Harbour")
    assert (created.time_zone, created.report_language) == ("Asia/Shanghai", "zh-hans")


def test_the_service_refuses_an_unknown_zone_and_language(owner, engagement):
    with pytest.raises(ServiceError) as zone:
        services.engagement_update(
            engagement=engagement, actor=owner, expected_version=1, data={"time_zone": "Mars/Olympus"}
        )
    assert zone.value.field == "time_zone"
    assert "Mars/Olympus is not a time zone" in zone.value.message
    engagement.refresh_from_db()
    with pytest.raises(ServiceError) as language:
        services.engagement_update(
            engagement=engagement, actor=owner, expected_version=engagement.version, data={"report_language": "fr"}
        )
    assert language.value.field == "report_language"
    engagement.refresh_from_db()
    assert (engagement.time_zone, engagement.report_language) == ("UTC", "en")


def test_the_engagement_file_carries_them_and_older_files_take_the_defaults(owner, engagement):
    services.engagement_update(
        engagement=engagement,
        actor=owner,
        expected_version=1,
        data={"time_zone": "Europe/Berlin", "report_language": "zh-hans"},
    )
    exported = engagement_export(engagement)
    copy, _names = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert (copy.time_zone, copy.report_language) == ("Europe/Berlin", "zh-hans")
    del exported["engagement"]["time_zone"], exported["engagement"]["report_language"]
    older, _names = engagement_import(raw=json.dumps(exported).encode(), actor=owner)
    assert (older.time_zone, older.report_language) == ("UTC", "en")
    exported["engagement"]["time_zone"] = "Nowhere/Land"
    with pytest.raises(ServiceError, match="Nowhere/Land is not a time zone"):
        engagement_import(raw=json.dumps(exported).encode(), actor=owner)


def test_the_api_shows_and_changes_them(client, owner, engagement, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    shown = client.get(f"/api/v1/engagements/{engagement.pk}", **headers).json()
    assert (shown["time_zone"], shown["report_language"]) == ("UTC", "en")
    changed = client.patch(
        f"/api/v1/engagements/{engagement.pk}",
        {"version": shown["version"], "time_zone": "Asia/Shanghai", "report_language": "zh-hans"},
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 200
    assert changed.json()["time_zone"] == "Asia/Shanghai"
    refused = client.patch(
        f"/api/v1/engagements/{engagement.pk}",
        {"version": changed.json()["version"], "time_zone": "Mars/Olympus"},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "time_zone"
    created = client.post(
        "/api/v1/engagements",
        {"name": "Zoned", "organization_name": "Zoned Ltd", "time_zone": "Europe/Berlin", "report_language": "zh-hans"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    assert (created.json()["time_zone"], created.json()["report_language"]) == (
        "Europe/Berlin",
        "zh-hans",
    )


def test_the_api_language_codes_are_the_installed_languages(client):
    from django.conf import settings

    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    codes = schema["EngagementIn"]["properties"]["report_language"]
    enum = codes.get("enum") or next(option["enum"] for option in codes.get("anyOf", []) if "enum" in option)
    assert sorted(enum) == sorted(code for code, _name in settings.LANGUAGES)


def test_the_api_import_names_suggested_invitations_not_missing_accounts(
    client, owner, engagement, api_token, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certprep.engagements.tasks import import_run

    settings.MEDIA_ROOT = tmp_path
    exported = engagement_export(engagement)
    exported["members"].append({"username": "ghost", "email": "ghost@elsewhere.example", "role": "editor"})
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    answer = client.post(
        "/api/v1/engagements/import", {"file": SimpleUploadedFile("e.json", json.dumps(exported).encode())}, **headers
    )
    assert answer.status_code == 202
    import_run(answer.json()["id"])  # the background worker's part
    assert client.get(answer.json()["url"], **headers).json()["suggested_invitations"] == ["ghost"]
