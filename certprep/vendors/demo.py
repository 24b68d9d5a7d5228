"""The demo engagement's vendors: two certification bodies whose quotes differ in what they include (one
includes travel but not the certificate fee, the other the reverse), a consultancy, the recommended criteria
scored with reasons, and the certification body chosen, with availability windows around the plan's audits."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from certprep.core.actors import Actor
from certprep.engagements.models import Engagement
from certprep.planning.models import AuditBooking
from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.models import Vendor
from certprep.vendors.services.register import auditor_add, quote_create, vendor_create, window_add
from certprep.vendors.services.selection import criteria_defaults, decision_record, score_set

D = Decimal
SCORES = {  # per default criterion, in its order: (Huaxin, Northbridge, reason Huaxin, reason Northbridge)
    0: (5, 4, "CNAS accreditation naming ISO/IEC 20000-1", "UKAS accredited; scope to be confirmed"),
    1: (4, 4, "Lead auditor ran IT service audits at two banks", "Auditors from a telecom background"),
    2: (4, 3, "Two of our customers hold its certificate", "Little known to our customers"),
    3: (4, 3, "Dates free in the quarter we need", "Busy until late in the year"),
    5: (4, 3, "Offices in our city", "Audits from abroad"),
}


def _windows_around_audits(engagement: Engagement) -> list[tuple[datetime.date, datetime.date]]:
    dates = sorted(AuditBooking.objects.filter(plan__engagement=engagement).values_list("date", flat=True))
    if not dates:
        start = timezone.localdate() + datetime.timedelta(days=120)
        return [(start, start + datetime.timedelta(days=60))]
    week = datetime.timedelta(days=14)
    return [(day - week, day + week) for day in dates[:2]]


def load_vendors_demo(*, engagement: Engagement, actor: Actor) -> None:
    if Vendor.objects.filter(engagement=engagement).exists():
        return
    received = timezone.localdate() - datetime.timedelta(days=21)
    huaxin = vendor_create(
        engagement=engagement,
        actor=actor,
        kind=VendorKind.CERTIFICATION_BODY,
        name="Huaxin Certification",
        website="https://huaxin-cert.example",
        accreditation_body="CNAS",
        accreditation_number="CNAS C999-M",
        scope_covers_20000=Answer.YES,
        accreditation_expires=received + datetime.timedelta(days=900),
        contacts="Ms Zhao, sales, +86 10 5555 0101",
    )
    quote_create(
        vendor=huaxin, actor=actor, received_on=received, currency="CNY", day_rate=D("6000"),
        stage1_days=D("2"), stage2_days=D("5"), surveillance1_days=D("2.5"), surveillance2_days=D("2.5"),
        recertification_days=D("5"), travel_per_audit=D("1500"), application_fee=D("3000"),
        certificate_fee_per_year=D("2000"),
        notes="Certificate fee not in the quote: 2,000 a year is our estimate from their price list.",
        includes_surveillance=Answer.YES, includes_recertification=Answer.YES,
        includes_certificate_fee=Answer.NO, includes_travel=Answer.YES,
    )  # fmt: skip
    northbridge = vendor_create(
        engagement=engagement,
        actor=actor,
        kind=VendorKind.CERTIFICATION_BODY,
        name="Northbridge Assurance",
        accreditation_body="UKAS",
        accreditation_number="UKAS 0042",
        scope_covers_20000=Answer.UNKNOWN,
        accreditation_expires=received + datetime.timedelta(days=400),
    )
    quote_create(
        vendor=northbridge, actor=actor, received_on=received, currency="CNY", day_rate=D("5850.75"),
        stage1_days=D("1.5"), stage2_days=D("4.5"), recertification_days=D("4"),
        travel_per_audit=D("1200.40"), application_fee=D("2500"), certificate_fee_per_year=D("1800"),
        notes="Travel billed at cost: 1,200.40 per visit is our estimate.",
        includes_surveillance=Answer.NO, includes_recertification=Answer.YES,
        includes_certificate_fee=Answer.YES, includes_travel=Answer.NO,
    )  # fmt: skip
    consult = vendor_create(
        engagement=engagement, actor=actor, kind=VendorKind.CONSULTANCY, name="ServiceWise Consulting"
    )
    quote_create(
        vendor=consult, actor=actor, received_on=received, currency="CNY", day_rate=D("4500"),
        consulting_fixed_fee=D("60000"), consulting_days=D("12"),
    )  # fmt: skip
    auditor_add(vendor=huaxin, actor=actor, name="Li Wei", sector_experience="Banking IT services", languages="zh, en")
    for start, end in _windows_around_audits(engagement):
        window_add(vendor=huaxin, actor=actor, starts_on=start, ends_on=end, note="Confirmed by phone")
    criteria = criteria_defaults(engagement=engagement, actor=actor)
    for position, (a, b, why_a, why_b) in SCORES.items():
        score_set(vendor=huaxin, criterion=criteria[position], actor=actor, score=a, rationale=why_a)
        score_set(vendor=northbridge, criterion=criteria[position], actor=actor, score=b, rationale=why_b)
    decision_record(
        vendor=huaxin,
        actor=actor,
        rationale="Ranked first on competence and capacity; its accreditation names ISO/IEC 20000-1.",
    )
