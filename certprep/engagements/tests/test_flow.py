"""The menu's preparation flow comes from the declared parts: each part with a page is a step, in settings'
order; a part the settings declare appears without the engagement app knowing it."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SHIPPED = ["certprep.people.parts", "certprep.survey.parts", "certprep.responsibilities.parts", "certprep.gaps.parts"]


def _flow(body: str) -> list[tuple[str, str]]:
    """(link text, address) of each step in the menu's flow list, in order."""
    flow = re.search(r'<ol class="flow">(.*?)</ol>', body, re.S)
    assert flow is not None
    return [(text.strip(), href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', flow.group(1))]


def test_the_menu_lists_the_shipped_parts_pages_in_the_order_of_the_preparation(owner_client, engagement):
    body = owner_client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    e = engagement.pk
    assert _flow(body) == [
        ("Profile", f"/e/{e}/profile/"),
        ("Survey", reverse("survey:overview", args=[e])),
        ("Responsibilities", reverse("responsibilities:matrix", args=[e])),
        ("Gaps", reverse("gaps:overview", args=[e])),
        ("Plan", reverse("planning:plan", args=[e])),
        ("Vendors", reverse("vendors:register", args=[e])),
        ("Budget", reverse("budget:overview", args=[e])),
        ("Project organization", reverse("organization:overview", args=[e])),
        ("Feasibility scheme", reverse("feasibility:overview", args=[e])),
        ("Reports", reverse("reports:overview", args=[e])),
    ]


def test_a_part_declared_in_the_settings_takes_its_place_in_the_menu(owner_client, engagement):
    with override_settings(CERTPREP_ENGAGEMENT_PARTS=[*SHIPPED[:2], "certprep.engagements.tests.notes_part"]):
        body = owner_client.get(reverse("survey:overview", args=[engagement.pk])).content.decode()
    steps = _flow(body)
    assert [label for label, _href in steps] == ["Profile", "Survey", "Notes of the plan"]
    assert ("Notes of the plan", reverse("engagements:members", args=[engagement.pk])) in steps


def test_the_current_step_is_marked_on_every_page_of_its_part(owner_client, engagement):
    body = owner_client.get(reverse("gaps:overview", args=[engagement.pk])).content.decode()
    current = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">', body)
    assert current == [reverse("gaps:overview", args=[engagement.pk])]
