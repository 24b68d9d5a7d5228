"""The budget with the real database, pages and API: derived lines from the plan and the profile, a typed line
superseding a derived one, conversion at entered rates and a missing rate named, version checks (conflict message
and 409), bad input refused with nothing saved, outsiders 404, and the page's query count at two sizes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from certprep.budget.models import BudgetLine
from certprep.budget.services.derived import budget_recompute
from certprep.budget.services.inputs import rate_add, settings_in, settings_update
from certprep.budget.services.lines import line_add
from certprep.core.errors import ServiceError
from certprep.people.models import Person
from certprep.planning.models import Assignment
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db
D = Decimal


def _provider(engagement, owner, *, people=400):
    profile = engagement.profile
    profile.people_in_scope = people
    profile.save()
    return settings_update(
        budget=settings_in(engagement),
        actor=owner,
        expected_version=1,
        training_hours="4",
        training_rate="50",
        internal_day_rate="1000",
        audit_day_rate="2500",
    )


def _line(engagement, owner, **values):
    fields = {"category": "consulting", "description": "Gap review", "quantity": "1", "unit": "", "unit_price": "100"}
    fields |= {"currency": "CNY", "cycle_year": 0, "note": ""}
    return line_add(engagement=engagement, actor=owner, **(fields | values))


@pytest.fixture
def api(client, owner, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}

    def call(method, path, body=None, *, who=None):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(who)}"} if who else headers
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return (
            getattr(client, method)(path, body, **kwargs, **auth)
            if body is not None
            else getattr(client, method)(path, **auth)
        )

    return call


def _summary(api, engagement):
    return api("get", f"/api/v1/engagements/{engagement.pk}/budget/summary").json()


def test_a_400_person_provider_gets_training_estimate_and_internal_effort_lines(owner, engagement, api):
    _provider(engagement, owner)
    world = plan_world(engagement)  # "Design" 5 days, "Trial" 10 days
    ann = Person.objects.create(engagement=engagement, name="Ann")
    Assignment.objects.create(task=world["task"], person=ann, share=100)  # 5 x 8 h = 40 h = 5 days
    Assignment.objects.create(task=world["successor"], person=ann, share=50)  # 10 x 0.5 x 8 = 40 h = 5 days
    budget_recompute(engagement=engagement)
    # Training 400 x 4 h x 50 = 80,000.00; estimate 10 + 3.5 + 3.5 + 7 days x 2,500 = 60,000.00 (25,000 initial).
    # Internal: 10 days x 1,000 = 10,000.00, not cash out.
    summary = _summary(api, engagement)
    assert summary["cash_by_year"] == ["105000.00", "8750.00", "8750.00", "17500.00"]
    assert summary["cash_total"] == "140000.00"
    assert summary["internal_total"] == "10000.00"
    assert summary["no_training_line"] is False
    # Recomputing again with nothing new writes nothing.
    assert budget_recompute(engagement=engagement).changed == 0


def test_a_typed_line_supersedes_the_derived_one_and_is_never_overwritten(owner, engagement, owner_client, api):
    _provider(engagement, owner)
    typed = _line(engagement, owner, category="training", description="Awareness course", unit_price="30000.50")
    budget_recompute(engagement=engagement)
    page = owner_client.get(reverse("budget:overview", args=[engagement.pk])).content.decode()
    assert "superseded by a typed line" in page
    assert _summary(api, engagement)["cash_by_year"][0] == "55000.50"  # 30,000.50 + 25,000 estimate
    typed.refresh_from_db()
    assert typed.unit_price == D("30000.50")
    assert typed.source == "typed"


def test_the_budget_page_warns_when_no_training_is_budgeted(owner, engagement, owner_client):
    profile = engagement.profile
    profile.people_in_scope = 400
    profile.save()
    page = owner_client.get(reverse("budget:overview", args=[engagement.pk])).content.decode()
    assert 'role="alert" id="no-training"' in page
    owner_client.post(
        reverse("budget:line_add", args=[engagement.pk]),
        {"category": "training", "description": "ITIL course", "quantity": "10", "unit": "seats"}
        | {"unit_price": "1200", "currency": "CNY", "cycle_year": "0", "note": ""},
    )
    page = owner_client.get(reverse("budget:overview", args=[engagement.pk])).content.decode()
    assert 'id="no-training"' not in page
    assert "ITIL course" in page


def test_a_foreign_line_is_left_out_with_the_pair_named_until_a_rate_exists(owner, engagement, owner_client, api):
    _line(engagement, owner, unit_price="1250.10", quantity="4", currency="EUR")
    page = owner_client.get(reverse("budget:overview", args=[engagement.pk])).content.decode()
    assert "No exchange rate from EUR to CNY" in page
    assert _summary(api, engagement)["complete"] is False
    rate_add(
        engagement=engagement, actor=owner, source="EUR", target="CNY", rate="7.8125", as_of=datetime.date(2026, 12, 1)
    )
    summary = _summary(api, engagement)
    assert summary["cash_total"] == "39065.63"  # 5,000.40 EUR x 7.8125 = 39,065.625 -> half-up
    assert summary["complete"] is True
    page = owner_client.get(reverse("budget:overview", args=[engagement.pk])).content.decode()
    assert "€5,000.40" in page
    assert "CN¥39,065.63" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_price", "1e30", "more than any budget line can hold"),
        ("quantity", "-3", "zero or more"),
        ("quantity", "5000000", "more than any budget line can hold"),
        ("currency", "XYZ", "not an ISO 4217 currency code"),
    ],
)
def test_bad_input_is_refused_with_nothing_saved(owner, engagement, field, value, message):
    with pytest.raises(ServiceError, match=message) as refused:
        _line(engagement, owner, **{field: value})
    assert refused.value.field == field
    assert not BudgetLine.objects.filter(engagement=engagement).exists()


def test_a_stale_edit_is_refused_on_the_page_and_with_409_in_the_api(owner, engagement, owner_client, api):
    line = _line(engagement, owner)
    values = {"category": "consulting", "description": "Changed", "quantity": "2", "unit": "", "unit_price": "100"}
    values |= {"currency": "CNY", "cycle_year": "0", "note": "", "expected_version": "1"}
    owner_client.post(reverse("budget:line_edit", args=[engagement.pk, line.pk]), values)
    response = owner_client.post(
        reverse("budget:line_edit", args=[engagement.pk, line.pk]), values | {"description": "Late"}
    )
    assert "Someone else changed this" in response.content.decode()
    stale = api(
        "put",
        f"/api/v1/engagements/{engagement.pk}/budget/lines/{line.pk}",
        {"category": "consulting", "description": "Late", "unit_price": "1", "currency": "CNY", "version": 1},
    )
    assert stale.status_code == 409
    line.refresh_from_db()
    assert (line.description, line.version) == ("Changed", 2)


def test_outsiders_get_404_on_pages_and_api(owner, engagement, outsider, outsider_client, api):
    line = _line(engagement, owner)
    for url in (
        reverse("budget:overview", args=[engagement.pk]),
        reverse("budget:line_edit", args=[engagement.pk, line.pk]),
        reverse("budget:rates", args=[engagement.pk]),
    ):
        response = outsider_client.get(url)
        assert response.status_code == 404, url
    for path in ("lines", "summary", "settings", "rates"):
        response = api("get", f"/api/v1/engagements/{engagement.pk}/budget/{path}", who=outsider)
        assert response.status_code == 404, path
        assert "Gap review" not in response.content.decode()


def test_the_budget_page_reads_a_fixed_number_of_queries(
    owner, engagement, owner_client, django_assert_max_num_queries
):
    _provider(engagement, owner)
    url = reverse("budget:overview", args=[engagement.pk])
    for _ in range(3):
        _line(engagement, owner)
    owner_client.get(url)
    with django_assert_max_num_queries(16) as small:
        owner_client.get(url)
    for _ in range(60):
        _line(engagement, owner, currency="EUR")
    with django_assert_max_num_queries(16) as large:
        page = owner_client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Page 1 of 2" in page  # 63 lines, 50 a page; the table still totals all of them
    assert "CN¥300.00" in page  # the 3 CNY lines; the 60 EUR lines wait for their rate, named
    assert "No exchange rate from EUR to CNY" in page


def test_the_api_writes_with_versions_and_refuses_bad_input(owner, engagement, api):
    base = f"/api/v1/engagements/{engagement.pk}/budget"
    assert api("patch", f"{base}/settings", {"version": 1, "training_rate": "50"}).status_code == 200
    stale = api("patch", f"{base}/settings", {"version": 1, "training_rate": "60"})
    assert stale.status_code == 409
    assert api("get", f"{base}/settings").json()["training_rate"] == "50.0000"
    refused = api("post", f"{base}/rates", {"source": "XYZ", "target": "CNY", "rate": "7", "as_of": "2026-12-01"})
    assert refused.status_code == 400
    assert refused.json()["field"] == "source"
    line = {"category": "consulting", "description": "Review", "unit_price": "1e30", "currency": "CNY"}
    too_large = api("post", f"{base}/lines", line)
    assert too_large.status_code == 400
    assert too_large.json()["field"] == "unit_price"
    assert "more than any budget line can hold" in too_large.json()["detail"]
    created = api("post", f"{base}/lines", line | {"unit_price": "1250.10", "quantity": "4"})
    assert created.status_code == 201
    assert created.json()["amount"] == "5000.40"
    line_id = created.json()["id"]
    assert api("delete", f"{base}/lines/{line_id}?version=7").status_code == 409
    assert api("delete", f"{base}/lines/{line_id}?version=1").status_code == 204
    assert not BudgetLine.objects.filter(engagement=engagement).exists()


def test_a_derived_line_is_not_edited_through_the_api(owner, engagement, api):
    _provider(engagement, owner)
    budget_recompute(engagement=engagement)
    derived = BudgetLine.objects.get(engagement=engagement, derived_key="training")
    body = {"category": "training", "description": "Mine now", "unit_price": "1", "currency": "CNY", "version": 1}
    response = api("put", f"/api/v1/engagements/{engagement.pk}/budget/lines/{derived.pk}", body)
    assert response.status_code == 400
    derived.refresh_from_db()
    assert derived.description != "Mine now"
