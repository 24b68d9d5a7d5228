"""The vendor pages as a person uses them: the register with its flags, a vendor with its auditors, availability
and quotes, the quote form with the quote check, and the comparison from criteria to decision."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certprep.engagements import services
from certprep.engagements.tests.factories import UserFactory
from certprep.planning.models import AuditBooking, Plan
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import Criterion, Decision, Quote, Score, Vendor
from certprep.vendors.tests.world import body_a, body_b, vendors_world

pytestmark = pytest.mark.django_db


def test_the_register_flags_an_expired_accreditation_and_the_open_quote_check(owner_client, engagement, owner):
    body_a(engagement, owner)
    body_b(engagement, owner)
    page = owner_client.get(reverse("vendors:register", args=[engagement.pk])).content.decode()
    assert "Body A" in page
    assert "Body B" in page
    assert 'data-flag="expired"' in page  # Body B's accreditation ran out in January 2026
    assert 'data-flag="scope_unknown"' in page
    assert 'data-flag="includes_certificate_fee-no"' in page  # Body A leaves the fee out
    assert 'data-flag="includes_travel-no"' in page  # Body B bills travel on top
    # Body A: 48,000 + 16,500 + 16,500 + 31,500 (test_rules) + our certificate fee estimate 4 x 2,000
    assert "CN¥120,500.00" in page


def test_adding_a_vendor_and_a_quote_with_its_check(owner_client, engagement):
    response = owner_client.post(
        reverse("vendors:vendor_add", args=[engagement.pk]),
        {"kind": VendorKind.CERTIFICATION_BODY, "name": "Body <b>X</b>", "scope_covers_20000": "no"},
    )
    vendor = Vendor.objects.get(engagement=engagement)
    assert response.status_code == 302
    form = owner_client.get(reverse("vendors:quote_add", args=[engagement.pk, vendor.pk])).content.decode()
    assert "Does the quote include next year&#x27;s surveillance audit?" in form
    assert "leave out next year&#x27;s surveillance audit" in form
    response = owner_client.post(
        reverse("vendors:quote_add", args=[engagement.pk, vendor.pk]),
        {
            "received_on": "2026-11-02",
            "currency": "eur",
            "day_rate": "1400",
            "stage1_days": "1",
            "stage2_days": "2",
            "surveillance1_days": "0",
            "surveillance2_days": "0",
            "recertification_days": "2",
            "travel_per_audit": "0",
            "application_fee": "0",
            "certificate_fee_per_year": "500",
            "consulting_fixed_fee": "0",
            "consulting_days": "0",
            "includes_surveillance": "no",
            "includes_recertification": "yes",
            "includes_certificate_fee": "yes",
            "includes_travel": "unknown",
        },
    )
    assert response.status_code == 302
    quote = Quote.objects.get(vendor=vendor)
    assert quote.currency == "EUR"
    assert quote.includes_surveillance == "no"
    page = owner_client.get(reverse("vendors:vendor", args=[engagement.pk, vendor.pk])).content.decode()
    assert "Body &lt;b&gt;X&lt;/b&gt;" in page
    assert "<b>X</b>" not in page
    assert 'data-flag="scope_not_covered"' in page
    # stage 1 + 2: 3 x 1,400 = 4,200; surveillance estimated at 3 / 3 = 1 day: 1,400 twice;
    # recertification 2 x 1,400 = 2,800; certificate fee 4 x 500 = 2,000; travel unknown, nothing typed
    assert 'id="schedule-total">€11,800.00' in page


def test_a_quote_with_an_unknown_currency_or_a_negative_rate_is_refused_and_nothing_is_saved(
    owner_client, engagement, owner
):
    vendor = body_a(engagement, owner)
    url = reverse("vendors:quote_add", args=[engagement.pk, vendor.pk])
    base = {"received_on": "2026-11-02", "day_rate": "1", **{f: "0" for f in ("stage1_days", "stage2_days")}}
    response = owner_client.post(url, {**base, "currency": "XYZ"})
    assert response.status_code == 200
    assert "XYZ is not an ISO 4217 currency code." in response.content.decode()
    response = owner_client.post(url, {**base, "currency": "CNY", "day_rate": "-5"})
    assert response.status_code == 200
    response = owner_client.post(url, {**base, "currency": "CNY", "day_rate": "1e30"})
    assert response.status_code == 200
    assert Quote.objects.filter(vendor=vendor).count() == 1


def test_the_comparison_ranks_scores_and_records_the_decision_on_the_plan(owner_client, engagement, owner):
    world = vendors_world(engagement, owner)
    plan = Plan.objects.create(engagement=engagement, start_date=datetime.date(2027, 1, 4), certification_body="TBD")
    AuditBooking.objects.create(plan=plan, kind="stage1", date=datetime.date(2027, 4, 12), audit_days=2)
    AuditBooking.objects.create(plan=plan, kind="stage2", date=datetime.date(2027, 7, 5), audit_days=5)
    url = reverse("vendors:comparison", args=[engagement.pk])
    page = owner_client.get(url).content.decode()
    assert 'id="rank-{}" class="recommended"'.format(world["a"].pk) in page
    assert "no change within 0-100" in page or "points puts" in page
    response = owner_client.post(
        reverse("vendors:decide", args=[engagement.pk]),
        {"kind": VendorKind.CERTIFICATION_BODY, "vendor": world["a"].pk, "rationale": "Best auditors, fair price"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.vendor == world["a"]
    assert decision.decided_by == owner
    assert decision.quote == world["quote"]
    plan.refresh_from_db()
    assert plan.certification_body == "Body A"
    assert plan.version == 2
    page = owner_client.get(url).content.decode()
    assert "Best auditors, fair price" in page
    # stage 1 on 12-13 April lies in A's window (March-June), stage 2 in July does not
    assert page.count("outside its availability") == 1


def test_weights_and_scores_carry_their_versions(owner_client, engagement, owner):
    world = vendors_world(engagement, owner)
    criterion = world["criterion"]
    owner_client.post(
        reverse("vendors:weights", args=[engagement.pk]),
        {f"weight_{c.pk}": 7 if c == criterion else c.weight for c in Criterion.objects.all()}
        | {f"version_{c.pk}": c.version for c in Criterion.objects.all()},
    )
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.version) == (7, 2)
    stale = {f"weight_{c.pk}": 9 for c in Criterion.objects.all()} | {
        f"version_{c.pk}": 1 for c in Criterion.objects.all()
    }
    owner_client.post(reverse("vendors:weights", args=[engagement.pk]), stale)
    criterion.refresh_from_db()
    assert criterion.weight == 7  # refused as a whole: someone saved since
    score = Score.objects.get(vendor=world["b"], criterion=criterion)
    response = owner_client.post(
        reverse("vendors:scores", args=[engagement.pk, world["b"].pk]),
        {f"score_{criterion.pk}": "5", f"rationale_{criterion.pk}": "Visited them", f"version_{criterion.pk}": 99},
    )
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    score.refresh_from_db()
    assert score.score == 3


def test_the_comparison_workbook_reads_back_with_neutralized_text(owner_client, engagement, owner):
    body_a(engagement, owner, name='=HYPERLINK("http://evil.example")')
    body_b(engagement, owner)
    response = owner_client.get(reverse("vendors:export", args=[engagement.pk]) + "?kind=certification_body")
    book = load_workbook(BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    quotes = book.worksheets[0]
    names = [row[0].value for row in quotes.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://evil.example")' in names
    totals = {row[0].value: row[6].value for row in quotes.iter_rows(min_row=2)}
    assert totals["Body B"] == 97612.5  # 41,805.30 + 14,701.90 x 2 + 26,403.40, hand-worked in test_rules


@pytest.mark.parametrize("size", [2, 8])
def test_the_comparison_and_register_query_counts_do_not_grow(
    owner_client, engagement, owner, size, django_assert_max_num_queries
):
    vendors_world(engagement, owner)
    for n in range(size):
        body_a(engagement, owner, name=f"Extra {n}")
    with django_assert_max_num_queries(16):
        assert owner_client.get(reverse("vendors:comparison", args=[engagement.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert owner_client.get(reverse("vendors:register", args=[engagement.pk])).status_code == 200


def test_an_outsider_finds_nothing(outsider_client, engagement, owner):
    world = vendors_world(engagement, owner)
    for url in (
        reverse("vendors:register", args=[engagement.pk]),
        reverse("vendors:vendor", args=[engagement.pk, world["a"].pk]),
        reverse("vendors:quote", args=[engagement.pk, world["quote"].pk]),
        reverse("vendors:comparison", args=[engagement.pk]),
        reverse("vendors:export", args=[engagement.pk]),
    ):
        assert outsider_client.get(url).status_code == 404
    assert outsider_client.post(reverse("vendors:decide", args=[engagement.pk]), {}).status_code == 404


def test_a_viewer_reads_the_comparison_but_cannot_decide(client, engagement, owner):
    world = vendors_world(engagement, owner)
    viewer = UserFactory(username="vera")
    services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    page = client.get(reverse("vendors:comparison", args=[engagement.pk]))
    assert page.status_code == 200
    assert 'id="decision-form"' not in page.content.decode()
    decide = client.post(
        reverse("vendors:decide", args=[engagement.pk]),
        {"kind": VendorKind.CERTIFICATION_BODY, "vendor": world["a"].pk, "rationale": "Mine"},
    )
    assert decide.status_code == 403
    assert not Decision.objects.exists()
    assert client.get(reverse("vendors:quote", args=[engagement.pk, world["quote"].pk])).status_code == 403
