"""Server time and SQL query count of certprep's main pages, at a small and a large data size.

    .venv/bin/python bench/run.py            # 30 timed requests per page (make bench)
    .venv/bin/python bench/run.py --quick    # 5 timed requests per page, while developing

Builds a fresh SQLite database in bench/results/, loads the shipped catalogue, generates both sizes
(bench/generate.py), then requests every page in PAGES through django.test.Client. Exits with 1 when
a page runs a different number of queries at the two sizes: a page's query count must not grow with
the data. See bench/README.md for what the figures mean and how to add pages.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import Timing, fresh_database, get_ok, machine, timed

DATABASE = fresh_database("bench")  # before Django and the product are imported

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import generate
from bench.figures import percentile
from certprep.accounts.services import token_issue
from certprep.catalogue.models import Framework
from certprep.catalogue.services import framework_import

SIZES = ["small", "large"]
WARM_UPS = 3


@dataclass(frozen=True)
class Page:
    """A page to measure. `path` builds its URL from what generate() returned for the size."""

    name: str
    path: Callable[[dict[str, Any]], str]
    api: bool = False  # sent with the benchmark user's bearer token instead of a signed-in session


def _detail(g: dict[str, Any], framework: str, query: str = "") -> str:
    return reverse("catalogue:detail", args=[g[framework]]) + query


# Later issues add their pages here (see bench/README.md, "Adding pages").
PAGES: list[Page] = [
    Page("engagement list", lambda g: reverse("engagements:list")),
    Page("dashboard", lambda g: reverse("engagements:dashboard", args=[g["engagement_id"]])),
    Page("profile", lambda g: reverse("engagements:profile", args=[g["engagement_id"]])),
    Page("members", lambda g: reverse("engagements:members", args=[g["engagement_id"]])),
    Page("audit trail", lambda g: reverse("engagements:audit", args=[g["engagement_id"]])),
    Page("catalogue list", lambda g: reverse("catalogue:list")),
    Page("catalogue ISO 20000 tree", lambda g: _detail(g, "iso_framework_id")),
    Page("catalogue tree + search", lambda g: _detail(g, "framework_id", f"?q={g['search']}")),
    Page("catalogue process filter", lambda g: _detail(g, "framework_id", f"?process={g['process']}")),
    Page("catalogue real-shaped tree", lambda g: _detail(g, "real_framework_id")),
    Page("catalogue real-shaped search", lambda g: _detail(g, "real_framework_id", "?q=access")),
    Page("API engagements", lambda g: "/api/v1/engagements", api=True),
    Page(
        "API requirements",
        lambda g: f"/api/v1/catalogue/frameworks/{g['framework_id']}/requirements?limit=100",
        api=True,
    ),
    Page("API profile", lambda g: f"/api/v1/engagements/{g['engagement_id']}/profile", api=True),
    Page("survey overview", lambda g: reverse("survey:overview", args=[g["engagement_id"]])),
    Page("survey tracking", lambda g: reverse("survey:campaign", args=[g["engagement_id"], g["campaign_id"]])),
    Page(
        "survey tracking, not started",
        lambda g: reverse("survey:campaign", args=[g["engagement_id"], g["campaign_id"]]) + "?status=not_started",
    ),
    Page("survey people", lambda g: reverse("survey:people", args=[g["engagement_id"]])),
    Page("survey current state", lambda g: reverse("survey:state", args=[g["engagement_id"]])),
    Page("responsibility matrix", lambda g: reverse("responsibilities:matrix", args=[g["engagement_id"]])),
    Page("API survey answers", lambda g: f"/api/v1/engagements/{g['engagement_id']}/answers?limit=100", api=True),
    Page("API matrix", lambda g: f"/api/v1/engagements/{g['engagement_id']}/matrix", api=True),
    Page("gap assessment ISO 20000", lambda g: reverse("gaps:assessment", args=[g["engagement_id"], g["gap_iso_id"]])),
    Page("gap assessment 140/1,200", lambda g: reverse("gaps:assessment", args=[g["engagement_id"], g["gap_big_id"]])),
    Page(
        "gap assessment, with a gap",
        lambda g: reverse("gaps:assessment", args=[g["engagement_id"], g["gap_big_id"]]) + "?rating=gap",
    ),
    Page(
        "API gap ratings ISO 20000",
        lambda g: f"/api/v1/engagements/{g['engagement_id']}/gaps/assessments/{g['gap_iso_id']}/ratings?limit=100",
        api=True,
    ),
    Page(
        "API gap ratings 140/1,200",
        lambda g: f"/api/v1/engagements/{g['engagement_id']}/gaps/assessments/{g['gap_big_id']}/ratings?limit=1000",
        api=True,
    ),
    Page(
        "gap assessment real, AC",
        lambda g: reverse("gaps:assessment", args=[g["engagement_id"], g["gap_real_id"]]) + "?clause=AC",
    ),
    Page("gap topics", lambda g: reverse("gaps:topics", args=[g["engagement_id"]])),
    Page("gap readiness dashboard", lambda g: reverse("gaps:dashboard", args=[g["engagement_id"]])),
]


def time_import(size: str) -> list[tuple[str, float]]:
    """Import the size's big framework file fresh (after deleting it) and again at the same version."""
    urn, data = generate.catalogue_file(size)
    Framework.objects.filter(urn=urn).delete()
    timings = []
    for label in ("fresh import", "re-import, same version"):
        start = time.perf_counter()
        framework_import(data=data)
        timings.append((label, (time.perf_counter() - start) * 1000))
    return timings


