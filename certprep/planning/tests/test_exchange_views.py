"""The exchange page as people use it: members see the downloads and the recent imports with what each could
not represent; outsiders get 404."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from certprep.gaps.tests.factories import member
from certprep.planning.choices import ExchangeFormat
from certprep.planning.exchange.mspdi_write import mspdi_bytes
from certprep.planning.models import Plan, PlanImport, Task
from certprep.planning.selectors.exchange import plan_document
from certprep.planning.tests.exchange_world import exchange_world
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db


def test_the_page_lists_recent_imports_with_what_they_could_not_represent(client, engagement, owner):
    plan = plan_world(engagement)["plan"]
    PlanImport.objects.create(
        plan=plan,
        format=ExchangeFormat.MSPDI,
        file_name="<b>client</b>.xml",
        imported_by=owner,
        task_count=12,
        unrepresented=["Resource rates: Alice's standard rate"],
    )
    client.force_login(member(engagement, owner, "vera", "viewer"))
    body = client.get(reverse("planning:exchange", args=[engagement.pk])).content.decode()
    assert "&lt;b&gt;client&lt;/b&gt;.xml" in body
    assert "12 tasks" in body
    assert "Resource rates: Alice&#x27;s standard rate" in body


def test_an_outsider_gets_404(outsider_client, engagement):
    plan_world(engagement)
    assert outsider_client.get(reverse("planning:exchange", args=[engagement.pk])).status_code == 404


def test_a_viewer_downloads_the_plan_as_ms_project_xml(client, engagement, owner):
    plan_world(engagement)
    client.force_login(member(engagement, owner, "vera", "viewer"))
    page = client.get(reverse("planning:exchange", args=[engagement.pk])).content.decode()
    url = reverse("planning:export_mspdi", args=[engagement.pk])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "attachment" in response["Content-Disposition"]
    assert ".xml" in response["Content-Disposition"]
    body = response.getvalue()
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert b"<Name>Design</Name>" in body
    assert b"<Name>Trial</Name>" in body


def test_the_api_hands_out_the_same_file_and_404_outside(client, engagement, owner, outsider, api_token):
    plan_world(engagement)
    path = f"/api/v1/engagements/{engagement.pk}/plan/exchange/mspdi"
    response = client.get(path, headers={"Authorization": f"Bearer {api_token(owner)}"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert b"<Name>Design</Name>" in response.getvalue()
    assert client.get(path, headers={"Authorization": f"Bearer {api_token(outsider)}"}).status_code == 404


def test_the_export_reads_a_fixed_number_of_queries(client, engagement, owner, django_assert_max_num_queries):
    world = plan_world(engagement)
    client.force_login(owner)
    url = reverse("planning:export_mspdi", args=[engagement.pk])
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    Task.objects.bulk_create(
        Task(plan=world["plan"], name=f"Extra {n}", order=100 + n, duration_days=2) for n in range(60)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert b"Extra 59" in client.get(url).getvalue()


def _upload(data: bytes, name: str = "plan.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/xml")


def test_an_editor_previews_an_upload_then_confirms_it(client, engagement, owner):
    world = exchange_world(engagement)
    data = mspdi_bytes(plan_document(world["plan"]))
    Task.objects.create(plan=world["plan"], name="Added later", order=999)
    client.force_login(member(engagement, owner, "eddie", "editor"))
    url = reverse("planning:exchange_import", args=[engagement.pk])
    preview = client.post(url, {"file": _upload(data, "Client plan.xml")})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "The plan's 7 tasks will be replaced" in body
    assert "The file has 6 tasks" in body
    assert "certprep represents everything this file holds." in body
    assert Task.objects.filter(name="Added later").exists()  # nothing changes before the confirmation
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body)[1]
    version = re.search(r'name="expected_version" value="(\d+)"', body)[1]
    done = client.post(url, {"token": token, "file_name": "Client plan.xml", "expected_version": version}, follow=True)
    page = done.content.decode()
    assert "Client plan.xml imported: 6 tasks" in page
    assert not Task.objects.filter(name="Added later").exists()
    assert PlanImport.objects.get().file_name == "Client plan.xml"
    # the token is spent: confirming again imports nothing
    again = client.post(url, {"token": token, "file_name": "x.xml", "expected_version": version}, follow=True)
    assert "no longer waiting to be imported" in again.content.decode()
    assert PlanImport.objects.count() == 1


def test_a_stale_preview_gets_the_conflict_message_and_changes_nothing(client, engagement, owner):
    world = exchange_world(engagement)
    data = mspdi_bytes(plan_document(world["plan"]))
    client.force_login(owner)
    url = reverse("planning:exchange_import", args=[engagement.pk])
    body = client.post(url, {"file": _upload(data)}).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body)[1]
    Plan.objects.filter(pk=world["plan"].pk).update(version=F("version") + 1)  # someone saved the plan meanwhile
    page = client.post(
        url, {"token": token, "file_name": "plan.xml", "expected_version": world["plan"].version}, follow=True
    ).content.decode()
    assert "Someone else changed this" in page
    assert not PlanImport.objects.exists()


def test_a_hostile_upload_is_refused_on_the_page(client, engagement, owner):
    plan_world(engagement)
    client.force_login(owner)
    hostile = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><p>&x;</p>'
    body = client.post(
        reverse("planning:exchange_import", args=[engagement.pk]), {"file": _upload(hostile)}
    ).content.decode()
    assert "Nothing was imported." in body
    assert "document type (DTD)" in body
    assert "root:" not in body


def test_viewers_and_outsiders_cannot_import(client, engagement, owner, outsider_client):
    plan_world(engagement)
    url = reverse("planning:exchange_import", args=[engagement.pk])
    assert outsider_client.get(url).status_code == 404
    client.force_login(member(engagement, owner, "vera", "viewer"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": _upload(b"<x/>")}).status_code == 403
    assert url not in client.get(reverse("planning:exchange", args=[engagement.pk])).content.decode()


def test_the_exchange_page_reads_a_fixed_number_of_queries(client, engagement, owner, django_assert_max_num_queries):
    plan = plan_world(engagement)["plan"]
    client.force_login(owner)
    url = reverse("planning:exchange", args=[engagement.pk])

    def imports(n):
        PlanImport.objects.bulk_create(
            PlanImport(plan=plan, format="mspdi", file_name=f"f{i}.xml", imported_by=owner, unrepresented=["x"] * i)
            for i in range(n)
        )

    imports(2)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    imports(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "f29.xml" in client.get(url).content.decode()
