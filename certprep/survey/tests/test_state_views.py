"""Current-state pages: the cards with the relations map, one process's summary and the SVG picture."""

from __future__ import annotations

import re

import defusedxml.ElementTree as ET
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.catalogue.models import Process
from certprep.survey.choices import ResponseStatus
from certprep.survey.tests.interview_world import (
    FULL_ANSWERS,
    campaign,
    person,
    process_questionnaire,
    respond,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(engagement, catalogue):
    incident = process_questionnaire(engagement, "incident", "incident management")
    problem = process_questionnaire(engagement, "problem", "problem management")
    spring = campaign(engagement)
    respond(
        spring, person(engagement, "Ann"), incident, {**FULL_ANSWERS, "definition": "Restore <script>alert(1)</script>"}
    )
    respond(
        spring,
        person(engagement, "Bob"),
        problem,
        {"relations": ["incident"], "definition": "Root causes"},
        status=ResponseStatus.IN_PROGRESS,
    )
    return incident, problem


def _url(name, engagement, *args):
    return reverse(f"survey:{name}", args=[engagement.pk, *args])


def test_the_state_page_has_a_card_per_process_and_the_map_inline(owner_client, engagement, answered):
    response = owner_client.get(_url("state", engagement))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(re.findall(r'<article class="card state-card', page)) == 13
    names = [
        p.tr.name
        for p in Process.objects.filter(lens__urn="urn:certprep:lens:iso-iec-20000-1-2005-processes").order_by("order")
    ]
    positions = [page.index(f">{name}</a></h2>") for name in names]
    assert positions == sorted(positions)  # lens order
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    assert len(root.findall(".//{http://www.w3.org/2000/svg}g[@class='edge']")) == 2
    assert "style=" not in svg
    assert _url("state_process", engagement, "incident") in svg
    assert _url("relation_map", engagement) in page
    assert "<script>alert" not in page


def test_a_process_page_shows_the_full_summary(owner_client, engagement, answered):
    response = owner_client.get(_url("state_process", engagement, "incident"))
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "Incident management",
        "User calls",
        "Monitoring alerts",
        "Jira Service Management",
        "Incident procedure",
        "Service desk manager",
        "Problem management",
        "Open questions",
        "Restore &lt;script&gt;alert(1)&lt;/script&gt;",
    ):
        assert expected in page, expected
    assert "<script>alert(1)" not in page
    problem = owner_client.get(_url("state_process", engagement, "problem")).content.decode()
    assert "draft" in problem


def test_an_unknown_process_is_404(owner_client, engagement, catalogue):
    assert owner_client.get(_url("state_process", engagement, "astrology")).status_code == 404


def test_the_map_alone_is_an_svg_picture(owner_client, engagement, answered):
    response = owner_client.get(_url("relation_map", engagement))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}g[@data-code]")) == 13


def test_the_state_page_query_count_does_not_grow_with_respondents(owner_client, engagement, answered):
    incident, _problem = answered

    def add(n):
        spring = campaign(engagement, name=f"Round {n}")
        for i in range(n):
            respond(spring, person(engagement, f"P{n}-{i}"), incident, FULL_ANSWERS, flags={"owner": "?"})

    add(2)
    with CaptureQueriesContext(connection) as small:
        owner_client.get(_url("state", engagement))
        owner_client.get(_url("state_process", engagement, "incident"))
    add(40)
    with CaptureQueriesContext(connection) as large:
        owner_client.get(_url("state", engagement))
        owner_client.get(_url("state_process", engagement, "incident"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_outsiders_get_404(outsider_client, engagement, answered):
    for url in (
        _url("state", engagement),
        _url("state_process", engagement, "incident"),
        _url("relation_map", engagement),
    ):
        assert outsider_client.get(url).status_code == 404, url


def test_without_the_catalogue_the_page_says_so(owner_client, engagement, no_catalogue):
    response = owner_client.get(_url("state", engagement))
    assert response.status_code == 200
    assert "catalogue is not loaded" in response.content.decode()
