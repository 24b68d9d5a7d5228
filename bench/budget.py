"""Server time and SQL query count of the budget page at 200 and 2,000 lines (30 currencies' worth of rates).

    .venv/bin/python bench/budget.py            # 30 timed requests per size
    .venv/bin/python bench/budget.py --quick    # 5, while developing

Builds a fresh SQLite database in bench/results/, one engagement per size with a 400-person profile, training and
day rates set, lines spread over the six categories and four cycle years in CNY, EUR and USD with their rates, then
requests the budget page (which also recomputes the derived lines) through django.test.Client. Prints p50/p95
server time and the query count per size; exits with 1 when the count differs between the sizes. Figures are
printed, never asserted on time.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import datetime
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import fresh_database, get_ok, machine, timed

DATABASE = fresh_database("budget")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from certprep.budget.choices import Category
from certprep.budget.models import BudgetLine, BudgetSettings, ExchangeRate
from certprep.engagements import services

SIZES = {"200": 200, "2,000": 2000}
CURRENCIES = ("CNY", "EUR", "USD")


def build(label: str, count: int) -> tuple[Client, str]:
    user = get_user_model().objects.create_user(f"bench{count}", password="x")
    engagement = services.engagement_create(user=user, name=f"Budget benchmark {label}", organization_name="Bench")
    profile = engagement.profile
    profile.people_in_scope = 400
    profile.save()
    BudgetSettings.objects.create(
        engagement=engagement, training_rate=Decimal(50), internal_day_rate=Decimal(1000), audit_day_rate=Decimal(2500)
    )
    day = datetime.date(2026, 12, 1)
    ExchangeRate.objects.create(engagement=engagement, source="EUR", target="CNY", rate=Decimal("7.8125"), as_of=day)
    ExchangeRate.objects.create(engagement=engagement, source="USD", target="CNY", rate=Decimal("7.1"), as_of=day)
    categories = list(Category)
    BudgetLine.objects.bulk_create(
        BudgetLine(
            engagement=engagement,
            category=categories[i % len(categories)],
            description=f"Line {i}",
            quantity=Decimal(i % 7 + 1),
            unit_price=Decimal(f"{100 + i}.25"),
            currency=CURRENCIES[i % 3],
            cycle_year=i % 4,
        )
        for i in range(count)
    )
    client = Client()
    client.force_login(user)
    return client, reverse("budget:overview", args=[engagement.pk])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    requests = 5 if parser.parse_args().quick else 30
    print(machine(DATABASE))
    call_command("migrate", verbosity=0, interactive=False)
    counts = {}
    for label, count in SIZES.items():
        client, url = build(label, count)
        # One warm-up, in which the first recompute writes the derived lines.
        r = timed(get_ok(client, url), requests, warm_ups=1)
        counts[label] = r.queries
        print(f"budget page, {label:>5} lines: p50 {r.p50:6.1f} ms  p95 {r.p95:6.1f} ms  {r.queries} queries")
    return 0 if len(set(counts.values())) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
