"""The register's stored shape: bounds on money and days, ISO 4217 codes, one price criterion, scores 1-5,
availability windows that end after they start, and everything gone with its engagement."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certprep.engagements.models import Engagement
from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.models import AvailabilityWindow, Criterion, Quote, Score, Vendor

DAY = datetime.date(2026, 3, 2)


def _vendor(engagement: Engagement, name: str = "Body A") -> Vendor:
    return Vendor.objects.create(engagement=engagement, kind=VendorKind.CERTIFICATION_BODY, name=name)


def _quote(vendor: Vendor, **fields: object) -> Quote:
    return Quote(engagement=vendor.engagement, vendor=vendor, received_on=DAY, currency="CNY", **fields)


@pytest.mark.django_db
def test_a_quote_with_good_figures_is_valid_and_the_check_starts_unknown(engagement):
    quote = _quote(_vendor(engagement), day_rate=Decimal("8000.00"), stage1_days=Decimal("1.5"))
    quote.full_clean()
    quote.save()
    stored = Quote.objects.get(pk=quote.pk)
    assert stored.day_rate == Decimal("8000.000")
    assert stored.stage1_days == Decimal("1.5")
    assert stored.includes_travel == Answer.UNKNOWN
    assert stored.includes_certificate_fee == Answer.UNKNOWN


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day_rate", Decimal("-1")),
        ("day_rate", Decimal("1E30")),
        ("travel_per_audit", Decimal("1000000000000.001")),
        ("stage2_days", Decimal("-0.5")),
        ("recertification_days", Decimal("1000.5")),
    ],
)
def test_negative_or_absurd_amounts_are_refused(engagement, field, value):
    quote = _quote(_vendor(engagement), **{field: value})
    with pytest.raises(ValidationError) as refused:
        quote.full_clean()
    assert field in refused.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XXY", "cny", "EURO", ""])
def test_a_currency_that_is_not_iso_4217_is_refused(engagement, code):
    quote = _quote(_vendor(engagement))
    quote.currency = code
    with pytest.raises(ValidationError) as refused:
        quote.full_clean()
    assert "currency" in refused.value.message_dict


@pytest.mark.django_db
def test_an_engagement_has_one_price_criterion_at_most(engagement):
    Criterion.objects.create(engagement=engagement, name="Price", weight=25, is_price=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Criterion.objects.create(engagement=engagement, name="Total cost", weight=10, is_price=True)
    Criterion.objects.create(engagement=engagement, name="Auditors' competence", weight=20)
    assert Criterion.objects.filter(engagement=engagement).count() == 2


@pytest.mark.django_db
def test_a_score_outside_1_to_5_is_refused_by_the_database(engagement):
    vendor = _vendor(engagement)
    criterion = Criterion.objects.create(engagement=engagement, name="Scheduling capacity", weight=10)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Score.objects.create(vendor=vendor, criterion=criterion, score=6)
    Score.objects.create(vendor=vendor, criterion=criterion, score=5, rationale="Dates in March free")
    assert Score.objects.get().score == 5


@pytest.mark.django_db
def test_an_availability_window_cannot_end_before_it_starts(engagement):
    vendor = _vendor(engagement)
    with transaction.atomic(), pytest.raises(IntegrityError):
        AvailabilityWindow.objects.create(vendor=vendor, starts_on=DAY, ends_on=DAY - datetime.timedelta(days=1))
    AvailabilityWindow.objects.create(vendor=vendor, starts_on=DAY, ends_on=DAY)
    assert vendor.availability.count() == 1


@pytest.mark.django_db
def test_the_register_goes_with_its_engagement(engagement):
    vendor = _vendor(engagement)
    _quote(vendor).save()
    Criterion.objects.create(engagement=engagement, name="Price", is_price=True)
    Engagement.objects.filter(pk=engagement.pk).delete()
    assert not Vendor.objects.exists()
    assert not Quote.objects.exists()
    assert not Criterion.objects.exists()
