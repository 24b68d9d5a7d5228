"""Server time and queries of the plan's MS Project XML export and import, at 150 and 1,500 tasks.

    .venv/bin/python bench/plan_mspdi.py            # 10 timed runs each
    .venv/bin/python bench/plan_mspdi.py --quick    # 3, while developing

Builds a fresh SQLite database in bench/results/ with one engagement per size: a plan of that many tasks (a
summary task over nine, chained finish-to-start, every third link start-to-start with a 2-day lag, every fifth
with a 20 % lag), twenty people at 50 %, a Chinese working calendar (holidays and make-up days for six years in the
file) and a baseline. Times through django.test.Client: the MSPDI download, the import's preview (dry_run: the
whole file parsed and checked) and the import replacing every task. Prints the file size, p50/p95 wall time, CPU
p95 and the query count per size, and exits with 1 when a query count differs between the sizes. Figures are
printed, never asserted on time.
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

DATABASE = fresh_database("plan_mspdi")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.staged_plan import GROUP, stage_name, staged_plan, start_to_start_every_third
from certprep.accounts.services import token_issue
from certprep.engagements import services
from certprep.planning.models import Baseline

SIZES = {"150": 150, "1,500": 1500}


def build(label: str, count: int) -> dict[str, Any]:
    user = get_user_model().objects.create_user(f"bench-mspdi-{count}", password=None)
    with transaction.atomic():
        engagement = services.engagement_create(user=user, name=f"MSPDI benchmark {label}", organization_name="B")
        made = staged_plan(
            engagement,
            count,
            start=datetime.date(2026, 1, 5),
            task=lambda n: {
                "name": stage_name(n, " <&>"),
                "duration_days": 1 + n % 7,
                "milestone": n % GROUP == GROUP - 1,
                "effort_hours": 8 * (1 + n % 7),
                "notes": "Line one\nline two" if n % 50 == 1 else "",
            },
            link=lambda n: start_to_start_every_third(n) or ({"lag": 20, "lag_unit": "%"} if n % 5 == 4 else {}),
        )
        plan, leaves = made.plan, made.leaves
        Baseline.objects.create(
            plan=plan,
            number=0,
            saved_at=timezone.now(),
            tasks=[
                {"task": t.pk, "start": "2026-01-05", "finish": "2026-01-09", "duration_days": 5, "effort_hours": 40}
                for t in leaves
            ],
        )
    return {"engagement": engagement, "plan": plan, "user": user, "token": token_issue(user=user)[0]}


def ok(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}: {response.content[:300]}")
    return response


def operations(g: dict[str, Any], client: Client) -> tuple[int, dict[str, Callable[[], Any]]]:
    engagement, plan = g["engagement"], g["plan"]
    export = reverse("planning:export_mspdi", args=[engagement.pk])
    raw = ok(client.get(export), 200).getvalue()
    api = f"/api/v1/engagements/{engagement.pk}/plan/exchange/mspdi/import"
    headers = {"Authorization": f"Bearer {g['token']}"}

    def upload(**fields: Any) -> dict[str, Any]:
        return {"file": SimpleUploadedFile("plan.xml", raw, content_type="application/xml"), **fields}

    def replace() -> None:
        plan.refresh_from_db()
        ok(client.post(api, upload(version=plan.version), headers=headers), 201)

    return len(raw), {
        "MSPDI export": lambda: ok(client.get(export), 200).getvalue(),
        "MSPDI import, preview": lambda: ok(client.post(f"{api}?dry_run=true", upload(), headers=headers), 200),
        "MSPDI import, replace": replace,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 timed runs instead of 10")
    runs = 3 if parser.parse_args().quick else 10
    print("certprep plan MS Project XML benchmark (export, import preview, import)")
    print(machine(DATABASE, load=True))
    print(f"runs     {runs} timed after 1 warm-up; server time in ms (django.test.Client)")
    call_command("migrate", verbosity=0, interactive=False)
    queries: dict[str, dict[str, int]] = {}
    for label, count in SIZES.items():
        g = build(label, count)
        client = Client()
        client.force_login(g["user"])
        size, actions = operations(g, client)
        print(f"\n{label} tasks (file {size / 1024:.0f} KB)")
        print(f"  {'operation':<24} {'p50':>8} {'p95':>8} {'CPU p95':>8} {'queries':>8}")
        for name, action in actions.items():
            r = timed(action, runs, warm_ups=1)
            queries.setdefault(name, {})[label] = r.queries
            print(f"  {name:<24} {r.p50:8.1f} {r.p95:8.1f} {r.cpu_p95:8.1f} {r.queries:8d}")
    grew = [name for name, by_size in queries.items() if len(set(by_size.values())) > 1]
    print("\nquery counts " + ("differ between sizes: " + ", ".join(grew) if grew else "are the same at both sizes"))
    return 1 if grew else 0


if __name__ == "__main__":
    raise SystemExit(main())
