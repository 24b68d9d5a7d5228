"""The budget's input pages with the real database: settings with role rates and factors (the 30 % cap shown),
tool options chosen and priced into the budget, exchange rates; viewers read, editors write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from certprep.budget.models import BudgetLine, BudgetSettings, ToolOption
from certprep.budget.services.inputs import settings_in
from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _settings_post(**extra):
    data = {"expected_version": "1", "reporting_currency": "CNY", "training_hours": "4", "training_rate": "50"}
    data |= {
        "internal_day_rate": "1000",
        "audit_day_rate": "2500",
        "surveillance_share": "",
        "recertification_share": "",
    }
    return data | extra


def test_factors_asking_more_than_30_percent_are_capped_and_the_page_says_so(engagement, owner_client):
    profile = engagement.profile
    profile.people_in_scope = 400
    profile.save()
    url = reverse("budget:settings", args=[engagement.pk])
    factors = "-20 | one site | everyone in one building\n-15 | mature tools | ITSM suite in use for years"
    BudgetSettings.objects.create(engagement=engagement, role_day_rates={"sms_manager": "1500"})
    response = owner_client.post(url, _settings_post(factors_text=factors))
    assert response.status_code == 302
    budget = settings_in(engagement)
    assert budget.role_day_rates == {"sms_manager": "1500"}  # the day rates have their own page: left alone
    assert [f["percent"] for f in budget.factors] == ["-20", "-15"]
    page = owner_client.get(url).content.decode()
    # 400 people: 10 days from the table; 35 % asked, 30 % taken: 7 days; surveillance 7 x 0.3333 -> 2.5.
    assert "capped at 30 %" in page
    assert "<dd>7</dd>" in page
    assert "<dd>2.5</dd>" in page
    assert "IAF MD 5" in page


def test_a_factor_without_justification_is_refused_and_nothing_changes(engagement, owner_client):
    url = reverse("budget:settings", args=[engagement.pk])
    response = owner_client.post(url, _settings_post(factors_text="-10 | one site | "))
    assert "needs its justification" in response.content.decode()
    assert settings_in(engagement).pk is None


def test_the_chosen_tool_option_gives_the_tool_lines(engagement, owner, owner_client):
    url = reverse("budget:tools", args=[engagement.pk])
    owner_client.post(
        url,
        {"kind": "adapt", "name": "Adapt <b>Jira</b> SM", "initial_cost": "30000", "yearly_cost": "12000"}
        | {"currency": "CNY", "note": ""},
    )
    option = ToolOption.objects.get(engagement=engagement)
    owner_client.post(reverse("budget:tool_choose", args=[engagement.pk, option.pk]), {"expected_version": "1"})
    page = owner_client.get(url).content.decode()
    assert "Adapt &lt;b&gt;Jira&lt;/b&gt; SM" in page
    owner_client.get(reverse("budget:overview", args=[engagement.pk]))
    lines = BudgetLine.objects.filter(engagement=engagement, category="tools").order_by("cycle_year")
    assert [(line.cycle_year, line.unit_price) for line in lines] == [(0, 30000), (1, 12000), (2, 12000), (3, 12000)]


def test_a_viewer_reads_the_input_pages_but_cannot_write(engagement, owner, client):
    viewer = UserFactory(username="vera")
    services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    for name in ("rates", "settings", "tools"):
        url = reverse(f"budget:{name}", args=[engagement.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"source": "EUR"}).status_code == 403
