"""The readiness figures in the REST API: overall with coverage, by clause, by process, and the stage 1 list
with its sources, as the readiness page shows them; outsiders get 404; the query count does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certprep.gaps.services import documents as document_services
from certprep.gaps.tests.factories import assessment, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, owner, api_token):
    token = api_token(owner)
    return lambda path: client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_readiness_figures_are_in_the_api(api, engagement, owner, catalogue):
    baseline = assessment(engagement, owner, scale="mixed")
    rate(owner, baseline, "4.1", level=3)
    rate(owner, baseline, "5.2.1", documentation="missing")
    response = api(f"/engagements/{engagement.pk}/gaps/readiness")
    assert response.status_code == 200, response.content
    body = response.json()
    (latest,) = body["assessments"]
    assert latest["name"] == "Baseline"
    assert latest["overall"]["rated"] == 1
    assert latest["overall"]["rated_percent"] == 100.0
    assert latest["overall"]["percent"] < 5
    assert latest["overall"]["coverage"] == round(100 / latest["overall"]["total"], 1)
    assert [c["ref_id"] for c in latest["by_clause"]] == ["4", "5", "6", "7", "8", "9", "10"]
    assert {p["code"] for p in latest["by_process"]} >= {"incident", "change"}
    policy = next(s for s in body["stage1"] if s["item"] == "policy")
    assert policy["state"] is False
    assert policy["source_kind"] == "documents"
    assert "Missing" in policy["source"]


def test_an_outsider_gets_404(client, outsider, api_token, engagement):
    token = api_token(outsider)
    response = client.get(f"/api/v1/engagements/{engagement.pk}/gaps/readiness", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404


def test_the_readiness_queries_do_not_grow_with_the_data(api, engagement, owner, catalogue):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api(f"/engagements/{engagement.pk}/gaps/readiness").status_code == 200
        return len(ctx.captured_queries)

    api(f"/engagements/{engagement.pk}/gaps/settings")  # the token records its first use
    baseline = assessment(engagement, owner)
    rate(owner, baseline, "4.1", level=1)
    small = queries()
    document_services.checklist_load(engagement=engagement, actor=owner)
    for ref in ("4.2", "4.3", "5.2.1", "6.2", "8.6.1", "9.2"):
        rate(owner, baseline, ref, level=2, documentation="draft")
    assert queries() == small
