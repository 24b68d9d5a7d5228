"""The exchange page as people use it: members see the downloads and the recent imports with what each could
not represent; outsiders get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certprep.gaps.tests.factories import member
from certprep.planning.choices import ExchangeFormat
from certprep.planning.models import PlanImport
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
