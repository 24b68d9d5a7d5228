"""The gap analysis on frameworks shaped like the real CISO Assistant libraries: NIST SP 800-53 families,
ISO/IEC 27001:2022's core and annex-a, ISO/IEC 42001's mixed top level, NZISM v3's unnamed parents."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from certprep.catalogue.models import Framework
from certprep.catalogue.services import framework_import
from certprep.catalogue.tests.libraries import iso27001_like, iso42001_like, nist_like
from certprep.gaps.tests.factories import assessment, rate

pytestmark = pytest.mark.django_db


def imported(data: bytes) -> Framework:
    return framework_import(data=data).framework


def api_refs(client: Any, token: str, engagement: Any, assessed: Any, clause: str) -> list[str]:
    url = f"/api/v1/engagements/{engagement.pk}/gaps/assessments/{assessed.pk}/ratings"
    response = client.get(url, {"clause": clause, "limit": 1000}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return [item["requirement"]["ref_id"] for item in response.json()["items"]]


def page_refs(client: Any, engagement: Any, assessed: Any, clause: str) -> list[str]:
    url = reverse("gaps:assessment", args=[engagement.pk, assessed.pk])
    page = client.get(url, {"clause": clause}).content.decode()
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a>', page)


def test_the_readiness_dashboard_of_iso_20000_with_a_nist_assessment_lists_every_clause(
    owner, owner_client, engagement, catalogue
):
    iso = assessment(engagement, owner, name="ISO 20000 baseline")
    rate(owner, iso, "8.6.1", documentation="missing")
    nist = assessment(engagement, owner, name="NIST review", framework=imported(nist_like()))
    rate(owner, nist, "AC-2", documentation="draft")
    response = owner_client.get(reverse("gaps:dashboard", args=[engagement.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ISO 20000 baseline" in page
    assert "NIST review" in page


def test_the_readiness_dashboard_of_iso_42001_alone_answers(owner, owner_client, engagement, catalogue):
    assessment(engagement, owner, name="42001 gap analysis", framework=imported(iso42001_like()))
    response = owner_client.get(reverse("gaps:dashboard", args=[engagement.pk]))
    assert response.status_code == 200
    assert "42001 gap analysis" in response.content.decode()


def test_the_clause_filter_finds_the_controls_of_a_nist_family(owner, owner_client, engagement, catalogue, api_token):
    nist = assessment(engagement, owner, name="NIST review", framework=imported(nist_like(controls=2, enhancements=1)))
    expected = ["AC-1", "AC-1(1)", "AC-2", "AC-2(1)"]
    assert page_refs(owner_client, engagement, nist, "AC") == expected
    assert api_refs(owner_client, api_token(owner), engagement, nist, "AC") == expected
    assert api_refs(owner_client, api_token(owner), engagement, nist, "AC-2") == ["AC-2", "AC-2(1)"]


def test_the_clause_filter_finds_iso_27001_core_and_annex_a(owner, owner_client, engagement, catalogue, api_token):
    iso27001 = assessment(engagement, owner, name="27001", framework=imported(iso27001_like()))
    token = api_token(owner)
    assert api_refs(owner_client, token, engagement, iso27001, "core") == ["4.1", "4.2", "5.1", "5.2", "6.1", "6.2"]
    annex = ["A.5.1", "A.5.2", "A.5.10", "A.8.1", "A.8.2", "A.8.10"]
    assert api_refs(owner_client, token, engagement, iso27001, "annex-a") == annex
    assert page_refs(owner_client, engagement, iso27001, "annex-a") == annex


def test_the_clause_filter_still_takes_a_dotted_clause_and_everything_under_it(
    owner, owner_client, engagement, catalogue, api_token
):
    iso = assessment(engagement, owner)
    assert api_refs(owner_client, api_token(owner), engagement, iso, "8.6") == ["8.6.1", "8.6.2", "8.6.3"]


def test_the_clause_list_of_the_screen_is_in_natural_order_for_mixed_references(
    owner, owner_client, engagement, catalogue
):
    mixed = assessment(engagement, owner, name="42001", framework=imported(iso42001_like()))
    page = owner_client.get(reverse("gaps:assessment", args=[engagement.pk, mixed.pk])).content.decode()
    select = page.split('id="f-clause"')[1].split("</select>")[0]
    offered = [part.split('"')[0] for part in select.split('<option value="')[2:]]
    assert offered == ["4", "5", "6", "7", "8", "9", "10", "A"]
