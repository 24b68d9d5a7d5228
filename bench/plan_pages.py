"""Server time and SQL query count of the implementation plan's pages at 150 and 1,500 tasks.

    .venv/bin/python bench/plan_pages.py            # 30 timed requests per page
    .venv/bin/python bench/plan_pages.py --quick    # 5, while developing

Builds a fresh SQLite database in bench/results/, one engagement per size with a plan of that many tasks (stages of
nine tasks under a summary, chained finish-to-start, every third link start-to-start with a lag, people assigned,
a Chinese working calendar, a baseline 0 of every task), then requests the plan page, the Gantt chart page (week and
day zoom), the Gantt data endpoint and the resource view through django.test.Client, and moves one bar (the POST the
chart's script sends, answered with the chart drawn again). Prints p50/p95 server time and the query count per size;
exits with 1 when a page's query count differs between the sizes. Figures are printed, never asserted on time.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import Timing, fresh_database, get_ok, machine, timed

DATABASE = fresh_database("plan_pages")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.figures import percentile
from bench.staged_plan import GROUP, stage_name, staged_plan, start_to_start_every_third
from certprep.accounts.services import token_issue
from certprep.engagements import services
from certprep.planning.models import Baseline, Task
from certprep.planning.selectors.page import plan_page

SIZES = {"150": 150, "1,500": 1500}
WARM_UPS = 3
TARGET_MS = 100.0


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[dict[str, Any]], str]
    api: bool = False


def _url(name: str, g: dict[str, Any], query: str = "") -> str:
    return reverse(name, args=[g["engagement_id"]]) + query


PAGES = [
    Page("plan page", lambda g: _url("planning:plan", g)),
    Page("Gantt page, week zoom", lambda g: _url("planning:gantt", g)),
    Page("Gantt page, day zoom", lambda g: _url("planning:gantt", g, "?zoom=day")),
    Page("Gantt data (API)", lambda g: f"/api/v1/engagements/{g['engagement_id']}/plan/gantt", api=True),
]
try:
    reverse("planning:resources", args=[1])
    PAGES.append(Page("resource view", lambda g: _url("planning:resources", g)))
except NoReverseMatch:  # built by another part of issue 13; measured once it exists
    pass


def build(label: str, count: int) -> dict[str, Any]:
    """An engagement whose plan has `count` tasks, with people, a calendar and a baseline."""
    user = get_user_model().objects.create_user(f"bench-plan-{count}", password=None)
    with transaction.atomic():
        engagement = services.engagement_create(user=user, name=f"Plan benchmark {label}", organization_name="Bench")
        plan = staged_plan(
            engagement,
            count,
            task=lambda n: {
                "name": stage_name(n, f" <{label}>"),
                "duration_days": 1 + n % 7,
                "milestone": n % GROUP == GROUP - 1,
                "percent_complete": (n * 13) % 101 if n < count // 3 else 0,
            },
            link=start_to_start_every_third,
        ).plan
    page = plan_page(plan)
    saved = [
        {"task": row.task.pk, "start": row.start.isoformat(), "finish": row.finish.isoformat()}
        for row in page.rows
        if row.start and row.finish
    ]
    Baseline.objects.create(plan=plan, number=0, saved_at=timezone.now(), saved_by=user, tasks=saved)
    moved = next(row.task for row in page.rows if row.task.parent_id and not row.task.milestone)
    return {"engagement_id": engagement.pk, "user": user, "task": moved, "size": label}


def measure_move(g: dict[str, Any], client: Client, requests: int) -> Timing:
    """Move one bar a working day later and back (the chart's keyboard move), answered with the chart."""
    task = g["task"]
    url = reverse("planning:gantt_bar", args=[g["engagement_id"], task.pk])
    headers = {"X-Requested-With": "fetch"}
    samples, cpu = [], []
    sql: list[str] = []
    for i in range(WARM_UPS + requests + 1):
        version = Task.objects.values_list("version", flat=True).get(pk=task.pk)
        data = {"expected_version": version, "action": "move", "days": 1 if i % 2 == 0 else -1}
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.post(url, data, headers=headers)
            elapsed, used = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        if response.status_code != 200:
            raise SystemExit(f"moving a bar answered {response.status_code}")
        if WARM_UPS <= i < WARM_UPS + requests:
            samples.append(elapsed)
            cpu.append(used)
        sql = [query["sql"] for query in captured.captured_queries]
    return Timing(statistics.median(samples), percentile(samples, 95), percentile(cpu, 95), len(sql), sql)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="5 timed requests per page instead of 30")
    requests = 5 if parser.parse_args().quick else 30
    print("certprep plan pages benchmark")
    print(machine(DATABASE, load=True))
    print(f"requests {requests} timed per page after {WARM_UPS} warm-ups; server time in ms (django.test.Client)")
    call_command("migrate", verbosity=0, interactive=False)
    results: dict[tuple[str, str], Timing] = {}
    for label, count in SIZES.items():
        started = time.perf_counter()
        g = build(label, count)
        print(f"  built the plan of {label} tasks in {time.perf_counter() - started:.1f} s")
        browser, api = Client(), Client()
        browser.force_login(g["user"], backend="django.contrib.auth.backends.ModelBackend")
        token, _record = token_issue(user=g["user"])
        for page in PAGES:
            client, headers = (api, {"Authorization": f"Bearer {token}"}) if page.api else (browser, {})
            results[page.name, label] = timed(get_ok(client, page.path(g), headers), requests, WARM_UPS)
        results["bar moved (POST)", label] = measure_move(g, browser, requests)

    names = [page.name for page in PAGES] + ["bar moved (POST)"]
    print()
    print(f"{'page':<24} {'tasks':>6} {'p50 ms':>8} {'p95 ms':>8} {'cpu p95':>8} {'queries':>8}")
    for name in names:
        for label in SIZES:
            r = results[name, label]
            print(f"{name:<24} {label:>6} {r.p50:>8.1f} {r.p95:>8.1f} {r.cpu_p95:>8.1f} {r.queries:>8}")
    print()
    print(f"Target: p95 under {TARGET_MS:.0f} ms at 1,500 tasks; the same number of queries at both sizes")
    growing = []
    for name in names:
        small, large = results[name, "150"], results[name, "1,500"]
        met = "met" if large.p95 < TARGET_MS else "MISSED"
        same = "same queries" if small.queries == large.queries else "QUERIES GROW"
        if small.queries != large.queries:
            growing.append(name)
        print(f"  {name:<24} p95 {large.p95:>7.1f} ms  {met:<6}  {small.queries} / {large.queries} {same}")
    return 1 if growing else 0


if __name__ == "__main__":
    raise SystemExit(main())
