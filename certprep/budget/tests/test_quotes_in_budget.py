"""The decided certification body's quote in the budget, worked by hand for a 400-person provider with two quotes
of different inclusions: Body A (CNY) includes travel but not the certificate fee, Body B (EUR) the reverse and
leaves out the surveillance audits too. Real vendors' services, real recompute, real API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certprep.budget.models import BudgetLine
from certprep.budget.selectors.budget import budget_view, scenario_table
from certprep.budget.services.derived import budget_recompute
from certprep.budget.services.inputs import rate_add, settings_in, settings_update
from certprep.budget.services.lines import line_add
from certprep.engagements.tests.factories import EngagementFactory
from certprep.vendors.models import Decision
from certprep.vendors.services.register import quote_create, vendor_create
from certprep.vendors.services.selection import decision_record

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def provider(engagement, owner):
    profile = engagement.profile
    profile.people_in_scope = 400
    profile.save()
    settings_update(budget=settings_in(engagement), actor=owner, expected_version=1, audit_day_rate="2500")
    rate_add(engagement=engagement, actor=owner, source="EUR", target="CNY", rate="7.8125", as_of=DAY)
    body_a = vendor_create(engagement=engagement, actor=owner, kind="certification_body", name="Body A")
    quote_a = quote_create(
        vendor=body_a,
        actor=owner,
        received_on=DAY,
        currency="CNY",
        day_rate=D(3000),
        stage1_days=D(2),
        stage2_days=D(8),
        surveillance1_days=D(4),
        surveillance2_days=D(4),
        recertification_days=D(7),
        travel_per_audit=D(2000),
        application_fee=D(5000),
        certificate_fee_per_year=D(1500),  # the user's estimate: the quote leaves the fee out
        includes_surveillance="yes",
        includes_recertification="unknown",
        includes_certificate_fee="no",
        includes_travel="yes",
    )
    body_b = vendor_create(engagement=engagement, actor=owner, kind="certification_body", name="Body B")
    quote_b = quote_create(
        vendor=body_b,
        actor=owner,
        received_on=DAY,
        currency="EUR",
        day_rate=D(400),
        stage1_days=D(3),
        stage2_days=D(9),
        recertification_days=D(8),
        certificate_fee_per_year=D(250),
        includes_surveillance="no",  # estimated at a third of 12 days: 4 days each
        includes_recertification="yes",
        includes_certificate_fee="yes",
        includes_travel="no",  # no figure: listed at 0 as unpriced
    )
    return {"a": (body_a, quote_a), "b": (body_b, quote_b)}


@pytest.fixture
def api(client, owner, api_token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    return lambda method, path: getattr(client, method)(path, **auth)


def _certification(engagement):
    view = budget_view(engagement, settings_in(engagement))
    return [view.rollup.cells.get(("certification", year), D(0)) for year in range(4)], view


def test_before_a_decision_the_size_driven_estimate_prices_certification(engagement, provider):
    budget_recompute(engagement=engagement)
    years, _view = _certification(engagement)
    assert years == [D("25000.00"), D("8750.00"), D("8750.00"), D("17500.00")]  # 10, 3.5, 3.5, 7 days x 2,500


def test_body_a_replaces_the_estimate_with_its_fee_estimated_and_its_unknown_flagged(
    engagement, owner, provider, owner_client
):
    body, quote = provider["a"]
    decision_record(vendor=body, actor=owner, rationale="Sector experience", quote=quote)
    budget_recompute(engagement=engagement)
    years, view = _certification(engagement)
    # Initial: 10 days x 3,000 + travel 2 x 2,000 + application 5,000 + certificate fee 1,500 (estimated) = 40,500.
    # Surveillance: 4 x 3,000 + 2,000 + 1,500 = 15,500 each. Recertification: 7 x 3,000 + 2,000 + 1,500 = 24,500.
    assert years == [D("40500.00"), D("15500.00"), D("15500.00"), D("24500.00")]
    assert sum(years) == D("96000.00")
    assert not BudgetLine.objects.filter(engagement=engagement, derived_key__startswith="certification:").exists()
    fees = BudgetLine.objects.filter(engagement=engagement, derived_key__contains=":certificate_fee:")
    assert fees.count() == 4
    assert all(line.estimate and line.source == "quote" and line.quote_id == quote.pk for line in fees)
    assert any("Body A" in flag and "recertification" in flag for flag in view.flags)
    page = owner_client.get(reverse("budget:overview", args=[engagement.pk])).content.decode()
    assert "Body A&#x27;s quote: certificate fee" in page
    assert "does not say whether it includes recertification" in page


def test_body_b_in_euros_is_converted_line_by_line_and_its_missing_travel_is_unpriced(engagement, owner, provider):
    body, quote = provider["b"]
    decision_record(vendor=body, actor=owner, rationale="Price", quote=quote)
    budget_recompute(engagement=engagement)
    years, view = _certification(engagement)
    # EUR: initial 12 x 400 = 4,800 + fee 250; each surveillance 4 x 400 = 1,600 (estimated) + 250; recert 3,200 + 250.
    # At 7.8125: 4,800 -> 37,500.00; 250 -> 1,953.125 -> 1,953.13; 1,600 -> 12,500.00; 3,200 -> 25,000.00.
    assert years == [D("39453.13"), D("14453.13"), D("14453.13"), D("26953.13")]
    assert sum(years) == D("95312.52")  # 12,200 EUR x 7.8125 = 95,312.50: within a minor unit per line
    travel = BudgetLine.objects.filter(engagement=engagement, derived_key__contains=":travel:")
    assert travel.count() == 4
    assert all(line.unit_price == 0 and line.estimate for line in travel)
    assert view.flags == []  # B answered every question (its "no"s are estimated lines, not flags)


def test_changing_the_decision_moves_the_lines_and_a_typed_certification_line_wins(engagement, owner, provider):
    (body_a, quote_a), (body_b, quote_b) = provider["a"], provider["b"]
    decision_record(vendor=body_a, actor=owner, rationale="First", quote=quote_a)
    budget_recompute(engagement=engagement)
    decision_record(vendor=body_b, actor=owner, rationale="Second thoughts", quote=quote_b)
    done = budget_recompute(engagement=engagement)
    assert done.removed > 0
    assert not BudgetLine.objects.filter(engagement=engagement, quote=quote_a).exists()
    line_add(
        engagement=engagement,
        actor=owner,
        category="certification",
        description="Negotiated flat fee",
        quantity="1",
        unit="",
        unit_price="30000",
        currency="CNY",
        cycle_year=0,
        note="",
    )
    years, _view = _certification(engagement)
    assert years[0] == D("30000.00")  # B's initial-year lines are superseded by the typed line


def test_scenarios_side_by_side_over_the_cycle(engagement, owner, provider, owner_client, api):
    consultancy = vendor_create(engagement=engagement, actor=owner, kind="consultancy", name="Consult C")
    quote = quote_create(
        vendor=consultancy,
        actor=owner,
        received_on=DAY,
        currency="CNY",
        consulting_fixed_fee=D(50000),
        consulting_days=D(10),
        day_rate=D(1500),
    )
    decision_record(vendor=consultancy, actor=owner, rationale="Knows our sector", quote=quote)
    budget_recompute(engagement=engagement)
    table = {s.key: s.rollup for s in scenario_table(engagement, settings_in(engagement))}
    a, b = provider["a"][0].pk, provider["b"][0].pk

    def years(key):
        return [table[key].cash_by_year[y] for y in range(4)]

    # Budgeted: the estimate 25,000 / 8,750 / 8,750 / 17,500 plus the consultancy's 50,000 + 10 x 1,500 = 65,000.
    assert years("budgeted") == [D("90000.00"), D("8750.00"), D("8750.00"), D("17500.00")]
    assert table["budgeted"].cash_total == D("125000.00")
    assert table["without_consultancy"].cash_total == D("60000.00")
    assert years(f"certification:{a}") == [D("105500.00"), D("15500.00"), D("15500.00"), D("24500.00")]
    assert table[f"certification:{a}"].cash_total == D("161000.00")
    assert table[f"certification:{b}"].cash_total == D("160312.52")
    assert table[f"consulting:{consultancy.pk}"].cash_total == D("125000.00")
    listed = api("get", f"/api/v1/engagements/{engagement.pk}/budget/scenarios").json()
    assert [row["cash_total"] for row in listed][:2] == ["125000.00", "60000.00"]
    page = owner_client.get(reverse("budget:scenarios", args=[engagement.pk])).content.decode()
    assert "With the certification body Body B" in page
    assert "CN¥160,312.52" in page


def test_a_quote_of_another_engagement_never_prices_this_budget(engagement, owner, provider, outsider):
    other = EngagementFactory(owner=outsider, name="Client B preparation")
    foreign_body = vendor_create(engagement=other, actor=outsider, kind="certification_body", name="Body Z")
    foreign = quote_create(vendor=foreign_body, actor=outsider, received_on=DAY, currency="CNY", day_rate=D(99999))
    body, _quote = provider["a"]
    # A row no service writes: this engagement's decision naming another engagement's quote.
    Decision.objects.create(
        engagement=engagement,
        kind="certification_body",
        vendor=body,
        quote=foreign,
        decided_by=owner,
        decided_at=timezone.now(),
        rationale="forged",
    )
    budget_recompute(engagement=engagement)
    years, view = _certification(engagement)
    assert years == [D("25000.00"), D("8750.00"), D("8750.00"), D("17500.00")]  # still the estimate
    assert not BudgetLine.objects.filter(quote=foreign).exists()
    assert view.flags == []
