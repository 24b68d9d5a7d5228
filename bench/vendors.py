"""Server time and SQL query count of the vendor pages at 3 and 30 vendors (each with a quote, auditors,
availability windows and a score on every criterion), and of the plan's audits page, which shows the chosen body's
availability against five bookings (the chosen body has as many windows as there are vendors).

    .venv/bin/python bench/vendors.py            # 30 timed requests per page and size
    .venv/bin/python bench/vendors.py --quick    # 5, while developing

Builds a fresh SQLite database in bench/results/, one engagement per size with the recommended criteria, then
requests the register, the comparison (ranking and sensitivity included), the comparison API, the Excel export
and the plan's audits page through django.test.Client. Prints p50/p95 server time, the p95 of this process's CPU
time (less swayed by other work on a shared machine) and the query count per page and size; exits with 1
when a page's count differs between the sizes. Figures are printed, never asserted on time.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import datetime
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import fresh_database, get_ok, machine, timed

DATABASE = fresh_database("vendors")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certprep.accounts.services import token_issue
from certprep.engagements import services
from certprep.planning.models import AuditBooking, Plan
from certprep.vendors.choices import Answer, VendorKind
from certprep.vendors.models import Auditor, AvailabilityWindow, Decision, Quote, Score, Vendor
from certprep.vendors.services.selection import criteria_defaults

SIZES = {"3": 3, "30": 30}
ANSWERS = list(Answer)


def build(label: str, count: int) -> tuple[Client, dict[str, str], dict[str, str]]:
    user = get_user_model().objects.create_user(f"bench{count}", password="x")
    engagement = services.engagement_create(user=user, name=f"Vendors benchmark {label}", organization_name="Bench")
    criteria = criteria_defaults(engagement=engagement, actor=user)
    vendors = Vendor.objects.bulk_create(
        Vendor(
            engagement=engagement,
            kind=VendorKind.CERTIFICATION_BODY,
            name=f"Body {i}",
            accreditation_body="CNAS",
            accreditation_number=f"C{i}",
            scope_covers_20000=ANSWERS[i % 3],
            accreditation_expires=datetime.date(2027 + i % 3, 1, 1),
        )
        for i in range(count)
    )
    Quote.objects.bulk_create(
        Quote(
            engagement=engagement,
            vendor=vendor,
            received_on=datetime.date(2026, 11, 1),
            currency="CNY",
            day_rate=Decimal(5000 + 37 * i),
            stage1_days=Decimal("2"),
            stage2_days=Decimal("5.5"),
            surveillance1_days=Decimal("2.5"),
            surveillance2_days=Decimal("2.5"),
            recertification_days=Decimal("5"),
            travel_per_audit=Decimal("1200.40"),
            application_fee=Decimal(3000),
            certificate_fee_per_year=Decimal(1800),
            includes_surveillance=ANSWERS[i % 3],
            includes_recertification=ANSWERS[(i + 1) % 3],
            includes_certificate_fee=ANSWERS[(i + 2) % 3],
            includes_travel=ANSWERS[i % 3],
        )
        for i, vendor in enumerate(vendors)
    )
    Auditor.objects.bulk_create(Auditor(vendor=v, name=f"Auditor {n}") for v in vendors for n in range(3))
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(vendor=v, starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 6, 30))
        for v in vendors
    )
    Score.objects.bulk_create(
        Score(vendor=v, criterion=c, score=1 + (i + c.pk) % 5, rationale="Because")
        for i, v in enumerate(vendors)
        for c in criteria
        if not c.is_price
    )
    _audits(engagement, vendors[0], user, count)
    client = Client()
    client.force_login(user)
    e = engagement.pk
    headers = {"Authorization": f"Bearer {token_issue(user=user)[0]}"}
    return (
        client,
        headers,
        {
            "register": reverse("vendors:register", args=[e]),
            "comparison": reverse("vendors:comparison", args=[e]),
            "comparison API": f"/api/v1/engagements/{e}/vendor-comparison",
            "Excel export": reverse("vendors:export", args=[e]),
            "plan audits": reverse("planning:audits", args=[e]),
        },
    )


def _audits(engagement: Any, chosen: Vendor, user: Any, windows: int) -> None:
    """A plan with the five audits of the cycle, `chosen` decided, with `windows` two-week windows from 2027."""
    plan = Plan.objects.create(engagement=engagement, start_date=datetime.date(2027, 1, 4))
    cycle = [("stage1", 3, 15), ("stage2", 5, 10), ("surveillance1", 10, 5), ("surveillance2", 11, 8)]
    AuditBooking.objects.bulk_create(
        AuditBooking(plan=plan, kind=kind, date=datetime.date(2027, month, day), audit_days=2)
        for kind, month, day in [*cycle, ("recertification", 12, 1)]
    )
    start = datetime.date(2027, 1, 1)
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(
            vendor=chosen,
            starts_on=start + datetime.timedelta(days=21 * n),
            ends_on=start + datetime.timedelta(days=21 * n + 13),
        )
        for n in range(windows)
    )
    Decision.objects.create(
        engagement=engagement,
        kind=VendorKind.CERTIFICATION_BODY,
        vendor=chosen,
        decided_by=user,
        decided_at=timezone.now(),
        rationale="Bench",
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    requests = 5 if parser.parse_args().quick else 30
    print(machine(DATABASE, load=True))
    call_command("migrate", verbosity=0, interactive=False)
    counts: dict[str, set[int]] = {}
    for label, count in SIZES.items():
        client, headers, urls = build(label, count)
        for page, url in urls.items():
            r = timed(get_ok(client, url, headers), requests, warm_ups=1)
            counts.setdefault(page, set()).add(r.queries)
            print(
                f"{page:>14}, {label:>2} vendors: p50 {r.p50:6.1f} ms  p95 {r.p95:6.1f} ms  "
                f"CPU p95 {r.cpu_p95:6.1f} ms  {r.queries} queries"
            )
    return 0 if all(len(found) == 1 for found in counts.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
