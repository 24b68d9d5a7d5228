"""Server time and SQL query count of the audit bookings' pages at 150 and 1,500 plan tasks.

    .venv/bin/python bench/audits.py            # 30 timed requests per page
    .venv/bin/python bench/audits.py --quick    # 5, while developing

Builds a fresh SQLite database in bench/results/, one engagement per size with a plan of that many tasks (stages
of nine tasks under a summary, chained finish-to-start; the trial operation, internal audit and management review
keyed as the template keys them; a Chinese working calendar) and the whole cycle booked through the services
(the proposal confirmed, plus a second stage 2 batch), then requests the audits page, the plan page (which shows
the audit warnings), the proposal page and the warnings endpoint through django.test.Client. Prints p50/p95
server time and the query count per size; exits with 1 when a page's query count differs between the sizes.
Figures are printed, never asserted on time.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import Timing, fresh_database, get_ok, machine, timed

DATABASE = fresh_database("audits")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bench.staged_plan import GROUP, staged_plan
from certprep.accounts.services import token_issue
from certprep.engagements import services
from certprep.planning.audit_rules import STAGE2, Booking
from certprep.planning.selectors.audits import proposal
from certprep.planning.services.audits import booking_create, bookings_confirm

SIZES = {"150": 150, "1,500": 1500}
WARM_UPS = 3
TARGET_MS = 100.0
KEYED = {3: "task:trial-operation", 5: "task:internal-audit", 7: "task:management-review"}


def build(label: str, count: int) -> dict[str, Any]:
    """An engagement whose plan has `count` tasks and the whole cycle booked."""
    user = get_user_model().objects.create_user(f"bench-audits-{count}", password=None)
    with transaction.atomic():
        engagement = services.engagement_create(user=user, name=f"Audits benchmark {label}", organization_name="Bench")
        plan = staged_plan(
            engagement,
            count,
            task=lambda n: {
                "name": f"Task {n} <{label}>",
                "duration_days": 1 + n % 5,
                "origin_key": KEYED.get(n, "stage:certification" if n == count - GROUP else ""),
            },
            assign=False,
        ).plan
        plan.engagement = engagement
        made = bookings_confirm(plan=plan, actor=user, proposals=proposal(plan))
        first = next(b for b in made if b.kind == STAGE2)
        later = Booking(STAGE2, first.date + datetime.timedelta(days=14), batch=2)
        booking_create(plan=plan, actor=user, kind=later.kind, batch=later.batch, date=later.date, scope="Site 2")
    return {"engagement_id": engagement.pk, "user": user}


PAGES = {
    "audits page": lambda g: reverse("planning:audits", args=[g["engagement_id"]]),
    "plan page": lambda g: reverse("planning:plan", args=[g["engagement_id"]]),
    "propose page": lambda g: reverse("planning:booking_propose", args=[g["engagement_id"]]),
    "warnings (API)": lambda g: f"/api/v1/engagements/{g['engagement_id']}/plan/bookings/warnings",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="5 timed requests per page instead of 30")
    requests = 5 if parser.parse_args().quick else 30
    print("certprep audit bookings benchmark")
    print(machine(DATABASE))
    print(f"requests {requests} timed per page after {WARM_UPS} warm-ups; server time in ms (django.test.Client)")
    call_command("migrate", verbosity=0, interactive=False)
    results: dict[tuple[str, str], Timing] = {}
    for label, count in SIZES.items():
        g = build(label, count)
        browser, api = Client(), Client()
        browser.force_login(g["user"], backend="django.contrib.auth.backends.ModelBackend")
        token, _record = token_issue(user=g["user"])
        for name, path in PAGES.items():
            client, headers = (api, {"Authorization": f"Bearer {token}"}) if "API" in name else (browser, {})
            results[name, label] = timed(get_ok(client, path(g), headers), requests, WARM_UPS)
    print()
    print(f"{'page':<16} {'tasks':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    growing = []
    for name in PAGES:
        for label in SIZES:
            r = results[name, label]
            print(f"{name:<16} {label:>6} {r.p50:>8.1f} {r.p95:>8.1f} {r.queries:>8}")
        if results[name, "150"].queries != results[name, "1,500"].queries:
            growing.append(name)
    print()
    print(f"Target: p95 under {TARGET_MS:.0f} ms at 1,500 tasks; the same number of queries at both sizes")
    for name in growing:
        print(f"  QUERIES GROW: {name}")
    return 1 if growing else 0


if __name__ == "__main__":
    raise SystemExit(main())