def time_rating_saves(g: dict[str, Any], client: Client, requests: int) -> tuple[float, float, int]:
    """Save one rating through the assessment screen's instant-save endpoint, alternating two values."""
    from certprep.gaps.models import Rating

    url = reverse("gaps:rating_save", args=[g["engagement_id"], g["gap_rating_id"]])
    samples = []
    for i in range(WARM_UPS + requests):
        version = Rating.objects.values_list("version", flat=True).get(pk=g["gap_rating_id"])
        start = time.perf_counter()
        response = client.post(url, {"version": version, "level": str(i % 4)})
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise SystemExit(f"rating save answered {response.status_code}: {response.content[:300]!r}")
        if i >= WARM_UPS:
            samples.append(elapsed)
    version = Rating.objects.values_list("version", flat=True).get(pk=g["gap_rating_id"])
    with CaptureQueriesContext(connection) as captured:
        client.post(url, {"version": version, "level": "1"})
    return statistics.median(samples), percentile(samples, 95), len(captured)


def _shape(sql: str) -> str:
    """A query with its literal values blanked, so repeats of the same query are counted together."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="5 timed requests per page instead of 30")
    args = parser.parse_args()
    requests = 5 if args.quick else 30

    print("certprep benchmark")
    print(machine(DATABASE))
    print(
        f"requests {requests} timed per page after {WARM_UPS} warm-ups; times are server time in ms "
        "(django.test.Client, no network)"
    )
    print()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", stdout=io.StringIO())
    print("Generating data")
    generated = {}
    for size in SIZES:
        generated[size] = generate.generate(size)

    results: dict[tuple[str, str], Timing] = {}
    saves: dict[str, tuple[float, float, int]] = {}
    for size in SIZES:
        g = generated[size]
        user = get_user_model().objects.get(pk=g["user_id"])
        browser, api = Client(), Client()  # the API client carries no session cookie, only the token
        browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        token, _record = token_issue(user=user)
        for page in PAGES:
            client, headers = (api, {"Authorization": f"Bearer {token}"}) if page.api else (browser, {})
            action = get_ok(client, page.path(g), headers, what=f"{page.name} ({g['size']}): ")
            results[page.name, size] = timed(action, requests, WARM_UPS)
        saves[size] = time_rating_saves(g, browser, requests)

    print()
    print(f"{'page':<28} {'size':<6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for page in PAGES:
        for size in SIZES:
            r = results[page.name, size]
            print(f"{page.name:<28} {size:<6} {r.p50:>8.1f} {r.p95:>8.1f} {r.queries:>8}")

    print()
    print("Saving one rating from the assessment screen (POST, JSON reply)")
    for size in SIZES:
        p50, p95, queries = saves[size]
        print(f"  {size:<6} p50 {p50:>6.1f} ms  p95 {p95:>6.1f} ms  {queries} queries")
    print()
    print("Gap analysis targets (2-core machine): 1,200-requirement assessment < 350 ms, 140 requirements < 50 ms,")
    print("one rating saved < 15 ms, 1,200-node framework import < 1 s")
    for label, name, size, limit in (
        ("1,200-requirement assessment", "gap assessment 140/1,200", "large", 350.0),
        ("140-requirement assessment", "gap assessment 140/1,200", "small", 50.0),
    ):
        r = results[name, size]
        print(f"  {label:<30} p50 {r.p50:>7.1f} ms  {'met' if r.p50 < limit else 'MISSED'} ({limit:.0f} ms)")
    print(
        f"  {'one rating saved':<30} p50 {saves['large'][0]:>7.1f} ms  "
        f"{'met' if saves['large'][0] < 15 else 'MISSED'} (15 ms)"
    )

    print()
    print("Real-framework pages, target p95 <= 100 ms at the large size (5,880-node framework, 800 respondents)")
    for label, name in (
        ("catalogue tree of 5,880 nodes", "catalogue real-shaped tree"),
        ("survey current state", "survey current state"),
        ("improvement topics", "gap topics"),
    ):
        r = results[name, "large"]
        print(f"  {label:<30} p95 {r.p95:>7.1f} ms  {'met' if r.p95 <= 100 else 'MISSED'} (100 ms)")

    print()
    print("Import of the 1,200-node framework (large)")
    for label, ms in time_import("large"):
        print(f"  {label:<26} {ms:>8.0f} ms")

    print()
    print(f"{'page':<28} {'queries small':>14} {'queries large':>14} {'large/small':>12}")
    growing = []
    for page in PAGES:
        small, large = results[page.name, "small"], results[page.name, "large"]
        flag = "" if small.queries == large.queries else "  <-- GROWS WITH DATA"
        if flag:
            growing.append(page.name)
        print(f"{page.name:<28} {small.queries:>14} {large.queries:>14} {large.queries / small.queries:>12.2f}{flag}")

    if not growing:
        print("\nEvery page runs the same number of queries at both sizes.")
        return 0
    print(f"\n{len(growing)} page(s) run more queries with more data (a product bug):")
    for name in growing:
        repeated = Counter(_shape(sql) for sql in results[name, "large"].sql)
        print(f"\n{name}: queries run more than once (large):")
        for shape, count in repeated.most_common():
            if count > 1:
                print(f"  {count:>5} x {shape[:300]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
