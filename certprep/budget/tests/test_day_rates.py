"""Day rates per person and per role, on their page and in the API: a person's own rate beats the highest of
their roles', which beats the internal day rate, and the internal-effort lines change to the cent; rates are
validated, versioned (conflict message, 409), audited, and closed to outsiders."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from certprep.budget.models import BudgetLine, BudgetSettings
from certprep.core.models import AuditEntry
from certprep.people.models import Person, RoleAssignment
from certprep.planning.models import Assignment
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def team(engagement):
    """Ann (SMS manager) 10 days of plan work, Bo (process owner and executor) 5 days, Carla (quality manager)
    not in the plan; internal day rate 1,000."""
    BudgetSettings.objects.create(engagement=engagement, internal_day_rate=D(1000))
    world = plan_world(engagement)  # "Design" 5 days, "Trial" 10 days
    ann, bo, carla = (Person.objects.create(engagement=engagement, name=n) for n in ("Ann", "Bo", "Carla"))
    RoleAssignment.objects.create(person=ann, role="sms_manager")
    RoleAssignment.objects.create(person=bo, role="process_owner", process_code="change")
    RoleAssignment.objects.create(person=bo, role="process_executor", process_code="incident")
    RoleAssignment.objects.create(person=carla, role="quality_manager")
    Assignment.objects.create(task=world["task"], person=ann, share=100)  # 5 days
    Assignment.objects.create(task=world["successor"], person=ann, share=50)  # 10 x 50 % = 5 days
    Assignment.objects.create(task=world["task"], person=bo, share=100)  # 5 days
    return {"ann": ann, "bo": bo, "carla": carla}


def _internal(client, engagement) -> dict[str, Decimal]:
    """The internal-effort lines after the budget page recomputed them: person's name -> amount."""
    assert client.get(reverse("budget:overview", args=[engagement.pk])).status_code == 200
    lines = BudgetLine.objects.filter(engagement=engagement, category="internal")
    return {line.derived_from["person"]: (line.quantity * line.unit_price).quantize(D("0.01")) for line in lines}


def _post(client, engagement, version, **rates):
    data = {"expected_version": str(version)} | {k: str(v) for k, v in rates.items()}
    return client.post(reverse("budget:day_rates", args=[engagement.pk]), data)


def test_own_rate_beats_the_role_rate_which_beats_the_default_to_the_cent(engagement, owner_client, team):
    assert _internal(owner_client, engagement) == {"Ann": D("10000.00"), "Bo": D("5000.00")}
    roles = {"role_sms_manager": "1500.25", "role_process_owner": "1200", "role_process_executor": "1300.10"}
    response = _post(owner_client, engagement, 1, **roles)
    assert response.status_code == 302
    # Ann 10 days x 1,500.25; Bo 5 days x the higher of his roles' rates, 1,300.10.
    assert _internal(owner_client, engagement) == {"Ann": D("15002.50"), "Bo": D("6500.50")}
    response = _post(owner_client, engagement, 2, **roles, **{f"person_{team['bo'].pk}": "999.99"})
    assert response.status_code == 302
    assert _internal(owner_client, engagement) == {"Ann": D("15002.50"), "Bo": D("4999.95")}
    entry = AuditEntry.objects.filter(engagement=engagement, object_type="budget.budgetsettings").first()
    assert entry.action == "update"
    assert entry.changes["person_day_rates"] == [{}, {str(team["bo"].pk): "999.99"}]


def test_the_page_lists_everyone_and_the_roles_the_plan_uses(engagement, owner_client, team):
    page = owner_client.get(reverse("budget:day_rates", args=[engagement.pk])).content.decode()
    for name in ("Ann", "Bo", "Carla"):
        assert f"<bdi>{name}</bdi>" in page
    assert "not assigned in the plan" in page  # Carla
    assert f'name="role_{"sms_manager"}"' in page
    assert 'name="role_process_executor"' in page
    assert 'name="role_quality_manager"' not in page  # only Carla, who is not in the plan, holds it
    assert f'name="person_{team["carla"].pk}"' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [("-1", "greater than or equal to 0"), ("1000000000000.5", "less than or equal to"), ("1.00001", "decimal")],
)
def test_a_bad_rate_is_refused_and_nothing_is_saved(engagement, owner_client, team, value, message):
    response = _post(owner_client, engagement, 1, role_sms_manager="1500", **{f"person_{team['ann'].pk}": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    budget = BudgetSettings.objects.get(engagement=engagement)
    assert (budget.role_day_rates, budget.person_day_rates, budget.version) == ({}, {}, 1)


def test_a_stale_page_is_refused_with_the_conflict_message(engagement, owner_client, team):
    assert _post(owner_client, engagement, 1, role_sms_manager="1500").status_code == 302
    response = _post(owner_client, engagement, 1, role_sms_manager="2000")
    assert response.status_code == 200
    assert "Open the latest version" in response.content.decode()
    assert BudgetSettings.objects.get(engagement=engagement).role_day_rates == {"sms_manager": "1500"}


@pytest.fixture
def api(client, owner, api_token):
    def call(method, body=None, *, who=None, engagement=None):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(who or owner)}"}
        path = f"/api/v1/engagements/{engagement.pk}/budget/day-rates"
        if body is None:
            return client.get(path, **auth)
        return getattr(client, method)(path, body, content_type="application/json", **auth)

    return call


def test_the_api_reads_and_replaces_the_rates_with_versions(engagement, team, api, outsider):
    got = api("get", engagement=engagement).json()
    assert got == {
        "role_day_rates": {},
        "person_day_rates": {},
        "currency": "CNY",
        "default_day_rate": "1000.0000",
        "version": 1,
    }
    body = {"version": 1, "role_day_rates": {"sms_manager": "1500.25"}, "person_day_rates": {str(team["bo"].pk): "800"}}
    response = api("put", body, engagement=engagement)
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["person_day_rates"] == {str(team["bo"].pk): "800"}
    assert api("put", body, engagement=engagement).status_code == 409  # version 1 is stale now
    # An unknown role, another engagement's person, a negative rate: 400, nothing changed.
    other = Person.objects.create(engagement=outsider.memberships.first().engagement, name="Oscar's colleague")
    for bad in (
        {"role_day_rates": {"chief_wizard": "1"}, "person_day_rates": {}},
        {"role_day_rates": {}, "person_day_rates": {str(other.pk): "1"}},
        {"role_day_rates": {"sms_manager": "-5"}, "person_day_rates": {}},
    ):
        response = api("put", {"version": 2, **bad}, engagement=engagement)
        assert response.status_code == 400, bad
    assert BudgetSettings.objects.get(engagement=engagement).version == 2
    assert api("get", who=outsider, engagement=engagement).status_code == 404
    assert api("put", {**body, "version": 2}, who=outsider, engagement=engagement).status_code == 404


def test_outsiders_get_404_on_the_page(engagement, team, outsider_client):
    assert outsider_client.get(reverse("budget:day_rates", args=[engagement.pk])).status_code == 404
