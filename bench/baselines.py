"""Server time and SQL query count of the baseline pages and of tasks added by hand, at 150 and 1,500 tasks.

    .venv/bin/python bench/baselines.py            # 30 timed requests per page
    .venv/bin/python bench/baselines.py --quick    # 5, while developing

Builds a fresh SQLite database in bench/results/, one engagement per size with a plan of that many tasks (stages of
ten: a summary and nine tasks chained finish-to-start, on a Chinese working calendar), saves baseline 0 through the
service, lengthens every fifth task so the comparison has slips, then requests the baselines list, the comparison
page, the comparison through the API and the delete confirmation of a summary task through django.test.Client, and
times saving a baseline (the POST that overwrites baseline 1) and adding a task by hand. Prints p50/p95 server time
and the query count per size; exits with 1 when a page's query count differs between the sizes. Never asserts time.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import Timing, fresh_database, get_ok, machine, timed

DATABASE = fresh_database("baselines")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from bench.staged_plan import staged_plan
from certprep.accounts.services import token_issue
from certprep.engagements import services
from certprep.planning.models import Task
from certprep.planning.services.baselines import baseline_save

SIZES = {"150": 150, "1,500": 1500}
WARM_UPS = 3
TARGET_MS = 100.0


def build(label: str, count: int) -> dict[str, Any]:
    user = get_user_model().objects.create_user(f"bench-baselines-{count}", password=None)
    with transaction.atomic():
        engagement = services.engagement_create(user=user, name=f"Baselines {label}", organization_name="Bench")
        made = staged_plan(
            engagement,
            count,
            task=lambda n: {"order": n * 10, "name": f"Task {n}", "duration_days": 3},
            assign=False,
        )
        plan, tasks, leaves = made.plan, made.tasks, made.leaves
    plan.engagement = engagement
    baseline_save(plan=plan, actor=user, number=0)
    baseline_save(plan=plan, actor=user, number=1)
    Task.objects.filter(pk__in=[task.pk for task in leaves[::5]]).update(duration_days=F("duration_days") + 2)
    return {"engagement": engagement, "plan": plan, "user": user, "summary": tasks[0], "last": leaves[-1]}


def post(client: Client, url: str, data: Callable[[], dict[str, Any]]) -> Callable[[], None]:
    def action() -> None:
        response = client.post(url, data())
        if response.status_code != 302:
            raise SystemExit(f"POST {url} answered {response.status_code}")

    return action


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="5 timed requests per page instead of 30")
    requests = 5 if parser.parse_args().quick else 30
    print("certprep baselines and tasks-by-hand benchmark")
    print(machine(DATABASE, load=True))
    print(f"requests {requests} timed per page after {WARM_UPS} warm-ups; server time in ms (django.test.Client)")
    call_command("migrate", verbosity=0, interactive=False)
    results: dict[tuple[str, str], Timing] = {}
    for label, count in SIZES.items():
        g = build(label, count)
        e = g["engagement"].pk
        client, api = Client(), Client()
        client.force_login(g["user"], backend="django.contrib.auth.backends.ModelBackend")
        token, _record = token_issue(user=g["user"])
        actions = {
            "baselines list": get_ok(client, reverse("planning:baselines", args=[e])),
            "comparison page": get_ok(client, reverse("planning:baseline", args=[e, 0])),
            "comparison (API)": get_ok(
                api, f"/api/v1/engagements/{e}/plan/baselines/0", {"Authorization": f"Bearer {token}"}
            ),
            "delete page, summary": get_ok(client, reverse("planning:task_delete", args=[e, g["summary"].pk])),
            "save baseline (POST)": post(
                client, reverse("planning:baselines", args=[e]), lambda: {"number": 1, "overwrite": "on"}
            ),
            "add a task (POST)": post(
                client,
                reverse("planning:task_add", args=[e]),
                lambda summary=g["summary"].pk: {"name": "Added", "parent_id": summary, "duration_days": 2},
            ),
        }
        for name, action in actions.items():
            results[name, label] = timed(action, requests, WARM_UPS)
    print()
    print(f"{'page':<24} {'tasks':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    names = list(dict.fromkeys(name for name, _label in results))
    for name in names:
        for label in SIZES:
            r = results[name, label]
            print(f"{name:<24} {label:>6} {r.p50:>8.1f} {r.p95:>8.1f} {r.queries:>8}")
    print()
    print(f"Target: p95 under {TARGET_MS:.0f} ms at 1,500 tasks; the same number of queries at both sizes")
    growing = [name for name in names if results[name, "150"].queries != results[name, "1,500"].queries]
    for name in names:
        small, large = results[name, "150"], results[name, "1,500"]
        met = "met" if large.p95 < TARGET_MS else "MISSED"
        same = "same queries" if small.queries == large.queries else "QUERIES GROW"
        print(f"  {name:<24} p95 {large.p95:>7.1f} ms  {met:<6}  {small.queries} / {large.queries} {same}")
    return 1 if growing else 0


if __name__ == "__main__":
    raise SystemExit(main())
