"""The exchange API: GET the plan as MS Project XML; POST a file to import, first with dry_run for the preview;
editors only, 404 outside the caller's engagements, 409 on a stale version, 400 with the message for a hostile
file."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certprep.gaps.tests.factories import member
from certprep.planning.exchange.mspdi_write import mspdi_bytes
from certprep.planning.models import Plan, PlanImport, Task
from certprep.planning.selectors.exchange import plan_document
from certprep.planning.tests.exchange_world import exchange_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(engagement):
    return exchange_world(engagement)


def _post(client, token, engagement, data, query="", **fields):
    return client.post(
        f"/api/v1/engagements/{engagement.pk}/plan/exchange/mspdi/import{query}",
        {"file": SimpleUploadedFile("plan.xml", data, content_type="application/xml"), **fields},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_dry_run_previews_and_the_import_replaces_the_tasks(client, engagement, owner, world, api_token):
    token = api_token(owner)
    data = mspdi_bytes(plan_document(world["plan"]))
    Task.objects.create(plan=world["plan"], name="Added later", order=999)
    preview = _post(client, token, engagement, data, "?dry_run=true")
    assert preview.status_code == 200
    body = preview.json()
    assert (body["replaced_tasks"], body["tasks"], body["dependencies"]) == (7, 6, 5)
    assert body["plan_version"] == world["plan"].version
    assert body["unrepresented"] == []
    assert Task.objects.filter(name="Added later").exists()
    stale = _post(client, token, engagement, data, version=world["plan"].version + 5)
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.json()["detail"]
    done = _post(client, token, engagement, data, version=world["plan"].version)
    assert done.status_code == 201
    assert done.json()["task_count"] == 6
    assert not Task.objects.filter(name="Added later").exists()
    assert PlanImport.objects.get().pk == done.json()["id"]


def test_a_hostile_file_gets_400_with_its_message(client, engagement, owner, world, api_token):
    laughs = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><p>&b;</p>'
    response = _post(client, api_token(owner), engagement, laughs, version=world["plan"].version)
    assert response.status_code == 400
    assert "document type (DTD)" in response.json()["detail"]
    assert Task.objects.filter(plan=world["plan"]).count() == 6


def test_viewers_get_403_and_outsiders_404(client, engagement, owner, outsider, world, api_token):
    data = mspdi_bytes(plan_document(world["plan"]))
    viewer = member(engagement, owner, "vera", "viewer")
    assert _post(client, api_token(viewer), engagement, data, "?dry_run=true").status_code == 403
    assert _post(client, api_token(outsider), engagement, data, "?dry_run=true").status_code == 404
    assert Plan.objects.get(pk=world["plan"].pk).version == world["plan"].version
