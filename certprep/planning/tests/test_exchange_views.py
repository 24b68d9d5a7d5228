"""The exchange page as people use it: members see the downloads and the recent imports with what each could
not represent; outsiders get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certprep.gaps.tests.factories import member
from certprep.planning.choices import ExchangeFormat
from certprep.planning.models import PlanImport, Task
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
