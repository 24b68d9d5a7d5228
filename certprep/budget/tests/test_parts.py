"""The budget's part: the demo engagement's budget, the budget section of the engagement file (a lossless round
trip of what is not recomputed, through the real export and import; a bad section refused before anything is
written) and the dashboard card."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from certprep.budget.models import BudgetLine, BudgetSettings, ExchangeRate, ToolOption
from certprep.budget.parts import _status
from certprep.budget.selectors.budget import budget_view
from certprep.budget.services.inputs import settings_in
from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import

pytestmark = pytest.mark.django_db


def _demo():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    return demo, Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


def _typed(engagement):
    return list(
        BudgetLine.objects.filter(engagement=engagement, source="typed")
        .order_by("pk")
        .values_list("category", "description", "quantity", "unit", "unit_price", "currency", "cycle_year", "note")
    )


def test_the_demo_has_a_budget_with_training_internal_effort_and_tools():
    _user, engagement = _demo()
    view = budget_view(engagement, settings_in(engagement))
    keys = set(BudgetLine.objects.filter(engagement=engagement).values_list("derived_key", flat=True))
    assert "training" in keys
    assert any(key.startswith("internal:person:") for key in keys)
    assert {"tools:0", "tools:1", "tools:2", "tools:3"} <= keys
    assert not view.no_training
    assert view.rollup.complete
    assert view.rollup.cash_total > 0


def test_the_budget_section_survives_a_round_trip_and_recomputes_the_same_totals(client):
    user, engagement = _demo()
    document = engagement_export(engagement)
    assert document["budget"]["settings"]["chosen_tool"] == 0
    copy_of = _import(document, user)
    assert _typed(copy_of) == _typed(engagement)
    assert ExchangeRate.objects.filter(engagement=copy_of).count() == 1
    assert ToolOption.objects.filter(engagement=copy_of).count() == 2
    original, imported = settings_in(engagement), settings_in(copy_of)
    assert imported.chosen_tool is not None
    assert imported.chosen_tool.name == original.chosen_tool.name
    assert (imported.factors, imported.role_day_rates) == (original.factors, original.role_day_rates)
    assert engagement_export(copy_of)["budget"] == document["budget"]
    client.force_login(user)
    client.get(reverse("budget:overview", args=[copy_of.pk]))  # recomputes the derived lines
    a = budget_view(engagement, original).rollup
    b = budget_view(copy_of, imported).rollup
    assert (a.cash_total, a.internal_total) == (b.cash_total, b.internal_total)


def test_a_bad_section_is_refused_before_anything_is_written():
    user, engagement = _demo()
    document = engagement_export(engagement)
    before = Engagement.objects.count()
    for breaking in (
        lambda d: d["budget"]["lines"][0].update(unit_price="1000000000000000"),
        lambda d: d["budget"]["lines"][0].update(currency="XYZ"),
        lambda d: d["budget"]["settings"].update(chosen_tool=9),
        lambda d: d["budget"]["settings"]["person_day_rates"].update({"9999": "100"}),
    ):
        broken = copy.deepcopy(document)
        breaking(broken)
        with pytest.raises(ServiceError):
            _import(broken, user)
    assert Engagement.objects.count() == before
    assert BudgetSettings.objects.count() == 1


def test_the_dashboard_card_gives_the_total_and_the_warnings_in_fixed_queries(
    owner, engagement, owner_client, django_assert_max_num_queries
):
    def line(currency):
        BudgetLine.objects.create(
            engagement=engagement, category="consulting", description="x", unit_price=1250, currency=currency
        )

    line("CNY")
    page = owner_client.get(reverse("engagements:dashboard", args=[engagement.pk])).content.decode()
    assert "1 budget line." in page
    assert "CN¥1,250.00" in page
    assert "No training line." in page
    with django_assert_max_num_queries(3):
        _status(engagement)
    for _ in range(30):
        line("EUR")
    with django_assert_max_num_queries(3):
        status = _status(engagement)
    assert status["missing_rates"] == 1
