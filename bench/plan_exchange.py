"""Server time and queries of the plan's Excel export and import, the resources view and the calendar feed, at 150
and 1,500 tasks.

    .venv/bin/python bench/plan_exchange.py            # 10 timed runs each
    .venv/bin/python bench/plan_exchange.py --quick    # 3, while developing

Builds a fresh SQLite database in bench/results/, one engagement per size with a plan of that many tasks (a summary
task over nine tasks, chained finish-to-start with every third link start-to-start with a lag, twenty people at
50 %, a Chinese working calendar, a milestone per group, twenty interviews), then times through django.test.Client:
the workbook download, the import's preview (the whole file read and checked), the import replacing every task,
the resources page and one read of the calendar feed. Prints p50/p95 wall time, CPU p95 and the query count per
size; exits with 1 when a query count differs between the sizes (apart from the import's replace, whose bulk writes
grow by one statement per batch of rows, see BATCHED). Figures are printed, never asserted on time.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import fresh_database, machine, timed

DATABASE = fresh_database("plan_exchange")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.staged_plan import GROUP, stage_name, staged_plan, start_to_start_every_third
from certprep.engagements import services
from certprep.planning.services.feed import feed_create
from certprep.survey.models import Interview

SIZES = {"150": 150, "1,500": 1500}
# The import deletes the plan's tasks and creates the file's in bulk: Django splits both into batches of the
# database's parameter limit, so its statements grow by one per batch (not per task). Reported, not compared.
BATCHED = {"Excel import, replace"}


def build(label: str, count: int) -> dict[str, Any]:
    user = get_user_model().objects.create_user(f"bench-exchange-{count}", password=None)
    with transaction.atomic():
        engagement = services.engagement_create(user=user, name=f"Exchange benchmark {label}", organization_name="B")
        plan = staged_plan(
            engagement,
            count,
            task=lambda n: {
                "name": stage_name(n),
                "duration_days": 1 + n % 7,
                "milestone": n % GROUP == GROUP - 1,
                "notes": "=not a formula" if n % 50 == 1 else "",
            },
            link=start_to_start_every_third,
        ).plan
        start = timezone.now()
        Interview.objects.bulk_create(
            Interview(engagement=engagement, title=f"Interview {n}", starts_at=start + datetime.timedelta(days=n))
            for n in range(20)
        )
    _feed, token = feed_create(engagement=engagement, actor=user)
    return {"engagement": engagement, "plan": plan, "user": user, "token": token}


def operations(g: dict[str, Any], client: Client) -> dict[str, Callable[[], Any]]:
    engagement, plan = g["engagement"], g["plan"]
    export = reverse("planning:excel_export", args=[engagement.pk])
    raw = client.get(export).content
    api = f"/api/v1/engagements/{engagement.pk}/plan/import.xlsx"
    headers = {"Authorization": f"Bearer {g['api_token']}"}

    def ok(response: Any) -> Any:
        if response.status_code != 200:
            raise SystemExit(
                f"{response.request['PATH_INFO']} answered {response.status_code}: {response.content[:300]}"
            )
        return response

    def replace() -> None:
        plan.refresh_from_db()
        ok(client.post(f"{api}?version={plan.version}", {"file": SimpleUploadedFile("p.xlsx", raw)}, headers=headers))

    return {
        "Excel export": lambda: ok(client.get(export)).content,
        "Excel import, preview": lambda: ok(
            client.post(f"{api}?preview=true", {"file": SimpleUploadedFile("p.xlsx", raw)}, headers=headers)
        ),
        "Excel import, replace": replace,
        "resources page": lambda: ok(client.get(reverse("planning:resources", args=[engagement.pk]))),
        "calendar feed read": lambda: ok(client.get(reverse("planning:feed", args=[g["token"]]))),
    }


def main() -> int:
    from certprep.accounts.services import token_issue

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 timed runs instead of 10")
    runs = 3 if parser.parse_args().quick else 10
    print("certprep plan exchange benchmark (Excel, resources, calendar feed)")
    print(machine(DATABASE, load=True))
    print(f"runs     {runs} timed after 1 warm-up; server time in ms (django.test.Client)")
    call_command("migrate", verbosity=0, interactive=False)
    queries: dict[str, dict[str, int]] = {}
    for label, count in SIZES.items():
        g = build(label, count)
        g["api_token"] = token_issue(user=g["user"])[0]
        client = Client()
        client.force_login(g["user"])
        print(f"\n{label} tasks")
        print(f"  {'operation':<24} {'p50':>8} {'p95':>8} {'CPU p95':>8} {'queries':>8}")
        for name, action in operations(g, client).items():
            r = timed(action, runs, warm_ups=1)
            queries.setdefault(name, {})[label] = r.queries
            print(f"  {name:<24} {r.p50:8.1f} {r.p95:8.1f} {r.cpu_p95:8.1f} {r.queries:8d}")
    grew = [name for name, by_size in queries.items() if len(set(by_size.values())) > 1 and name not in BATCHED]
    print("\nquery counts " + ("differ between sizes: " + ", ".join(grew) if grew else "are the same at both sizes"))
    return 1 if grew else 0


if __name__ == "__main__":
    raise SystemExit(main())
