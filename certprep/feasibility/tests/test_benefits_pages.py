"""The benefits and risk register pages: what a member sees (the economics worked from the budget, the heat map,
the schedule-risk input), what an editor can do (seed, add, edit with a version, remove, move), viewers and
outsiders kept out, and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.selectors.economics import economics_of
from certprep.feasibility.services.benefits import benefit_create
from certprep.feasibility.services.risks import risk_create
from certprep.feasibility.tests.world_benefits import cost_line
from certprep.people.models import Person
from certprep.planning.tests.risk_world import risk_world

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_benefits_page_works_out_payback_from_the_budget_and_the_priced_benefits(engagement, owner, owner_client):
    cost_line(engagement, owner, year=0, amount="100000")
    for year in (1, 2, 3):
        cost_line(engagement, owner, year=year, amount="20000")
    benefit_create(engagement=engagement, actor=owner, title="Fewer outages", value_per_year=Decimal(50000))
    page = _text(owner_client.get(reverse("feasibility:benefits", args=[engagement.pk])).content.decode())
    # Costs 160,000; benefits 3 x 50,000 = 150,000; running total -100,000, -70,000, -40,000, -10,000: no payback.
    assert "Costs over the cycle CN¥160,000.00" in page
    assert "Net benefit -CN¥10,000.00" in page
    assert "Payback period not within the cycle" in page
    assert "Simple return -6.3 %" in page
    benefit_create(
        engagement=engagement, actor=owner, title="Faster delivery", value_per_year=Decimal(30000), first_year=2
    )
    page = _text(owner_client.get(reverse("feasibility:benefits", args=[engagement.pk])).content.decode())
    # Net flows -100,000 / +30,000 / +60,000 / +60,000; running total -100,000, -70,000, -10,000, +50,000:
    # it turns in year 3, after 10,000 / 60,000 of it: 2 + 1/6 = 2.1666... -> 2.17.
    assert "Payback period 2.17 years" in page
    assert "Net benefit CN¥50,000.00" in page
    assert "Benefits 30 % lower" in page
    assert "2 of 2 benefits have a money value" in page


def test_the_benefits_page_says_what_is_missing(engagement, owner, owner_client):
    page = _text(owner_client.get(reverse("feasibility:benefits", args=[engagement.pk])).content.decode())
    assert "The budget has no line yet" in page
    assert "No benefit has a money value yet." in page
    assert "Start from the usual benefits" in page


def test_an_editor_seeds_edits_and_removes_a_benefit_and_a_stale_edit_is_refused(engagement, owner, owner_client):
    owner_client.post(reverse("feasibility:benefits_usual", args=[engagement.pk]))
    benefit = Benefit.objects.filter(engagement=engagement).first()
    url = reverse("feasibility:benefit", args=[engagement.pk, benefit.pk])
    form = {"title": "Stable services", "value_per_year": "80000", "first_year": "1", "lenses": ["efficiency"]}
    assert owner_client.post(url, form | {"expected_version": 1}).status_code == 302
    benefit.refresh_from_db()
    assert (benefit.title, benefit.value_per_year, benefit.lenses) == (
        "Stable services",
        Decimal(80000),
        ["efficiency"],
    )
    stale = owner_client.post(url, form | {"title": "Mine", "expected_version": 1})
    assert stale.status_code == 200
    assert "Someone else changed this" in stale.content.decode()
    remove = reverse("feasibility:benefit_remove", args=[engagement.pk, benefit.pk])
    owner_client.post(remove, {"expected_version": 2})
    assert not Benefit.objects.filter(pk=benefit.pk).exists()


def test_the_risk_register_shows_the_heat_map_the_schedule_input_and_overdue_countermeasures(
    engagement, owner, owner_client
):
    run = risk_world(engagement)
    person = Person.objects.create(engagement=engagement, name="Wang <Fang>")
    risk_create(
        engagement=engagement,
        actor=owner,
        title="<script>alert(1)</script>",
        likelihood=5,
        impact=4,
        owner=person,
        due=datetime.date(2020, 1, 1),
    )
    risk_create(engagement=engagement, actor=owner, title="Second", likelihood=5, impact=4)
    html = owner_client.get(reverse("feasibility:risks", args=[engagement.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'data-likelihood="5" data-impact="4" data-count="2"' in html
    assert 'role="img"' in html
    assert "overdue" in html
    assert "Wang &lt;Fang&gt;" in html
    assert reverse("planning:risk", args=[engagement.pk]) in html
    assert str(run.pk)  # the run exists: its stage 2 figure (or the lack of one) is said on the page
    assert "Input: the plan" in _text(html)


def test_viewers_read_but_do_not_write_and_outsiders_get_404(engagement, owner, client, outsider):
    viewer = UserFactory(username="vera")
    engagement_services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    assert client.get(reverse("feasibility:benefits", args=[engagement.pk])).status_code == 200
    assert client.post(reverse("feasibility:benefits_usual", args=[engagement.pk])).status_code == 403
    assert client.get(reverse("feasibility:risk_add", args=[engagement.pk])).status_code == 403
    assert not Benefit.objects.exists()
    client.force_login(outsider)
    for name in ("feasibility:benefits", "feasibility:risks"):
        assert client.get(reverse(name, args=[engagement.pk])).status_code == 404


@pytest.mark.parametrize("name", ["feasibility:benefits", "feasibility:risks"])
def test_the_pages_read_a_fixed_number_of_queries(name, engagement, owner, owner_client, django_assert_max_num_queries):
    person = Person.objects.create(engagement=engagement, name="Owner")
    cost_line(engagement, owner, year=0, amount="1000")

    def add(count: int) -> None:
        for number in range(count):
            benefit_create(engagement=engagement, actor=owner, title=f"b{number}", value_per_year=Decimal(number))
            risk_create(engagement=engagement, actor=owner, title=f"r{number}", owner=person, impact=1 + number % 5)

    url = reverse(name, args=[engagement.pk])
    add(2)
    owner_client.get(url)
    with django_assert_max_num_queries(20) as small:
        owner_client.get(url)
    add(40)
    with django_assert_max_num_queries(20) as large:
        page = owner_client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "b39" in page or "r39" in page
    assert Risk.objects.filter(engagement=engagement).count() == 42


def test_a_budget_that_costs_nothing_yet_has_no_payback_to_show(engagement, owner, owner_client):
    cost_line(engagement, owner, year=0, amount="0")
    economics = economics_of(engagement)
    assert economics.costs == Decimal(0)
    assert economics.payback_years is None  # not "0 years"
    page = _text(owner_client.get(reverse("feasibility:benefits", args=[engagement.pk])).content.decode())
    assert "lines add up to nothing yet: there is no cost to pay back." in page
