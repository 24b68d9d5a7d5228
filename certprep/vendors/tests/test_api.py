"""The vendors' API: the register, quotes with their schedule, criteria, scores, the comparison and the
decision; versions refused when stale (409), bad input refused with nothing saved, outsiders 404."""

from __future__ import annotations

import json

import pytest

from certprep.planning.models import Plan
from certprep.vendors.models import Quote, Vendor
from certprep.vendors.tests.world import vendors_world

pytestmark = pytest.mark.django_db
E = "/api/v1/engagements/{}"


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        data = json.dumps(body) if body is not None else None
        return getattr(client, method)(path, data=data, content_type="application/json", **headers)

    return call


QUOTE = {
    "received_on": "2026-11-02",
    "currency": "CNY",
    "day_rate": "5850.75",
    "stage1_days": "1.5",
    "stage2_days": "4.5",
    "recertification_days": "4",
    "travel_per_audit": "1200.40",
    "application_fee": "2500",
    "certificate_fee_per_year": "1800",
    "includes_surveillance": "no",
    "includes_recertification": "yes",
    "includes_certificate_fee": "yes",
    "includes_travel": "no",
}


def test_a_vendor_and_its_quote_through_the_api_with_the_schedule_to_the_cent(call, engagement):
    made = call("post", E.format(engagement.pk) + "/vendors", {"kind": "certification_body", "name": "Body B"})
    assert made.status_code == 201
    assert made.json()["flags"] == ["missing", "expiry_unknown", "scope_unknown"]
    vendor_id = made.json()["id"]
    quote = call("post", E.format(engagement.pk) + f"/vendors/{vendor_id}/quotes", QUOTE)
    assert quote.status_code == 201
    assert quote.json()["total"] == "97612.50"  # hand-worked in test_rules
    estimated = [item for item in quote.json()["schedule"] if item["estimated"]]
    assert {(item["year"], item["part"]) for item in estimated} >= {(1, "audit_days"), (2, "audit_days"), (0, "travel")}


@pytest.mark.parametrize(
    ("field", "value"),
    [("currency", "XYZ"), ("day_rate", "1e30"), ("day_rate", "-1"), ("stage1_days", "1000.5"), ("day_rate", 5)],
)
def test_bad_quote_figures_are_refused_and_nothing_is_saved(call, engagement, owner, field, value):
    world = vendors_world(engagement, owner)
    answer = call("post", E.format(engagement.pk) + f"/vendors/{world['b'].pk}/quotes", {**QUOTE, field: value})
    assert answer.status_code in (400, 422)
    assert answer.json()["field"] == field or field in json.dumps(answer.json())
    assert Quote.objects.filter(vendor=world["b"]).count() == 1


def test_a_stale_version_is_refused_with_409(call, engagement, owner):
    world = vendors_world(engagement, owner)
    path = E.format(engagement.pk) + f"/vendor-quotes/{world['quote'].pk}"
    assert call("patch", path, {"version": 1, "includes_certificate_fee": "yes"}).status_code == 200
    stale = call("patch", path, {"version": 1, "includes_travel": "no"})
    assert stale.status_code == 409
    assert Quote.objects.get(pk=world["quote"].pk).includes_travel == "yes"
    criterion = E.format(engagement.pk) + f"/vendor-criteria/{world['criterion'].pk}"
    assert call("patch", criterion, {"version": 9, "weight": 50}).status_code == 409


def test_scoring_comparing_and_deciding_through_the_api(call, engagement, owner):
    world = vendors_world(engagement, owner)
    plan = Plan.objects.create(engagement=engagement, start_date="2027-01-04")
    base = E.format(engagement.pk)
    put = call("put", base + f"/vendors/{world['b'].pk}/scores/{world['criterion'].pk}", {"score": 5, "version": 1})
    assert put.status_code == 200
    assert put.json()["version"] == 2
    price = call("put", base + f"/vendors/{world['b'].pk}/scores/{world['price'].pk}", {"score": 5})
    assert price.status_code == 400  # the price is scored from the totals
    found = call("get", base + "/vendor-comparison?kind=certification_body").json()
    assert found["price_scored"] is True
    assert [s["name"] for s in found["standings"]] == ["Body A", "Body B"]
    a = found["standings"][0]
    assert sum(float(v) for v in a["contributions"].values()) == pytest.approx(float(a["weighted_score"]), abs=0.01)
    decided = call("post", base + "/vendor-decisions", {"vendor": world["a"].pk, "rationale": "Competence"})
    assert decided.status_code == 201
    plan.refresh_from_db()
    assert plan.certification_body == "Body A"


def test_another_engagements_objects_are_404_or_refused(call, engagement, owner, outsider):
    world = vendors_world(engagement, owner)
    base = E.format(engagement.pk)
    for path in ("/vendors", f"/vendors/{world['a'].pk}", f"/vendor-quotes/{world['quote'].pk}", "/vendor-comparison"):
        assert call("get", base + path, user=outsider).status_code == 404
    assert call("post", base + "/vendor-decisions", {"vendor": 1, "rationale": "x"}, user=outsider).status_code == 404
    theirs = outsider.memberships.get().engagement_id
    foreign = call(
        "post", E.format(theirs) + "/vendor-decisions", {"vendor": world["a"].pk, "rationale": "x"}, user=outsider
    )
    assert foreign.status_code == 400  # a vendor of another engagement, named in the body: refused as input
    assert foreign.json()["field"] == "vendor"
    assert not Vendor.objects.filter(engagement_id=theirs).exists()
