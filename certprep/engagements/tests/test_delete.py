"""Deleting an engagement: owners only, the name typed to confirm, a stale version refused, every row and every
stored file gone (here on the local folder; test_storage_s3 does it on an object store)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse

from certprep.core.models import AuditEntry
from certprep.engagements import files, services
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.engagements.tests.factories import UserFactory
from certprep.gaps.models import Evidence
from certprep.gaps.tests.world import gap_world
from certprep.planning.exchange import staging
from certprep.survey.models import Attachment
from certprep.survey.tests.factories import survey_world

pytestmark = pytest.mark.django_db


def stored(media: Path) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def member(engagement: Engagement, role: Role, username: str):
    user = UserFactory(username=username)
    Membership.objects.create(engagement=engagement, user=user, role=role)
    return user


def bearer(api_token, user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}


def test_every_file_field_of_certprep_is_one_an_engagement_deletion_knows():
    fields = {
        (model._meta.label, field.name)
        for model in apps.get_models()
        if model._meta.app_label in {app.label for app in apps.get_app_configs() if app.name.startswith("certprep.")}
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    # An engagement file waiting for its import belongs to the person who uploaded it, not to an engagement (none
    # exists yet); the import removes it when it ends (certprep/engagements/tasks.py).
    waiting_imports = {("engagements.EngagementImport", "file")}
    assert fields - waiting_imports == {(label, name) for label, name, _path in files.FILE_FIELDS}


def test_the_owner_deletes_the_engagement_from_its_settings_and_its_files_go_from_the_folder(
    client, owner, outsider, engagement, catalogue, media, django_capture_on_commit_callbacks, caplog
):
    gap_world(engagement, owner)
    survey_world(engagement, owner)
    staging.stage(engagement_id=engagement.pk, user_id=owner.pk, data=b"<Project/>", file_name="plan.xml")
    default_storage.save(f"reports/{engagement.pk}/7/orphan.pdf", ContentFile(b"%PDF-"))
    other = Engagement.objects.get(memberships__user=outsider)
    theirs = default_storage.save(f"evidence/{other.pk}/theirs", ContentFile(b"x"))
    assert len(stored(media)) == 5

    client.force_login(owner)
    page = client.get(reverse("engagements:settings", args=[engagement.pk]))
    assert "Delete this engagement" in page.content.decode()
    with caplog.at_level(logging.WARNING, logger="certprep.audit"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("engagements:delete", args=[engagement.pk]),
            {"expected_version": engagement.version, "confirm_name": " Client A preparation "},
            follow=True,
        )
    assert response.redirect_chain == [(reverse("engagements:list"), 302)]
    assert "Engagement Client A preparation deleted, with its files." in response.content.decode()
    assert stored(media) == [theirs]
    assert not Engagement.objects.filter(pk=engagement.pk).exists()
    assert not Evidence.objects.filter(rating__assessment__engagement_id=engagement.pk).exists()
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(engagement_id=engagement.pk).exists()
    assert f"Engagement {engagement.pk} ('Client A preparation') deleted by olivia with 4 stored files" in caplog.text


def test_a_wrong_name_or_a_stale_version_deletes_nothing_and_says_why(client, owner, engagement, media):
    default_storage.save(f"evidence/{engagement.pk}/kept", ContentFile(b"x"))
    client.force_login(owner)
    url = reverse("engagements:delete", args=[engagement.pk])
    wrong = client.post(url, {"expected_version": engagement.version, "confirm_name": "Client B preparation"})
    assert wrong.status_code == 400
    assert "That is not this engagement&#x27;s name: nothing was deleted." in wrong.content.decode()

    services.engagement_update(
        engagement=engagement, actor=owner, expected_version=engagement.version, data={"description": "Changed"}
    )
    stale = client.post(url, {"expected_version": engagement.version - 1, "confirm_name": "Client A preparation"})
    assert stale.status_code == 409
    assert "Someone else changed this engagement since you opened it" in stale.content.decode()
    assert Engagement.objects.filter(pk=engagement.pk).exists()
    assert stored(media) == [f"evidence/{engagement.pk}/kept"]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_owners_may_delete_and_outsiders_do_not_see_the_engagement(client, engagement, outsider, role, api_token):
    user = member(engagement, role, f"member-{role}")
    page = reverse("engagements:delete", args=[engagement.pk])
    form = {"expected_version": engagement.version, "confirm_name": "Client A preparation"}
    api = f"/api/v1/engagements/{engagement.pk}?version={engagement.version}"
    client.force_login(user)
    assert client.post(page, form).status_code == 403
    assert client.delete(api, **bearer(api_token, user)).status_code == 403
    client.force_login(outsider)
    assert client.post(page, form).status_code == 404
    assert client.delete(api, **bearer(api_token, outsider)).status_code == 404
    assert client.get(page).status_code in (404, 405)
    assert Engagement.objects.filter(pk=engagement.pk).exists()


def test_the_api_deletes_with_the_version_read_and_refuses_a_stale_one(
    client, owner, engagement, api_token, media, django_capture_on_commit_callbacks
):
    default_storage.save(f"survey/{engagement.pk}/a", ContentFile(b"x"))
    url = f"/api/v1/engagements/{engagement.pk}"
    headers = bearer(api_token, owner)
    missing = client.delete(url, **headers)
    assert missing.status_code == 400  # the version is required
    assert missing.json()["field"] == "version"
    stale = client.delete(f"{url}?version={engagement.version + 1}", **headers)
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("Someone else changed this engagement")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{url}?version={engagement.version}", **headers).status_code == 204
    assert stored(media) == []
    assert client.get(url, **headers).status_code == 404
