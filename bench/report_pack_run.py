"""(Run as bench/report_pack.py: see there.)

Time to build the whole report pack for the large benchmark engagement: every document the parts declare, as
Word and PDF (and Excel for the tabular ones), in English and Simplified Chinese.

    .venv/bin/python bench/report_pack.py              # the figures
    .venv/bin/python bench/report_pack.py --profile    # and where the time goes (cProfile, top functions)

Builds a fresh SQLite database in bench/results/: the large engagement of bench/generate.py (2,000 people in
scope, 800 survey respondents, the responsibility matrix, 1,200 rated requirements with topics), a plan of 1,500
tasks in stages (as bench/plan_pages.py makes it), 200 budget lines, and every other part's demo data (vendors,
budget settings, organization, feasibility scheme). Then gathers each document in each language and draws it in
each format in this process, printing the seconds of each step; then queues the whole pack twice and lets a real
worker build it (`manage.py db_worker`, in its own process as `make run` starts it, with its drawing processes:
the files stored, the progress written), printing each build's time. The target is under 10 s for the whole pack
on the 2-core reference machine; figures are printed, never asserted. `--profile` builds the pack in this
process, drawing included, under cProfile instead.
"""
# ruff: noqa: E402 - the environment must be set before Django and the product are imported

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository: bench.* and certprep.*

from bench.harness import ROOT, fresh_database, machine

DATABASE = fresh_database("report_pack")  # before Django and the product are imported

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from bench.generate import generate
from bench.staged_plan import GROUP, stage_name, staged_plan, start_to_start_every_third
from certprep.budget.choices import Category
from certprep.budget.models import BudgetLine
from certprep.core.parts import engagement_parts
from certprep.engagements.models import Engagement
from certprep.reports.gather import documents_by_key, gather
from certprep.reports.services import drawing
from certprep.reports.services.builds import build_request
from certprep.reports.services.drawing import renderer
from certprep.reports.services.run import build_run, formats_of

TARGET_S = 10.0
TASKS = 1500
LINES = 200
LANGUAGES = ("en", "zh-hans")


def _plan(engagement: Engagement) -> None:
    """A plan of 1,500 tasks in stages of nine under a summary, chained, people assigned (as plan_pages makes it)."""
    with transaction.atomic():
        staged_plan(
            engagement,
            TASKS,
            task=lambda n: {
                "name": stage_name(n, " <b>&amp;"),
                "duration_days": 1 + n % 7,
                "milestone": n % GROUP == GROUP - 1,
                "percent_complete": (n * 13) % 101 if n < TASKS // 3 else 0,
            },
            link=start_to_start_every_third,
        )


def _budget_lines(engagement: Engagement) -> None:
    categories = list(Category)
    BudgetLine.objects.bulk_create(
        BudgetLine(
            engagement=engagement,
            category=categories[i % len(categories)],
            description=f"Line {i} =SUM(A1) <script>",
            quantity=Decimal(i % 7 + 1),
            unit_price=Decimal(f"{100 + i}.25"),
            currency="CNY",
            cycle_year=i % 4,
        )
        for i in range(LINES)
    )


def build_engagement() -> Engagement:
    ids = generate("large", log=lambda text: None)
    engagement = Engagement.objects.get(pk=ids["engagement_id"])
    user = get_user_model().objects.get(username=ids["username"])
    _plan(engagement)
    for part in engagement_parts():
        # Every other part's demo data (each does nothing where data exist: the plan above stays); not the
        # reports' own demo, which would build the pack.
        if part.demo is not None and part.key != "reports":
            with transaction.atomic():
                part.demo(engagement=engagement, actor=user)
    _budget_lines(engagement)
    return engagement


def steps(engagement: Engagement) -> list[tuple[str, str, str, float]]:
    """(document, language, step, seconds) for each gathering and each drawing."""
    timed: list[tuple[str, str, str, float]] = []
    for document in documents_by_key().values():
        for language in LANGUAGES:
            started = time.perf_counter()
            content = gather(engagement, document, language)
            timed.append(_line(document.key, language, "gather", time.perf_counter() - started))
            for fmt in formats_of(document, ["docx", "pdf", "xlsx"]):
                started = time.perf_counter()
                data = renderer(fmt)(content)
                timed.append(
                    _line(document.key, language, f"{fmt} ({len(data) // 1024} kB)", time.perf_counter() - started)
                )
    return timed


def _line(key: str, language: str, step: str, seconds: float) -> tuple[str, str, str, float]:
    print(f"{key:<14} {language:<8} {step:<18} {seconds:>7.2f}", flush=True)
    return key, language, step, seconds


def _profile_build(engagement: Engagement, user: Any, documents: list[str]) -> None:
    """The pack built in this process, drawing included, under cProfile (a profile sees no other process)."""
    settings.CERTPREP_REPORT_PROCESSES = 0
    build = build_request(
        engagement=engagement, actor=user, documents=documents, languages=list(LANGUAGES), queue=False
    )
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    finished = build_run(build.pk)
    profiler.disable()
    status = finished.status if finished else "deleted"
    print(f"  the whole pack in one process, profiled: {status}, {time.perf_counter() - started:.1f} s")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    print(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="store_true", help="profile the pack's build and print the top functions")
    profile = parser.parse_args().profile
    print("certprep report pack benchmark")
    print(machine(DATABASE, load=True))
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_catalogue", verbosity=0)
    started = time.perf_counter()
    engagement = build_engagement()
    print(f"  built the large engagement in {time.perf_counter() - started:.1f} s")
    documents = list(documents_by_key())
    print(f"  documents: {', '.join(documents) or 'none declared'}")
    # Renderers and fonts loaded once, as in the worker's process after its first build.
    for fmt in ("docx", "pdf", "xlsx"):
        renderer(fmt)

    print()
    print(f"{'document':<14} {'lang':<8} {'step':<18} {'s':>7}")
    timed = steps(engagement)
    by_kind: dict[str, float] = {}
    for _key, _language, step, seconds in timed:
        kind = step.split(" ")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + seconds
    print()
    print("  " + ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in by_kind.items()))

    user = engagement.memberships.filter(role="owner").select_related("user").first().user
    if profile:
        _profile_build(engagement, user, documents)
        return 0
    # The worker's way: `manage.py db_worker` in its own process, as `make run` starts it, with the drawing
    # processes of the production default (one per core, at most four). It runs two builds of the whole pack: the
    # first also starts the drawing processes; the figure is the next one's, as a worker that has been up a while
    # runs it. The times are the builds' own (started to finished, as the reports page shows them).
    processes = min(os.cpu_count() or 1, drawing.MAX_DEFAULT_PROCESSES)
    builds = [
        build_request(engagement=engagement, actor=user, documents=documents, languages=list(LANGUAGES))
        for _ in range(2)
    ]
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--no-reload",
        "--interval",
        "0.1",
        "--verbosity",
        "0",
    ]
    environment = {**os.environ, "CERTPREP_REPORT_PROCESSES": str(processes)}
    subprocess.run(command, cwd=ROOT, env=environment, check=True)  # noqa: S603 - our own command
    total = 0.0
    print(f"  drawing processes: {processes}")
    for label, build in zip(("first (starts the drawing processes)", "next"), builds, strict=True):
        build.refresh_from_db()
        total = (build.finished_at - build.started_at).total_seconds()
        files = build.files.count()
        print(f"  the whole pack as the worker builds it, {label} build: {files} files, {build.status}, {total:.1f} s")
    met = "met" if total < TARGET_S else "MISSED"
    print(f"  target {TARGET_S:.0f} s: {met}")
    return 0
