"""The benefits, economics, risks and heat map through the API: writes with versions (409 when stale), Decimal
strings, bad input refused with nothing saved, another engagement's objects 404."""

from __future__ import annotations

import json

import pytest

from certprep.engagements.models import Engagement
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.tests.world_benefits import cost_line
from certprep.people.models import Person

pytestmark = pytest.mark.django_db
E = "/api/v1/engagements/{}/feasibility"


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        data = json.dumps(body) if body is not None else None
        return getattr(client, method)(path, data=data, content_type="application/json", **headers)

    return call


def test_benefits_are_created_changed_with_their_version_and_removed(engagement, call):
    base = E.format(engagement.pk)
    made = call(
        "post", f"{base}/benefits", {"title": "Fewer outages", "value_per_year": "50000.25", "lenses": ["efficiency"]}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["value_per_year"], body["first_year"], body["lenses"], body["version"]) == (
        "50000.25",
        1,
        ["efficiency"],
        1,
    )
    url = f"{base}/benefits/{body['id']}"
    changed = call("patch", url, {"version": 1, "value_per_year": None, "first_year": 2})
    assert changed.status_code == 200
    assert (changed.json()["value_per_year"], changed.json()["first_year"]) == (None, 2)
    stale = call("patch", url, {"version": 1, "title": "Mine"})
    assert stale.status_code == 409
    assert Benefit.objects.get(pk=body["id"]).title == "Fewer outages"
    assert call("delete", f"{url}?version=1").status_code == 409
    assert call("delete", f"{url}?version=2").status_code == 204
    assert call("get", url).status_code == 404


def test_bad_benefits_are_refused_and_nothing_is_saved(engagement, call):
    base = E.format(engagement.pk)
    assert call("post", f"{base}/benefits", {"title": "x", "value_per_year": "-5"}).status_code == 422
    assert call("post", f"{base}/benefits", {"title": "x", "value_per_year": 5.5}).status_code == 422  # no floats
    assert call("post", f"{base}/benefits", {"title": "x", "lenses": ["joy"]}).status_code == 422
    assert call("post", f"{base}/benefits", {"title": "x", "first_year": 0}).status_code == 422
    assert not Benefit.objects.exists()


def test_the_economics_come_as_decimal_strings_worked_from_the_budget(engagement, owner, call):
    cost_line(engagement, owner, year=0, amount="100000")
    for year in (1, 2, 3):
        cost_line(engagement, owner, year=year, amount="20000")
    base = E.format(engagement.pk)
    call("post", f"{base}/benefits", {"title": "a", "value_per_year": "50000"})
    call("post", f"{base}/benefits", {"title": "b", "value_per_year": "30000", "first_year": 2})
    eco = call("get", f"{base}/economics").json()
    # Net flows -100,000 / 30,000 / 60,000 / 60,000: running -100,000, -70,000, -10,000, 50,000: 2 + 1/6 years.
    assert (eco["currency"], eco["costs"], eco["benefits"], eco["net_benefit"]) == (
        "CNY",
        "160000.00",
        "210000.00",
        "50000.00",
    )
    assert (eco["payback_years"], eco["simple_return"]) == ("2.17", "0.3125")  # 50,000 / 160,000
    assert [y["running_total"] for y in eco["years"]] == ["-100000.00", "-70000.00", "-10000.00", "50000.00"]
    both = next(case for case in eco["sensitivity"] if case["case"] == "both")
    # Benefits x 0.7 = 147,000; costs x 1.3 = 208,000; net -61,000; no payback.
    assert (both["net_benefit"], both["payback_years"]) == ("-61000.00", None)


def test_risks_take_an_owner_of_the_engagement_only_and_the_heat_map_counts_open_ones(engagement, owner, call):
    base = E.format(engagement.pk)
    ours = Person.objects.create(engagement=engagement, name="Li Wei")
    theirs = Person.objects.create(engagement=Engagement.objects.create(name="Other"), name="Stranger")
    refused = call("post", f"{base}/risks", {"title": "x", "owner_id": theirs.pk})
    assert refused.status_code == 400
    assert refused.json()["field"] == "owner_id"
    assert call("post", f"{base}/risks", {"title": "x", "likelihood": 0}).status_code == 422
    assert not Risk.objects.exists()
    made = call("post", f"{base}/risks", {"title": "Key person", "owner_id": ours.pk, "likelihood": 4, "impact": 4})
    assert made.status_code == 201
    assert (made.json()["score"], made.json()["level"], made.json()["owner_id"]) == (16, "high", ours.pk)
    call("post", f"{base}/risks", {"title": "Closed", "likelihood": 4, "impact": 4, "status": "closed"})
    heat = call("get", f"{base}/risk-heat-map").json()
    cell = next(c for c in heat["cells"] if (c["likelihood"], c["impact"]) == (4, 4))
    assert (cell["count"], heat["open_total"], len(heat["cells"])) == (1, 1, 25)
    url = f"{base}/risks/{made.json()['id']}"
    assert call("patch", url, {"version": 1, "owner_id": None, "impact": 1}).json()["owner_id"] is None
    assert call("patch", url, {"version": 1, "impact": 5}).status_code == 409
    assert call("delete", f"{url}?version=2").status_code == 204


def test_another_engagements_benefits_and_risks_are_404(engagement, owner, outsider, call):
    base = E.format(engagement.pk)
    benefit = call("post", f"{base}/benefits", {"title": "secret"}).json()
    risk = call("post", f"{base}/risks", {"title": "secret"}).json()
    for method, path, body in (
        ("get", f"{base}/benefits", None),
        ("get", f"{base}/benefits/{benefit['id']}", None),
        ("patch", f"{base}/benefits/{benefit['id']}", {"version": 1, "title": "x"}),
        ("delete", f"{base}/risks/{risk['id']}?version=1", None),
        ("get", f"{base}/economics", None),
        ("get", f"{base}/risk-heat-map", None),
    ):
        response = call(method, path, body, user=outsider)
        assert response.status_code == 404, path
        assert "secret" not in response.content.decode()
    assert Benefit.objects.get(pk=benefit["id"]).title == "secret"
