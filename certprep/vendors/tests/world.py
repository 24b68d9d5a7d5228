"""The vendors of the tests' 400-person provider, entered through the services as the pages do: two
certification bodies whose quotes differ in what they include (Body A includes travel but not the certificate
fee, Body B the reverse), a consultancy, the default criteria and scores. The isolation walk uses it too."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.models import Criterion, Vendor
from certprep.vendors.services.register import auditor_add, quote_create, vendor_create, window_add
from certprep.vendors.services.selection import criteria_defaults, score_set

D = Decimal
RECEIVED = datetime.date(2026, 11, 2)


def body_a(engagement: Any, actor: Any, name: str = "Body A") -> Any:
    vendor = vendor_create(
        engagement=engagement,
        actor=actor,
        kind=VendorKind.CERTIFICATION_BODY,
        name=name,
        accreditation_body="CNAS",
        accreditation_number="CNAS C001-M",
        scope_covers_20000=Answer.YES,
        accreditation_expires=datetime.date(2029, 6, 30),
    )
    quote_create(
        vendor=vendor,
        actor=actor,
        received_on=RECEIVED,
        currency="CNY",
        day_rate=D("6000"),
        stage1_days=D("2"),
        stage2_days=D("5"),
        surveillance1_days=D("2.5"),
        surveillance2_days=D("2.5"),
        recertification_days=D("5"),
        travel_per_audit=D("1500"),
        application_fee=D("3000"),
        certificate_fee_per_year=D("2000"),  # our estimate: the quote leaves the fee out
        includes_surveillance=Answer.YES,
        includes_recertification=Answer.YES,
        includes_certificate_fee=Answer.NO,
        includes_travel=Answer.YES,
    )
    return vendor


def body_b(engagement: Any, actor: Any, name: str = "Body B") -> Any:
    vendor = vendor_create(
        engagement=engagement,
        actor=actor,
        kind=VendorKind.CERTIFICATION_BODY,
        name=name,
        accreditation_body="UKAS",
        accreditation_number="UKAS 0042",
        scope_covers_20000=Answer.UNKNOWN,
        accreditation_expires=datetime.date(2026, 1, 31),  # expired
    )
    quote_create(
        vendor=vendor,
        actor=actor,
        received_on=RECEIVED,
        currency="CNY",
        day_rate=D("5850.75"),
        stage1_days=D("1.5"),
        stage2_days=D("4.5"),
        surveillance1_days=D("2"),
        surveillance2_days=D("2"),
        recertification_days=D("4"),
        travel_per_audit=D("1200.40"),  # our estimate: travel is billed on top
        application_fee=D("2500"),
        certificate_fee_per_year=D("1800"),
        includes_surveillance=Answer.YES,
        includes_recertification=Answer.YES,
        includes_certificate_fee=Answer.YES,
        includes_travel=Answer.NO,
    )
    return vendor


def vendors_world(engagement: Any, actor: Any) -> dict[str, Any]:
    """Both bodies, a consultancy, auditors, a window, the default criteria and a score on each."""
    a, b = body_a(engagement, actor), body_b(engagement, actor)
    consultancy = vendor_create(engagement=engagement, actor=actor, kind=VendorKind.CONSULTANCY, name="Consult C")
    auditor = auditor_add(vendor=a, actor=actor, name="Li Wei", sector_experience="IT services", languages="zh, en")
    window = window_add(vendor=a, actor=actor, starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 6, 30))
    criteria = criteria_defaults(engagement=engagement, actor=actor)
    scored = [c for c in criteria if not c.is_price]
    for criterion in scored:
        score_set(vendor=a, criterion=criterion, actor=actor, score=4, rationale="Solid")
        score_set(vendor=b, criterion=criterion, actor=actor, score=3, rationale="Fair")
    price = Criterion.objects.get(engagement=engagement, is_price=True)
    quote = a.quotes.get()
    return {
        "a": a,
        "b": b,
        "consultancy": consultancy,
        "auditor": auditor,
        "window": window,
        "criterion": scored[0],
        "price": price,
        "quote": quote,
        "score": a.scores.first(),
    }


def walk_world(engagement: Any) -> dict[str, Any]:
    """vendors_world made once per engagement, by its first member (for the isolation walk's arguments)."""
    a = Vendor.objects.filter(engagement=engagement, name="Body A").first()
    if a is None:
        actor = engagement.memberships.select_related("user").first().user
        return vendors_world(engagement, actor)
    return {
        "a": a,
        "auditor": a.auditors.first(),
        "window": a.availability.first(),
        "quote": a.quotes.first(),
        "criterion": Criterion.objects.filter(engagement=engagement, is_price=False).first(),
        "score": a.scores.first(),
    }
